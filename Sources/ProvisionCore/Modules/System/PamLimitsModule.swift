import Foundation

/// `pam_limits` (community.general.pam_limits): one `domain type item value` line in a
/// limits.conf file.
///
/// As the collection's module, quirks included so a file ends up byte-identical: the file is
/// created (even in check mode) when missing; lines are matched on their whitespace-separated
/// fields; `use_max`/`use_min` keep the larger/smaller limit (`unlimited`, `infinity` and `-1`
/// count as no limit); a changed or added line is tab-separated with the comment after
/// `\t#`; when no `comment` is given the comment of the last line read that had one is used;
/// `backup` copies the file on every run. The file is read by one script, the new text is
/// computed here, and a second script (only when something is to be written or backed up)
/// replaces it atomically.
public struct PamLimitsModule: Module {
    public static let name = "pam_limits"
    public static let collection = "community.general"
    static let items = ["core", "data", "fsize", "memlock", "nofile", "rss", "stack", "cpu", "nproc", "as", "maxlogins",
                        "maxsyslogins", "priority", "locks", "sigpending", "msgqueue", "nice", "rtprio", "chroot"]
    static let types = ["soft", "hard", "-"]
    public static let argumentSpec = ArgumentSpec([
        .init("domain", required: true),
        .init("limit_type", required: true, choices: types),
        .init("limit_item", required: true, choices: items),
        .init("value", required: true),
        .init("use_max", .bool, default: false),
        .init("use_min", .bool, default: false),
        .init("backup", .bool, default: false),
        .init("dest", default: "/etc/security/limits.conf"),
        .init("comment", default: ""),
    ])

    public var domain: String
    public var type: String
    public var item: String
    public var value: String
    public var useMax: Bool
    public var useMin: Bool
    public var backup: Bool
    public var dest: String
    public var comment: String

    public init(arguments args: ModuleArguments) throws {
        domain = try args.requiredString("domain")
        type = try args.choice("limit_type", Self.types) ?? "-"
        item = try args.choice("limit_item", Self.items) ?? ""
        value = try args.requiredString("value")
        useMax = try args.bool("use_max") ?? false
        useMin = try args.bool("use_min") ?? false
        backup = try args.bool("backup") ?? false
        dest = try args.string("dest") ?? "/etc/security/limits.conf"
        comment = try args.string("comment") ?? ""
    }

