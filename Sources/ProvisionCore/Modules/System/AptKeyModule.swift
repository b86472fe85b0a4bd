import Foundation

/// `apt_key`: a key in apt's keyring (or `keyring`), as Ansible's: the id comes from `id` or,
/// without it, from the key itself (`file`, `data`, or `url` fetched on the host with curl or
/// wget); present when the keyring already lists it (so a re-run is ok), added with
/// `apt-key add`, removed with `apt-key del`. Returns id, short_id, fp, key_id, before and
/// after. `keyserver` is refused: no network besides the key's own URL.
public struct AptKeyModule: Module {
    public static let name = "apt_key"
    public static let argumentSpec = ArgumentSpec([
        .init("id"),
        .init("url"),
        .init("data"),
        .init("file"),
        .init("keyring"),
        .init("validate_certs", .bool, default: true),
        .init("keyserver"),
        .init("state", choices: ["absent", "present"], default: "present"),
    ], mutuallyExclusive: [["data", "file", "keyserver", "url"]])

    public var id: String?
    public var url: String?
    public var data: String?
    public var file: String?
    public var keyring: String?
    public var validateCerts: Bool
    public var present: Bool

    public init(arguments args: ModuleArguments) throws {
        id = try args.string("id")
        url = try args.string("url")
        data = try args.string("data")
        file = try args.string("file")
        keyring = try args.string("keyring")
        validateCerts = try args.bool("validate_certs") ?? true
        present = try args.choice("state", ["absent", "present"]) != "absent"
        let sources = [url, data, file].compactMap { $0 }.count + (args.has("keyserver") ? 1 : 0)
        if sources > 1 { throw ModuleError("parameters are mutually exclusive: data|file|keyserver|url") }
        if args.has("keyserver") {
            if id == nil { throw ModuleError("Missing key_id, required with keyserver.") }
            throw ModuleError("apt_key keyserver is not supported by provision: give the key by file, data or url")
        }
        if let id, AptKeyID.parse(id) == nil { throw ModuleError("Invalid key_id") }
        if id == nil && sources == 0 {
            throw ModuleError(present ? "Invalid key_id" : "key is required to remove a key")
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var probe = script(Self.probeBody)
        probe.set("need_id", id == nil)
        let out = try probe.run(in: context, stdin: data.map { Data($0.utf8) })
        if let f = out.failure { return .failed(f) }
        var rawID = id
        if rawID == nil { rawID = AptKeyID.listed(in: Base64Text.decode(out.first("gpg") ?? "")).first }
        var r: [String: Value] = ["id": rawID.map(Value.string) ?? .null]
        guard let rawID, let parsed = AptKeyID.parse(rawID) else { return .failed("Invalid key_id", data: r) }
        r["short_id"] = .string(parsed.short)
        r["fp"] = .string(parsed.fingerprint)
        r["key_id"] = .string(parsed.keyID)
        let shortFormat = parsed.keyID.count == 8
        let wanted = shortFormat ? parsed.short : parsed.fingerprint
        let before = AptKeyID.listed(in: Base64Text.decode(out.first("keys") ?? ""), short: shortFormat)
        r["before"] = .list(before.map(Value.string))
        // Removal compares the 16-digit id, as Ansible's does.
        let changed = present ? !before.contains(wanted) : before.contains(parsed.fingerprint)
        guard changed else { return ModuleResult(changed: false, data: r) }
        guard !context.checkMode else { return ModuleResult(changed: true, data: r) }
        var act = script(Self.changeBody)
        act.set("present", present)
        act.set("short", parsed.short)
        let done = try act.run(in: context, stdin: data.map { Data($0.utf8) })
        if let f = done.failure { return .failed(f, data: r) }
        let after = AptKeyID.listed(in: Base64Text.decode(done.first("keys") ?? ""), short: shortFormat)
        r["after"] = .list(after.map(Value.string))
        let problem = "apt-key did not return an error, but %@ (check that the id is correct and *not* a subkey)"
        if present && !after.contains(wanted) {
            return .failed(problem.replacingOccurrences(of: "%@", with: "failed to add the key"), data: r)
        }
        if !present && after.contains(parsed.fingerprint) {
            return .failed(problem.replacingOccurrences(of: "%@", with: "the key was not removed"), data: r)
        }
        return ModuleResult(changed: true, data: r)
    }

    private func script(_ body: String) -> ModuleScript {
        var s = ModuleScript(Self.functions + "\n" + body)
        s.set("url", url ?? "")
        s.set("file", file ?? "")
        s.set("has_data", data != nil)
        s.set("keyring", keyring ?? "")
        s.set("insecure", !validateCerts)
        return s
    }

    /// `key_source`: the key's bytes into `$src` (a temporary file for data and url).
    /// `list_keys`: the keyring's listing as one base64 status line `keys`.
    static let functions = #"""
    command -v apt-key >/dev/null 2>&1 || die 'Failed to find required executable "apt-key"'
    command -v gpg >/dev/null 2>&1 || die 'Failed to find required executable "gpg"'
    tmp=$(mktemp) || die "mktemp failed"
    trap 'rm -f "$tmp"' EXIT
    key_source() {
      if [ -n "$file" ]; then src=$file; [ -r "$file" ] || die "Unable to extract key from '$file'"; return; fi
      src=$tmp
      if [ "$has_data" = 1 ]; then cat > "$tmp"; return; fi
      if command -v curl >/dev/null 2>&1; then
        k=; [ "$insecure" = 1 ] && k=-k
        curl -fsSL $k -o "$tmp" -- "$url" 2>"$tmp.err" || { e=$(cat "$tmp.err"); rm -f "$tmp.err"; die "Failed to download key at $url: $e"; }
      elif command -v wget >/dev/null 2>&1; then
        k=; [ "$insecure" = 1 ] && k=--no-check-certificate
        wget -q $k -O "$tmp" -- "$url" || die "Failed to download key at $url"
      else
        die "error getting key id from url: $url (neither curl nor wget on the host)"
      fi
      rm -f "$tmp.err"
    }
    apt_key() { if [ -n "$keyring" ]; then apt-key --keyring "$keyring" "$@"; else apt-key "$@"; fi; }
    list_keys() {
      _l=$(apt_key adv --list-public-keys --keyid-format=long 2>/dev/null) || die "Unable to list public keys"
      pv keys "$(printf '%s\n' "$_l" | base64 | tr -d '\n')"
    }
    """#

    static let probeBody = #"""
    if [ "$need_id" = 1 ]; then
      key_source
      _g=$(LANG=C gpg --with-colons "$src" 2>/dev/null) || { [ -n "$file" ] && die "Unable to extract key from '$file'"; die "Unable to extract key from 'inline data'"; }
      pv gpg "$(printf '%s\n' "$_g" | base64 | tr -d '\n')"
    fi
    list_keys
    exit 0
    """#

    static let changeBody = #"""
    if [ "$present" = 1 ]; then
      key_source
      _o=$(apt_key add "$src" 2>&1) || die "Unable to add a key: $_o"
    else
      _o=$(apt_key del "$short" 2>&1) || die "Unable to remove a key with id $short: $_o"
    fi
    list_keys
    exit 0
    """#
}
