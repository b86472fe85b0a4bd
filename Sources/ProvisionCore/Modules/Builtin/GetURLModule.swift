import Foundation

/// `get_url`: downloads a URL ON THE HOST (curl, else wget) to `dest`.
///
/// Checksum-aware: with `checksum: sha256:…` a `dest` that already has it is left alone and
/// nothing is downloaded; without one, an existing `dest` is kept unless `force: true`. A
/// download is verified before it replaces `dest` (atomically, by rename in the same directory);
/// identical bytes are not reported as a change.
public struct GetURLModule: Module {
    public static let name = "get_url"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("url", required: true), .init("dest", required: true), .init("checksum"),
            .init("force", .bool, default: false), .init("timeout", .int, default: 10),
            .init("headers", .dict), .init("validate_certs", .bool, default: true),
            .init("backup", .bool, default: false),
        ] + FileAttributes.fields
    )

    static let algorithms = ["sha256", "sha512", "sha384", "sha224", "sha1", "md5"]

    public var url: String
    public var dest: String
    public var algorithm: String?
    public var digest: String?
    public var force: Bool
    public var timeout: Int
    public var headers: [String: String]
    public var validateCerts: Bool
    public var backup: Bool
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        url = try args.requiredString("url")
        dest = try args.requiredString("dest")
        force = try args.bool("force") ?? false
        timeout = try args.int("timeout") ?? 10
        headers = (try args.dict("headers") ?? [:]).mapValues(\.renderedString)
        validateCerts = try args.bool("validate_certs") ?? true
        backup = try args.bool("backup") ?? false
        attributes = try FileAttributes(args)
        if let c = try args.string("checksum"), !c.isEmpty {
            let parts = c.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, Self.algorithms.contains(parts[0].lowercased()) else {
                throw ModuleError("'checksum' must be ALGORITHM:HEX with ALGORITHM one of \(Self.algorithms.joined(separator: ", ")) (got '\(c)')")
            }
            let hex = parts[1].lowercased()
            guard hex.allSatisfy(\.isHexDigit) else {
                throw ModuleError("'checksum' must give the digest in hex; a checksum file URL is not supported (got '\(c)')")
            }
            algorithm = parts[0].lowercased()
            digest = hex
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("ftp://") || url.hasPrefix("file://") else {
            throw ModuleError("'url' must start with http://, https://, ftp:// or file:// (got '\(url)')")
        }
        for (k, v) in headers where k.contains(":") || k.contains("\n") || v.contains("\n") {
            throw ModuleError("header '\(k)' is not a valid HTTP header")
        }
    }

    /// The file name a directory `dest` receives: the URL path's last component.
    var urlFileName: String {
        var path = url
        if let q = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<q]) }
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        return name.isEmpty || url.hasSuffix("/") ? "index.html" : name
    }

    func script(checkMode: Bool) -> ModuleScript {
        var s = ModuleScript(Self.body)
        s.set("url", url)
        s.set("dest", dest)
        s.set("fname", urlFileName)
        s.set("algo", algorithm ?? "")
        s.set("sum", digest ?? "")
        s.set("force", force)
        s.set("timeout", String(timeout))
        s.set("insecure", !validateCerts)
        s.set("backup", backup)
        s.set("headers", headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))
        s.set("check", checkMode)
        attributes.apply(to: &s)
        return s
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let out = try script(checkMode: context.checkMode).run(in: context, timeout: TimeInterval(timeout * 4 + 60))
        return interpret(out)
    }

    func interpret(_ out: ScriptOutput) -> ModuleResult {
        var data: [String: Value] = ["url": .string(url), "dest": .string(out.first("dest") ?? dest)]
        if let s = out.first("sum") { data["checksum_dest"] = .string(s) }
        if let b = out.first("backup") { data["backup_file"] = .string(b) }
        if let f = out.failure { return .failed(f, data: data) }
        let state = out.first("state") ?? ""
        let attrs = FileAttributes.changed(in: out)
        let changed = state == "downloaded" || state == "would-download" || !attrs.isEmpty
        var msg: String
        switch state {
        case "downloaded": msg = "downloaded"
        case "would-download": msg = "would download"
        case "exists": msg = "file already exists"
        default: msg = "file already has this content"
        }
        if !attrs.isEmpty { msg += "; " + ContentDeployment.attrMessage(attrs) }
        data["msg"] = .string(msg)
        return ModuleResult(changed: changed, message: msg, data: data)
    }

    static let body = #"""
    case $dest in
      */) dest="$dest$fname" ;;
      *) [ -d "$dest" ] && dest="${dest%/}/$fname" ;;
    esac
    pv dest "$dest"
    hashof() { "${algo}sum" < "$1" | cut -d ' ' -f 1; }
    if [ -f "$dest" ]; then
      if [ -n "$algo" ]; then
        cur=$(hashof "$dest")
        if [ "$cur" = "$sum" ]; then pv sum "$cur"; pv state same; pv_attrs "$dest"; exit 0; fi
      elif [ "$force" != 1 ]; then
        pv state exists; pv_attrs "$dest"; exit 0
      fi
    fi
    if [ "$check" = 1 ]; then pv state would-download; exit 0; fi
    dir=$(dirname -- "$dest")
    [ -d "$dir" ] || die "destination directory $dir does not exist"
    tmp=$(mktemp "$dir/.provision-get_url.XXXXXX") || die "cannot create a temporary file in $dir"
    trap 'rm -f -- "$tmp"' EXIT
    if command -v curl >/dev/null 2>&1; then
      set -- -fsSL --connect-timeout "$timeout" -o "$tmp"
      [ "$insecure" = 1 ] && set -- "$@" -k
      if [ -n "$headers" ]; then
        while IFS= read -r h; do set -- "$@" -H "$h"; done <<EOF
    $headers
    EOF
      fi
      err=$(curl "$@" -- "$url" 2>&1) || die "download of $url failed: $err"
    elif command -v wget >/dev/null 2>&1; then
      set -- -q -T "$timeout" -O "$tmp"
      [ "$insecure" = 1 ] && set -- "$@" --no-check-certificate
      if [ -n "$headers" ]; then
        while IFS= read -r h; do set -- "$@" --header="$h"; done <<EOF
    $headers
    EOF
      fi
      err=$(wget "$@" -- "$url" 2>&1) || die "download of $url failed: $err"
    else
      die "get_url needs curl or wget on the host"
    fi
    if [ -n "$algo" ]; then
      got=$(hashof "$tmp")
      [ "$got" = "$sum" ] || die "the $algo checksum of $url is $got, expected $sum"
      pv sum "$got"
    fi
    if [ -f "$dest" ] && cmp -s -- "$tmp" "$dest"; then pv state same; pv_attrs "$dest"; exit 0; fi
    if [ -f "$dest" ]; then
      chmod "$(stat -c %a -- "$dest")" "$tmp"
      chown "$(stat -c %u:%g -- "$dest")" "$tmp" 2>/dev/null || true
      if [ "$backup" = 1 ]; then
        _b="$dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- "$dest" "$_b" && pv backup "$_b"
      fi
    else
      chmod "$(printf '%o' $(( 0666 & ~0$(umask) )))" "$tmp"
    fi
    mv -f -- "$tmp" "$dest" || die "cannot move the download to $dest"
    trap - EXIT
    pv state downloaded
    pv_attrs "$dest"
    exit 0
    """#
}
