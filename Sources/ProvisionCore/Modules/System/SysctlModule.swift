/// `sysctl` (ansible.posix.sysctl): a kernel parameter in a sysctl file, and optionally live.
///
/// As Ansible's: the file is rewritten with every `key=value` line stripped and later
/// duplicates of a key dropped; the task changes when the file's value differs, or (with
/// `reload`) when the live value differs from the file's, or (with `sysctl_set`) when the live
/// value differs. A change with `reload` runs `sysctl -p FILE`. One remote script.
public struct SysctlModule: Module {
    public static let name = "sysctl"
    public static let aliases = ["ansible.posix.sysctl"]
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true, aliases: ["key"]),
        .init("value", .any, aliases: ["val"]),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("reload", .bool, default: true),
        .init("sysctl_set", .bool, default: false),
        .init("ignoreerrors", .bool, default: false),
        .init("sysctl_file", default: "/etc/sysctl.conf"),
    ])

    public var key: String
    /// Normalised as Ansible does: booleans become 1/0, surrounding blanks go.
    public var value: String
    public var present: Bool
    public var reload: Bool
    public var sysctlSet: Bool
    public var ignoreErrors: Bool
    public var file: String

    public init(arguments args: ModuleArguments) throws {
        key = try args.requiredString("name").trimmingCharacters(in: .whitespaces)
        present = try args.choice("state", ["present", "absent"]) != "absent"
        value = Self.normalise(args.values["value"])
        reload = try args.bool("reload") ?? true
        sysctlSet = try args.bool("sysctl_set") ?? false
        ignoreErrors = try args.bool("ignoreerrors") ?? false
        file = try args.string("sysctl_file") ?? "/etc/sysctl.conf"
        if key.isEmpty { throw ModuleError("name cannot be blank") }
        if present && !args.has("value") { throw ModuleError("state is present but all of the following are missing: value") }
        if present && value.isEmpty { throw ModuleError("value cannot be blank") }
        if key.contains("=") || key.contains("\n") || value.contains("\n") {
            throw ModuleError("sysctl name and value must be on one line, and the name has no '='")
        }
    }

    /// Ansible's `_parse_value`: booleans (and their spellings) become 1/0.
    static func normalise(_ v: Value?) -> String {
        guard let v, !v.isNull else { return "" }
        if case .bool(let b) = v { return b ? "1" : "0" }
        let s = v.renderedString
        if case .string = v {
            switch s.lowercased() {
            case "yes", "on", "true", "1", "y", "t": return "1"
            case "no", "off", "false", "0", "n", "f": return "0"
            default: break
            }
        }
        return s.trimmingCharacters(in: .whitespaces)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("key", key)
        s.set("value", value)
        s.set("present", present)
        s.set("reload", reload)
        s.set("sysctl_set", sysctlSet)
        s.set("ignore", ignoreErrors)
        s.set("file", file)
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        let changed = out.has("changed")
        var result = ModuleResult(changed: changed)
        if context.diffMode, out.has("wrote"), let before = out.first("before64"), let after = out.first("after64") {
            result.diffs = [FileDiff(path: file, before: Base64Text.decode(before), after: Base64Text.decode(after))]
        }
        return result
    }

    static let body = #"""
    command -v sysctl >/dev/null 2>&1 || die "sysctl is not on this host (package procps)"
    live=$(sysctl -e -n "$key" 2>/dev/null); live_rc=$?
    [ -n "$live" ] || live_rc=1
    # Same-value test as Ansible: whitespace-separated words equal in order.
    same_words() { [ "$(printf '%s' "$1" | tr -s ' \t' '  ' | sed 's/^ //; s/ $//')" = "$(printf '%s' "$2" | tr -s ' \t' '  ' | sed 's/^ //; s/ $//')" ]; }
    tmp=$(mktemp) || die "mktemp failed"
    trap 'rm -f "$tmp" "$tmp.v"' EXIT
    # The rewritten file, and the file's current value of the key (the last one) in $tmp.v.
    { [ -f "$file" ] && cat "$file"; } | K="$key" V="$value" P="$present" awk -v vf="$tmp.v" '
      function strip(s) { sub(/^[ \t\r\n]+/, "", s); sub(/[ \t\r\n]+$/, "", s); return s }
      { line = strip($0)
        if (line == "" || line ~ /^[#;]/ || index(line, "=") == 0) { print line; next }
        i = index(line, "="); k = strip(substr(line, 1, i - 1)); v = strip(substr(line, i + 1))
        if (k == ENVIRON["K"]) { found = 1; fv = v }
        if (k in seen) next
        seen[k] = 1
        if (k == ENVIRON["K"]) { if (ENVIRON["P"] == 1) print k "=" ENVIRON["V"] } else print k "=" v }
      END { if (!(ENVIRON["K"] in seen) && ENVIRON["P"] == 1) print ENVIRON["K"] "=" ENVIRON["V"]
            if (found) printf "%s", fv > vf }' > "$tmp" || die "cannot read $file"
    in_file=0; fv=""
    if [ -e "$tmp.v" ]; then in_file=1; fv=$(cat "$tmp.v"); fi
    changed=0; write=0; set_live=0
    if [ $in_file = 0 ]; then
      [ "$present" = 1 ] && { changed=1; write=1; }
    elif [ "$present" != 1 ]; then
      [ -n "$fv" ] && { changed=1; write=1; }
    elif [ "$fv" != "$value" ]; then
      changed=1; write=1
    elif [ "$reload" = 1 ]; then
      if [ $live_rc != 0 ] || ! same_words "$live" "$value"; then changed=1; fi
    fi
    if [ "$sysctl_set" = 1 ] && [ "$present" = 1 ]; then
      if [ $live_rc != 0 ]; then changed=1
      elif ! same_words "$live" "$value"; then changed=1; set_live=1; fi
    fi
    [ $changed = 1 ] && pv changed
    if [ $write = 1 ]; then
      pv wrote
      pv before64 "$({ [ -f "$file" ] && cat "$file"; } | base64 | tr -d '\n')"
      pv after64 "$(base64 < "$tmp" | tr -d '\n')"
    fi
    [ "$check" = 1 ] && exit 0
    e=""; [ "$ignore" = 1 ] && e=-e
    if [ $set_live = 1 ]; then
      _o=$(sysctl $e -w "$key=$value" 2>&1) || die "setting $key failed: $_o"
      printf '%s\n' "$_o" | grep -Eq '^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$' && die "setting $key failed: $_o"
    fi
    if [ $write = 1 ]; then
      _new="$file.pv$$"
      if [ -f "$file" ]; then cp -p "$file" "$_new" || die "cannot write next to $file"; fi
      cat "$tmp" > "$_new" && mv -f "$_new" "$file" || { rm -f "$_new"; die "cannot write $file"; }
    fi
    if [ $changed = 1 ] && [ "$reload" = 1 ]; then
      _o=$(sysctl $e -p "$file" 2>&1) || die "Failed to reload sysctl: $_o"
      printf '%s\n' "$_o" | grep -Eq '^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$' && die "Failed to reload sysctl: $_o"
    fi
    exit 0
    """#
}