    /// Python's `repr` of a string, as the module's messages quote values.
    static func repr(_ s: String) -> String {
        if s.contains("'") && !s.contains("\"") { return "\"" + s + "\"" }
        return "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    static let unlimited: Set<String> = ["unlimited", "infinity", "-1"]

    /// The module's check of a value for an item; the message when it is invalid.
    static func invalid(item: String, value: String, prefix: String = "") -> String? {
        if item == "nice" || item == "priority" {
            if let n = Int(value.trimmingCharacters(in: .whitespaces)), (-20...19).contains(n) { return nil }
            return "\(prefix) Value of \(repr(value)) for item \(repr(item)) is invalid. Value must be a number in the range -20 to 19 inclusive. Refer to the limits.conf(5) manual pages for more details."
        }
        if unlimited.contains(value) || (!value.isEmpty && value.allSatisfy { $0.isASCII && $0.isNumber }) { return nil }
        return "\(prefix) Value of \(repr(value)) for item \(repr(item)) is invalid. Value must either be 'unlimited', 'infinity' or -1, all of which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details."
    }

    /// The new file text, whether it changed, and the module's `msg` (the line as written);
    /// throws with the module's message for an invalid value or line.
    func plan(current: String) throws -> (text: String, changed: Bool, message: String) {
        if useMax && useMin { throw ModuleError("Cannot use use_min and use_max at the same time.") }
        if let m = Self.invalid(item: item, value: value) { throw ModuleError(m) }
        var lines: [String] = []
        var rest = Substring(current)
        while let nl = rest.firstIndex(of: "\n") {
            lines.append(String(rest[...nl]))
            rest = rest[rest.index(after: nl)...]
        }
        if !rest.isEmpty { lines.append(String(rest)) }
        var out = "", message = "", found = false, changed = false
        var newComment = comment
        var newValue = value
        for line in lines {
            if line.hasPrefix("#") { out += line; continue }
            let fields0 = line.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            if fields0.isEmpty { out += line; continue }
            let beforeHash = fields0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let oldComment = line.firstIndex(of: "#").map { String(line[line.index(after: $0)...]) } ?? ""
            if newComment.isEmpty { newComment = oldComment }
            var trimmed = beforeHash
            while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
            let f = trimmed.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4 else { out += line; continue }
            if let m = Self.invalid(item: f[2], value: f[3], prefix: "Invalid configuration found in '\(dest)'.") {
                throw ModuleError(m)
            }
            guard f[0] == domain && f[1] == type && f[2] == item else { out += line; continue }
            found = true
            let actual = f[3]
            if value == actual { message = line; out += line; continue }
            let actualUnl = Self.unlimited.contains(actual), valueUnl = Self.unlimited.contains(value)
            let vi = Int(value.trimmingCharacters(in: .whitespaces)) ?? 0, ai = Int(actual) ?? 0
            if useMax { newValue = actualUnl ? actual : valueUnl ? value : String(max(vi, ai)) }
            if useMin {
                newValue = actualUnl && valueUnl ? actual : actualUnl ? value : valueUnl ? actual : String(min(vi, ai))
            }
            if newValue != actual {
                changed = true
                if !newComment.isEmpty { newComment = "\t#" + newComment }
                let l = "\(domain)\t\(type)\t\(item)\t\(newValue)\(newComment)\n"
                message = l
                out += l
            } else {
                message = line
                out += line
            }
        }
        if !found {
            changed = true
            if !newComment.isEmpty { newComment = "\t#" + newComment }
            let l = "\(domain)\t\(type)\t\(item)\t\(newValue)\(newComment)\n"
            message = l
            out += l
        }
        return (out, changed, message)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var read = ModuleScript(Self.readBody)
        read.set("dest", dest)
        let r = try read.run(in: context)
        if let f = r.failure { return .failed(f) }
        let current = Base64Text.decode(r.first("content") ?? "")
        let p: (text: String, changed: Bool, message: String)
        do { p = try plan(current: current) } catch let e as ModuleError { return .failed(e.message) }
        let changed = p.changed || r.has("created")
        var result = ModuleResult(changed: changed)
        result.message = p.message
        if context.diffMode && current != p.text { result.diffs = [FileDiff(path: dest, before: current, after: p.text)] }
        let write = changed && !context.checkMode
        guard write || backup else { return result }
        var w = ModuleScript(Self.writeBody)
        w.set("dest", dest)
        w.set("backup", backup)
        w.set("write", write)
        let wo = try w.run(in: context, stdin: Data(p.text.utf8))
        if let f = wo.failure { return .failed(f) }
        if backup { result.data["backup_file"] = .string(wo.first("backup_file") ?? "") }
        return result
    }

    static let readBody = #"""
    if [ -f "$dest" ]; then
      [ -w "$dest" ] || die "$dest is not writable. Use sudo"
    else
      d=$(dirname -- "$dest")
      { [ -d "$d" ] && [ -w "$d" ]; } || die "directory $d is not writable (check presence, access rights, use sudo)"
      : >> "$dest" || die "cannot create $dest"
      pv created
    fi
    pv content "$(base64 < "$dest" | tr -d '\n')"
    """#

    /// Backs the file up (when asked) and replaces it with stdin, keeping its owner and mode.
    static let writeBody = #"""
    tmp="$dest.pv$$"
    trap 'rm -f "$tmp"' EXIT
    if [ "$backup" = 1 ] && [ -e "$dest" ]; then
      _b="$dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- "$dest" "$_b" || die "Could not make backup of $dest to $_b"
      pv backup_file "$_b"
    fi
    [ "$write" = 1 ] || exit 0
    cp -p -- "$dest" "$tmp" 2>/dev/null || : > "$tmp" || die "cannot write next to $dest"
    cat > "$tmp" && mv -f -- "$tmp" "$dest" || die "cannot write $dest"
    """#
}
