import Foundation

/// `ufw` (community.general.ufw): firewall state, default policies, logging and rules.
///
/// As the collection's module: the commands are ufw's own (`--dry-run` in check mode), and
/// whether anything changed comes from `ufw status verbose` and the `### tuple` lines of the
/// user rules files before and after (in check mode: the state text, and the dry run's rules
/// against the current ones). A probe script reads the state; a second runs the commands.
public struct UfwModule: Module {
    public static let name = "ufw"
    public static let collection = "community.general"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("state", choices: ["enabled", "disabled", "reloaded", "reset"]),
            .init("default", choices: ["allow", "deny", "reject"], aliases: ["policy"]),
            .init("logging", choices: ["full", "high", "low", "medium", "off", "on"]),
            .init("direction", choices: ["in", "incoming", "out", "outgoing", "routed"]),
            .init("delete", .bool, default: false), .init("route", .bool, default: false),
            .init("insert", .int),
            .init("insert_relative_to", choices: ["zero", "first-ipv4", "last-ipv4", "first-ipv6", "last-ipv6"], default: "zero"),
            .init("rule", choices: ["allow", "deny", "limit", "reject"]),
            .init("interface", aliases: ["if"]), .init("interface_in", aliases: ["if_in"]),
            .init("interface_out", aliases: ["if_out"]),
            .init("log", .bool, default: false),
            .init("from_ip", aliases: ["from", "src"], default: "any"), .init("from_port"),
            .init("to_ip", aliases: ["dest", "to"], default: "any"), .init("to_port", aliases: ["port"]),
            .init("proto", choices: ["ah", "any", "esp", "ipv6", "tcp", "udp", "gre", "igmp"], aliases: ["protocol"]),
            .init("name", aliases: ["app"]), .init("comment"),
        ],
        requiredOneOf: [["state", "default", "rule", "logging"]],
        mutuallyExclusive: [["name", "proto", "logging"], ["direction", "interface_in"], ["direction", "interface_out"]])

    var state: String?
    var policy: String?
    var logging: String?
    var direction: String?
    var delete: Bool
    var route: Bool
    var insert: Int?
    var insertRelativeTo: String
    var rule: String?
    var interface: String?
    var interfaceIn: String?
    var interfaceOut: String?
    var log: Bool
    var fromIP: String
    var fromPort: String?
    var toIP: String
    var toPort: String?
    var proto: String?
    var app: String?
    var comment: String?

    public init(arguments args: ModuleArguments) throws {
        // Empty values count as not given, as the module's `if params[key]` does.
        func s(_ k: String) throws -> String? { try args.string(k).flatMap { $0.isEmpty ? nil : $0 } }
        state = try s("state")
        policy = try s("default")
        logging = try s("logging")
        direction = try s("direction")
        delete = try args.bool("delete") ?? false
        route = try args.bool("route") ?? false
        insert = try args.int("insert")
        insertRelativeTo = try args.string("insert_relative_to") ?? "zero"
        rule = try s("rule")
        interface = try s("interface")
        interfaceIn = try s("interface_in")
        interfaceOut = try s("interface_out")
        log = try args.bool("log") ?? false
        fromIP = try args.string("from_ip") ?? "any"
        fromPort = try s("from_port")
        toIP = try args.string("to_ip") ?? "any"
        toPort = try s("to_port")
        proto = try s("proto")
        app = try s("name")
        comment = try s("comment")
        if args.has("interface") && !args.has("direction") {
            throw ModuleError("missing parameter(s) required by 'interface': direction")
        }
        if state == nil && policy == nil && rule == nil && logging == nil {
            throw ModuleError("one of the following is required: state, default, rule, logging")
        }
    }

    /// The commands in the module's order (state, default, rule, logging), each as words.
    /// `insertTo` is the computed rule position; `withComment` says ufw takes `comment`.
    func commands(ufw: String, check: Bool, insertTo: Int?, withComment: Bool) throws -> [(kind: String, words: [String])] {
        var out: [(String, [String])] = []
        let base = [ufw] + (check ? ["--dry-run"] : [])
        if let state {
            let verb = ["enabled": "enable", "disabled": "disable", "reloaded": "reload", "reset": "reset"][state] ?? state
            if !check { out.append(("state", base + ["-f", verb])) }
        }
        if let policy {
            guard [nil, "outgoing", "incoming", "routed"].contains(direction) else {
                throw ModuleError("For default, direction must be one of \"outgoing\", \"incoming\" and \"routed\", or direction must not be specified.")
            }
            if !check { out.append(("default", base + ["default", policy] + (direction.map { [$0] } ?? []))) }
        }
        if let rule {
            guard [nil, "in", "out"].contains(direction) else {
                throw ModuleError("For rules, direction must be one of \"in\" and \"out\", or direction must not be specified.")
            }
            if !route && interfaceIn != nil && interfaceOut != nil {
                throw ModuleError("Only route rules can combine interface_in and interface_out")
            }
            var w = base
            if route { w.append("route") }
            if delete { w.append("delete") }
            if let insertTo, !delete { w += ["insert", String(insertTo)] }
            w.append(rule)
            if let direction { w.append(direction) }
            if let interface { w += ["on", interface] }
            if let interfaceIn { w += ["in", "on", interfaceIn] }
            if let interfaceOut { w += ["out", "on", interfaceOut] }
            if log { w.append("log") }
            if !fromIP.isEmpty { w += ["from", fromIP] }
            if let fromPort { w += ["port", fromPort] }
            if !toIP.isEmpty { w += ["to", toIP] }
            if let toPort { w += ["port", toPort] }
            if let proto { w += ["proto", proto] }
            if let app { w += ["app", app] }
            if withComment, let comment { w += ["comment", comment] }
            out.append(("rule", w))
        }
        if let logging, !check { out.append(("logging", base + ["logging", logging])) }
        return out
    }

    /// Ansible's rule position for `insert` with `insert_relative_to`, from `ufw status numbered`.
    func insertPosition(numbered: String) -> Int? {
        guard let insert, !delete else { return nil }
        if insertRelativeTo == "zero" { return insert }
        var lines: [(Int, Bool)] = []
        for l in numbered.split(separator: "\n") {
            guard l.hasPrefix("["), let close = l.firstIndex(of: "]"),
                  let n = Int(l[l.index(after: l.startIndex)..<close].trimmingCharacters(in: .whitespaces)) else { continue }
            lines.append((n, l.contains("(v6)")))
        }
        let last = lines.map(\.0).max() ?? 0
        let v4 = lines.filter { !$0.1 }.map(\.0)
        let hasV6 = lines.contains { $0.1 }
        let relative: Int
        switch insertRelativeTo {
        case "first-ipv4": relative = 1
        case "last-ipv4": relative = v4.max() ?? 1
        case "first-ipv6": relative = v4.isEmpty ? 1 : (v4.max() ?? 0) + 1
        default: relative = hasV6 ? last : last + 1
        }
        let to = insert + relative
        return to > last ? nil : to
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var probe = ModuleScript(Self.probeBody)
        probe.set("numbered", rule != nil && insert != nil && insertRelativeTo != "zero")
        probe.set("version", rule != nil)
        let p = try probe.run(in: context)
        if let f = p.failure { return .failed(f) }
        let ufw = p.first("ufw") ?? "ufw"
        let grep = p.first("grep") ?? "grep"
        let preState = Base64Text.decode(p.first("pre_state") ?? "")
        let preRules = Base64Text.decode(p.first("pre_rules") ?? "")
        var shown: [String] = [ufw + " status verbose", Self.rulesCommand(grep)]
        var withComment = false
        if rule != nil {
            let v = Base64Text.decode(p.first("version_text") ?? "")
            guard let (major, minor) = Self.version(v) else { return .failed("Failed to get ufw version.") }
            withComment = (major == 0 && minor >= 35) || major > 0
        }
        let cmds: [(kind: String, words: [String])]
        do {
            cmds = try commands(ufw: ufw, check: context.checkMode, insertTo: insertPosition(numbered: Base64Text.decode(p.first("numbered_text") ?? "")),
                                withComment: withComment)
        } catch let e as ModuleError { return .failed(e.message, data: ["commands": .list(shown.map(Value.string))]) }
        var changed = state == "reloaded" || state == "reset"
        // The collection compares logging with the state text in both modes (so with ufw
        // inactive, whose status shows no logging, it always reports a change); the rest only
        // in check mode.
        if logging != nil && loggingChange(preState) { changed = true }
        if context.checkMode { changed = changed || checkModeChange(preState) }
        var run = ModuleScript(Self.runBody)
        run.set("n", String(cmds.count))
        for (i, c) in cmds.enumerated() {
            run.set("c\(i + 1)", c.words.map(Shell.quote).joined(separator: " "))
        }
        run.set("post", !context.checkMode)
        run.set("ufw", ufw)
        run.set("grep", grep)
        let r = try run.run(in: context)
        for (i, c) in cmds.enumerated() where r.has("ran\(i + 1)") || r.first("failed_at") == String(i + 1) {
            if c.kind == "rule" { shown.append(ufw + " --version") }
            shown.append(Self.display(c.words))
        }
        let commandsValue: Value = .list(shown.map(Value.string))
        if let f = r.failure { return .failed(f, data: ["commands": commandsValue]) }
        if context.checkMode {
            if let i = cmds.firstIndex(where: { $0.kind == "rule" }) {
                let dry = Base64Text.decode(r.first("out\(i + 1)") ?? "")
                if Self.dryRunDiffers(dry, preRules: preRules, fromIP: fromIP, toIP: toIP) { changed = true }
            }
            return ModuleResult(changed: changed, data: ["commands": commandsValue])
        }
        let postState = Base64Text.decode(r.first("post_state") ?? "")
        if !changed {
            shown.append(ufw + " status verbose")
            shown.append(Self.rulesCommand(grep))
            changed = preState != postState || preRules != Base64Text.decode(r.first("post_rules") ?? "")
        } else {
            shown.append(ufw + " status verbose")
        }
        var msg = postState
        while msg.last?.isWhitespace == true { msg.removeLast() }
        return ModuleResult(changed: changed, message: msg, data: ["commands": .list(shown.map(Value.string))])
    }

    static let ruleFiles = ["/lib/ufw/user.rules", "/lib/ufw/user6.rules", "/etc/ufw/user.rules",
                            "/etc/ufw/user6.rules", "/var/lib/ufw/user.rules", "/var/lib/ufw/user6.rules"]

    static func rulesCommand(_ grep: String) -> String {
        ([grep, "-h", "'^### tuple'"] + ruleFiles).joined(separator: " ")
    }

    /// A command as the module lists it (words joined, `app`/`comment` values in quotes).
    static func display(_ w: [String]) -> String {
        var out: [String] = []
        for (i, word) in w.enumerated() {
            if i > 0, w[i - 1] == "app" || w[i - 1] == "comment" { out.append("'\(word)'") } else { out.append(word) }
        }
        return out.joined(separator: " ")
    }

    static func version(_ text: String) -> (Int, Int)? {
        guard let first = text.split(separator: "\n").first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
              let re = try? NSRegularExpression(pattern: #"^ufw.+(\d+)\.(\d+)(?:\.(\d+))?.*$"#) else { return nil }
        let s = String(first)
        guard let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
              let a = Range(m.range(at: 1), in: s), let b = Range(m.range(at: 2), in: s),
              let major = Int(s[a]), let minor = Int(s[b]) else { return nil }
        return (major, minor)
    }

    /// Check mode's verdict for state, default and logging, from `ufw status verbose`.
    func checkModeChange(_ pre: String) -> Bool {
        var changed = false
        if let state {
            let enabled = pre.contains(" active")
            if (state == "disabled" && enabled) || (state == "enabled" && !enabled) { changed = true }
        }
        if loggingChange(pre) { changed = true }
        if let policy {
            if let m = Self.match(#"Default: (deny|allow|reject) \(incoming\), (deny|allow|reject) \(outgoing\), (deny|allow|reject|disabled) \(routed\)"#, pre) {
                let idx = ["incoming": 0, "outgoing": 1, "routed": 2][direction ?? "incoming"] ?? 0
                let v = m[idx] ?? ""
                if v != policy && v != "disabled" { changed = true }
            } else { changed = true }
        }
        return changed
    }

    /// Whether `logging` differs from what `ufw status verbose` shows (no Logging line: yes).
    func loggingChange(_ pre: String) -> Bool {
        guard let logging else { return false }
        guard let m = Self.match(#"Logging: (on|off)(?: \(([a-z]+)\))?"#, pre) else { return true }
        let onOff = m[0] ?? "", level = m[1]
        if logging != "off" { return onOff == "off" || (logging != "on" && logging != level) }
        return onOff != "off"
    }

    /// The capture groups of the first match (nil for a group that took no part).
    static func match(_ pattern: String, _ s: String) -> [String?]? {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) else { return nil }
        return (1..<m.numberOfRanges).map { Range(m.range(at: $0), in: s).map { String(s[$0]) } }
    }

    static let ipv4 = #"((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])"#
    static let ipv6 = #"(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))"#

    /// Lines with their line breaks, as Python's `splitlines(True)`.
    static func linesKeeping(_ s: String) -> [String] {
        var out: [String] = [], cur = ""
        for ch in s { cur.append(ch); if ch == "\n" || ch == "\r\n" { out.append(cur); cur = "" } }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    static func filter(_ s: String, _ pattern: String) -> String {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return s }
        return linesKeeping(s).filter { re.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }.joined()
    }

    static func starts(_ ip: String, _ pattern: String) -> Bool {
        guard let re = try? NSRegularExpression(pattern: "^(?:" + pattern + ")") else { return false }
        return re.firstMatch(in: ip, range: NSRange(ip.startIndex..., in: ip)) != nil
    }

    /// The module's check-mode comparison of a rule's dry run with the current rules.
    static func dryRunDiffers(_ dry: String, preRules: String, fromIP: String, toIP: String) -> Bool {
        let lines = linesKeeping(dry)
        let skipping = lines.filter { $0.contains("Skipping") }.count
        if skipping > 0 && skipping == lines.count { return false }
        let tuples = lines.filter { $0.hasPrefix("### tuple") }.joined()
        if starts(fromIP, ipv4) || starts(toIP, ipv4) { return filter(preRules, ipv4) != filter(tuples, ipv4) }
        if starts(fromIP, ipv6) || starts(toIP, ipv6) { return filter(preRules, ipv6) != filter(tuples, ipv6) }
        return preRules != tuples
    }

    /// Reads the state before anything runs: `ufw status verbose`, the rule tuples, and when
    /// needed `ufw status numbered` and `ufw --version`.
    static let probeBody = #"""
    ufw=$(command -v ufw) || die "Failed to find required executable \"ufw\" in paths: $PATH"
    grep=$(command -v grep) || die "Failed to find required executable \"grep\""
    pv ufw "$ufw"; pv grep "$grep"
    LANG=C; export LANG
    # The output is kept byte for byte: it is compared with the state after the commands.
    _f="${TMPDIR:-/tmp}/.pv_ufw.$$"
    "$ufw" status verbose >"$_f" 2>"$_f.e"; _rc=$?
    _e=$(cat "$_f.e")
    [ $_rc = 0 ] || { _o=$(cat "$_f"); rm -f "$_f" "$_f.e"; die "${_e:-$_o}"; }
    pv pre_state "$(base64 < "$_f" | tr -d '\n')"
    rm -f "$_f" "$_f.e"
    pv pre_rules "$("$grep" -h '^### tuple' /lib/ufw/user.rules /lib/ufw/user6.rules /etc/ufw/user.rules /etc/ufw/user6.rules /var/lib/ufw/user.rules /var/lib/ufw/user6.rules 2>/dev/null | base64 | tr -d '\n')"
    [ "$numbered" = 1 ] && pv numbered_text "$("$ufw" status numbered 2>/dev/null | base64 | tr -d '\n')"
    [ "$version" = 1 ] && pv version_text "$("$ufw" --version 2>&1 | base64 | tr -d '\n')"
    exit 0
    """#

    /// Runs `c1`…`cN` (quoted command lines) in order, stopping at the first failure; then,
    /// unless in check mode, reads the state and rules again.
    static let runBody = #"""
    LANG=C; export LANG
    e="${TMPDIR:-/tmp}/.pv_ufw.$$"
    trap 'rm -f "$e"' EXIT
    i=1
    while [ "$i" -le "$n" ]; do
      eval "c=\$c$i"
      _o=$(eval "$c" 2>"$e"); _rc=$?
      if [ $_rc != 0 ]; then pv failed_at "$i"; _m=$(cat "$e"); die "${_m:-$_o}"; fi
      pv "ran$i"
      pv "out$i" "$(printf '%s\n' "$_o" | base64 | tr -d '\n')"
      i=$((i + 1))
    done
    if [ "$post" = 1 ]; then
      pv post_state "$("$ufw" status verbose 2>/dev/null | base64 | tr -d '\n')"
      pv post_rules "$("$grep" -h '^### tuple' /lib/ufw/user.rules /lib/ufw/user6.rules /etc/ufw/user.rules /etc/ufw/user6.rules /var/lib/ufw/user.rules /var/lib/ufw/user6.rules 2>/dev/null | base64 | tr -d '\n')"
    fi
    exit 0
    """#
}
