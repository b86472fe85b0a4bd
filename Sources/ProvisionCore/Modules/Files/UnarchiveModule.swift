import Foundation

/// `unarchive`: unpacks a tar (plain, .gz/.tgz, .bz2, .xz) or zip archive into an existing
/// directory on the host, from the controller (uploaded, looked up in `files/`) or, with
/// `remote_src`, from the host itself.
///
/// The archive is unpacked into a scratch directory beside `dest` first and compared member by
/// member (content, mode, link target) with what `dest` holds: only when something differs is
/// it copied in (`cp -a`, keeping the archive's times), so a re-run reports ok, as Ansible's
/// `tar --diff` check does. `extra_opts` go to tar or unzip; `list_files` returns the members.
public struct UnarchiveModule: Module {
    public static let name = "unarchive"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("src", required: true), .init("dest", required: true),
            .init("remote_src", .bool, default: false), .init("creates"),
            .init("list_files", .bool, default: false), .init("exclude", .list, default: .list([])),
            .init("include", .list, default: .list([])), .init("extra_opts", .list, default: .list([])),
            .init("keep_newer", .bool, default: false), .init("decrypt", .bool, default: true),
            .init("validate_certs", .bool, default: true),
        ] + FileAttributes.fields,
        mutuallyExclusive: [["include", "exclude"]]
    )

    public var src: String
    public var dest: String
    public var remoteSrc: Bool
    public var creates: String?
    public var listFiles: Bool
    public var exclude: [String]
    public var include: [String]
    public var extraOpts: [String]
    public var keepNewer: Bool
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        src = try args.requiredString("src")
        dest = try args.requiredString("dest")
        remoteSrc = try args.bool("remote_src") ?? false
        creates = try args.string("creates")
        listFiles = try args.bool("list_files") ?? false
        exclude = try args.stringList("exclude") ?? []
        include = try args.stringList("include") ?? []
        extraOpts = try args.stringList("extra_opts") ?? []
        keepNewer = try args.bool("keep_newer") ?? false
        attributes = try FileAttributes(args)
        if src.contains("://") && !remoteSrc {
            throw ModuleError("a URL src needs remote_src: true (the host downloads it); or use get_url first")
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var archive = src
        var uploaded: String?
        if !remoteSrc {
            let path = context.controllerFile(src, in: "files")
            guard let bytes = FileManager.default.contents(atPath: path) else {
                return .failed("Could not find or access '\(src)' on the controller")
            }
            let remote = "/tmp/.provision-unarchive-\(UUID().uuidString.prefix(12))-" + (path as NSString).lastPathComponent
            try context.transport.upload(bytes, to: remote, mode: 0o600, become: context.become)
            archive = remote
            uploaded = remote
        }
        defer { if let uploaded { _ = try? context.run("rm -f -- " + Shell.quote(uploaded)) } }
        var s = ModuleScript(Self.body)
        s.set("src", archive)
        s.set("dest", dest)
        s.set("creates", creates ?? "")
        s.set("check", context.checkMode)
        s.set("keep", keepNewer)
        s.set("extra", extraOpts.map(Shell.quote).joined(separator: " "))
        s.set("members", (include.isEmpty ? [] : include).map(Shell.quote).joined(separator: " "))
        s.set("excl", exclude.joined(separator: "\n"))
        attributes.apply(to: &s)
        let out = try s.run(in: context)
        var data: [String: Value] = ["dest": .string(dest), "src": .string(src)]
        if let h = out.first("handler") { data["handler"] = .string(h) }
        if let f = out.failure { return .failed(f, data: data) }
        if let skip = out.first("skipped") { return ModuleResult(skipped: true, message: skip) }
        if listFiles { data["files"] = .list(out.all("member").map(Value.string)) }
        let attrs = FileAttributes.changed(in: out)
        let changed = out.has("extracted") || !attrs.isEmpty
        data["state"] = "directory"
        return ModuleResult(changed: changed, message: changed ? (out.has("extracted") ? "extracted" : ContentDeployment.attrMessage(attrs)) : nil,
                            data: data)
    }

    static let body = #"""
    if [ -n "$creates" ] && [ -e "$creates" ]; then pv skipped "skipped, since $creates exists"; exit 0; fi
    [ -e "$src" ] || die "Source '$src' does not exist"
    [ -d "$dest" ] || die "Destination '$dest' is not a directory"
    if unzip -tqq "$src" >/dev/null 2>&1; then kind=zip; pv handler ZipArchive
    elif tar -tf "$src" >/dev/null 2>&1; then
      kind=tar
      # Ansible tries gzip first, then plain tar (which reads the other compressions too).
      if gzip -t "$src" >/dev/null 2>&1; then pv handler TgzArchive; else pv handler TarArchive; fi
    else
      command -v unzip >/dev/null 2>&1 || [ "${src%.zip}" = "$src" ] || die "Failed to find handler for \"$src\": unzip is not installed on the host"
      die "Failed to find handler for \"$src\". Make sure the required command to extract the file is installed."
    fi
    w=$(mktemp -d "${dest%/}/.provision-unarchive.XXXXXX") || die "cannot create a scratch directory in $dest"
    trap 'rm -rf -- "$w"' EXIT
    # The scratch directory stands for dest: an archive without a "./" entry leaves dest's mode.
    chmod "$(stat -c %a -- "$dest")" "$w"
    if [ -n "$excl" ]; then printf '%s\n' "$excl" > "$w.x"; trap 'rm -rf -- "$w" "$w.x"' EXIT; fi
    if [ "$kind" = tar ]; then
      if [ -n "$excl" ]; then set -- -X "$w.x"; else set --; fi
      eval "tar -xf \"\$src\" -C \"\$w\" \"\$@\" $extra -- $members" >/dev/null 2>"$w.err" || { e=$(cat "$w.err"); rm -f "$w.err"; die "tar failed: $e"; }
      rm -f "$w.err"
    else
      if [ -n "$excl" ]; then set -- -x; while IFS= read -r x; do set -- "$@" "$x"; done < "$w.x"; else set --; fi
      eval "unzip -qq -o $extra \"\$src\" $members \"\$@\" -d \"\$w\"" >/dev/null 2>&1 || die "unzip failed on $src"
    fi
    (cd "$w" && find . -mindepth 1) | sed 's|^\./||' > "$w.list"
    trap 'rm -rf -- "$w" "$w.x" "$w.list"' EXIT
    diff=0
    while IFS= read -r m; do
      pv member "$m"
      a=$w/$m; b=${dest%/}/$m
      if [ -L "$a" ]; then [ -L "$b" ] && [ "$(readlink -- "$a")" = "$(readlink -- "$b")" ] || diff=1
      elif [ -d "$a" ]; then [ -d "$b" ] && [ ! -L "$b" ] || diff=1
      elif [ -f "$b" ] && [ ! -L "$b" ]; then
        if [ "$keep" = 1 ] && [ "$b" -nt "$a" ]; then :; else cmp -s -- "$a" "$b" || diff=1; fi
      else diff=1; fi
      # With a mode argument, pv_attrs owns the mode: the archive's is not compared.
      if [ -z "$want_mode" ] && [ -e "$b" ] && [ ! -L "$a" ] && [ "$(stat -c %a -- "$a")" != "$(stat -c %a -- "$b")" ]; then
        [ "$keep" = 1 ] && [ "$b" -nt "$a" ] || diff=1
      fi
    done < "$w.list"
    if [ "$diff" = 1 ]; then
      pv extracted
      if [ "$check" != 1 ]; then
        if [ "$keep" = 1 ]; then
          while IFS= read -r m; do
            b=${dest%/}/$m
            if [ -f "$b" ] && [ "$b" -nt "$w/$m" ]; then rm -f -- "$w/$m"; fi
          done < "$w.list"
        fi
        cp -a -- "$w"/. "${dest%/}/" || die "cannot copy the unpacked files into $dest"
      fi
    fi
    if [ "$check" != 1 ] || [ "$diff" = 0 ]; then
      while IFS= read -r m; do [ -e "${dest%/}/$m" ] && pv_attrs "${dest%/}/$m"; done < "$w.list"
    fi
    exit 0
    """#
}
