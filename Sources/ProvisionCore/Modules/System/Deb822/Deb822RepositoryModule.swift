import Foundation

/// `deb822_repository`: a repository as `/etc/apt/sources.list.d/<slug>.sources` in deb822
/// form, written as Ansible writes it (`Deb822Source`). `signed_by` is kept as written when it
/// is a file on the host or inline key text (then inside the `.sources` file); a URL is fetched
/// on the host into `/etc/apt/keyrings/<slug>.asc` (`.gpg` for a binary key) and the file
/// named instead. Returns repo (the file's text), dest and key_filename. Like Ansible's, it
/// does not update apt's cache.
public struct Deb822RepositoryModule: Module {
    public static let name = "deb822_repository"
    static let boolKeys = ["allow_downgrade_to_insecure", "allow_insecure", "allow_weak", "by_hash", "check_date",
                           "check_valid_until", "enabled", "pdiffs", "trusted"]
    static let listKeys: [(String, [String])] = [("architectures", ["arch"]), ("components", ["component"]), ("languages", []),
                                                 ("suites", ["suite"]), ("targets", []), ("types", ["type"]), ("uris", ["uri"])]
    public static let argumentSpec = ArgumentSpec(
        boolKeys.map { ArgumentSpec.Field($0, .bool) }
        + listKeys.map { ArgumentSpec.Field($0.0, .list, aliases: $0.1) }
        + [
            .init("date_max_future", .int),
            .init("inrelease_path"),
            .init("install_python_debian", .bool, default: false),
            .init("mode", .mode, default: "0644"),
            .init("name", required: true),
            .init("signed_by"),
            .init("state", choices: ["present", "absent"], default: "present"),
        ])

    public var name: String
    public var present: Bool
    public var mode: String
    public var signedBy: String?
    var fields: [String: Deb822Source.Field] = [:]
    var slug: String { Deb822Source.slug(name) }
    var dest: String { "/etc/apt/sources.list.d/\(slug).sources" }

    public init(arguments args: ModuleArguments) throws {
        name = try args.requiredString("name")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        mode = try FileAttributes.mode(args.values["mode"]) ?? "644"
        fields["name"] = .text(name)
        for k in Self.boolKeys { if let b = try args.bool(k) { fields[k] = .bool(b) } }
        for (k, _) in Self.listKeys { if let l = try args.stringList(k) { fields[k] = .list(l) } }
        if fields["types"] == nil { fields["types"] = .list(["deb"]) }
        if case .list(let types) = fields["types"], let bad = types.first(where: { $0 != "deb" && $0 != "deb-src" }) {
            throw ModuleError("value of types must be one or more of: deb, deb-src. Got no match for: \(bad)")
        }
        if let d = try args.int("date_max_future") { fields["date_max_future"] = .int(d) }
        if let p = try args.string("inrelease_path") { fields["inrelease_path"] = .text(p) }
        signedBy = try args.string("signed_by")
        if let s = signedBy { fields["signed_by"] = .text(s) }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("dest", dest)
        s.set("present", present)
        s.set("check", context.checkMode)
        s.set("want_mode", mode)
        s.set("slug", slug)
        let plain = Deb822Source.render(fields)
        s.set("content", Data(plain.utf8).base64EncodedString())
        var keyed: (asc: String, gpg: String) = ("", "")
        if let sb = signedBy, Deb822Source.hasURLScheme(sb) {
            s.set("key_url", sb)
            s.set("signed_by", sb)
            for ext in ["asc", "gpg"] {
                var f = fields
                f["signed_by"] = .text("/etc/apt/keyrings/\(slug).\(ext)")
                let text = Deb822Source.render(f)
                if ext == "asc" { keyed.asc = text } else { keyed.gpg = text }
                s.set("content_\(ext)", Data(text.utf8).base64EncodedString())
            }
        }
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        let changed = out.has("changed") || out.has("attr")
        guard present else {
            return ModuleResult(changed: changed, data: ["repo": .null, "dest": .string(dest), "key_filename": .null])
        }
        let keyFile = out.first("key_filename")
        let repo = keyFile == nil ? plain : (keyFile?.hasSuffix(".gpg") == true ? keyed.gpg : keyed.asc)
        var r = ModuleResult(changed: changed, data: ["repo": .string(repo), "dest": .string(dest),
                                                      "key_filename": keyFile.map(Value.string) ?? .null])
        if out.has("changed") && context.diffMode {
            r.diffs = [FileDiff(path: dest, before: Base64Text.decode(out.first("before") ?? ""), after: repo)]
        }
        return r
    }

    static let body = #"""
    : "${key_url:=}" "${signed_by:=}" "${content_asc:=}" "${content_gpg:=}"
    if [ "$present" != 1 ]; then
      if [ -e "$dest" ]; then pv changed; [ "$check" = 1 ] || rm -f "$dest" || die "cannot remove $dest"; fi
      exit 0
    fi
    tmp=$(mktemp) || die "mktemp failed"
    trap 'rm -f "$tmp" "$tmp.k"' EXIT
    if [ -n "$key_url" ] && [ ! -f "$signed_by" ]; then
      if command -v curl >/dev/null 2>&1; then curl -fsSL -o "$tmp.k" -- "$key_url" 2>/dev/null || die "Could not fetch signed_by key."
      elif command -v wget >/dev/null 2>&1; then wget -q -O "$tmp.k" -- "$key_url" || die "Could not fetch signed_by key."
      else die "Could not fetch signed_by key. (neither curl nor wget on the host)"; fi
      if [ -s "$tmp.k" ]; then
        ext=asc
        [ -n "$(LC_ALL=C tr -d '\000-\177' < "$tmp.k" | head -c 1)" ] && ext=gpg
        key=/etc/apt/keyrings/$slug.$ext
        pv key_filename "$key"
        if [ "$ext" = gpg ]; then content=$content_gpg; else content=$content_asc; fi
        if ! cmp -s "$tmp.k" "$key"; then
          pv changed
          if [ "$check" != 1 ]; then
            mkdir -p /etc/apt/keyrings && chmod 755 /etc/apt/keyrings || die "cannot create /etc/apt/keyrings"
            cp "$tmp.k" "$key.pv$$" && mv -f "$key.pv$$" "$key" || die "cannot write $key"
          fi
        fi
        if [ -e "$key" ] && [ "$(stat -c %a "$key")" != 644 ]; then pv changed; [ "$check" = 1 ] || chmod 644 "$key"; fi
      fi
    fi
    printf '%s' "$content" | base64 -d > "$tmp" || die "cannot decode the file"
    if ! cmp -s "$tmp" "$dest"; then
      pv changed
      [ -f "$dest" ] && pv before "$(base64 < "$dest" | tr -d '\n')"
      if [ "$check" != 1 ]; then
        mkdir -p "$(dirname "$dest")" || die "cannot create $(dirname "$dest")"
        cp "$tmp" "$dest.pv$$" && mv -f "$dest.pv$$" "$dest" || die "cannot write $dest"
      fi
    fi
    [ -e "$dest" ] && pv_attrs "$dest"
    exit 0
    """#
}
