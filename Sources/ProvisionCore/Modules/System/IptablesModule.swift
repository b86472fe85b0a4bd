/// `iptables` (ansible.builtin.iptables): one rule, a chain's policy, a flush, or a chain,
/// in the live netfilter tables through `iptables`/`ip6tables` on the host.
///
/// As Ansible's: the rule's words are built in Ansible's order from the arguments (so the
/// registered `rule` and the command lines are the same), presence is asked with `-C`, a
/// missing rule is appended (`-A`) or inserted (`-I [rule_num]`), a present one removed with
/// `-D`; `flush` always reports a change; `policy` compares with the header of `-L CHAIN`;
/// `state: absent` without rule words reports whether the chain exists and deletes it only
/// with `chain_management`. Nothing is saved to disk, as in Ansible. One remote script.
///
/// One known difference: Ansible's `run_command` expands `$VAR` and `~` in each word from
/// the module's environment (`comment: "$HOME"` becomes `/root`); here words are passed as
/// written.
public struct IptablesModule: Module {
    public static let name = "iptables"
    public static let argumentSpec = ArgumentSpec([
        .init("table", choices: ["filter", "nat", "mangle", "raw", "security"], default: "filter"),
        .init("state", choices: ["absent", "present"], default: "present"),
        .init("action", choices: ["append", "insert"], default: "append"),
        .init("ip_version", choices: ["ipv4", "ipv6"], default: "ipv4"),
        .init("chain"), .init("rule_num"), .init("protocol"), .init("wait"),
        .init("source"), .init("to_source"), .init("destination"), .init("to_destination"),
        .init("match", .list), .init("tcp_flags", .dict), .init("jump"), .init("gateway"),
        .init("log_prefix"),
        .init("log_level", choices: ["0", "1", "2", "3", "4", "5", "6", "7", "emerg", "alert", "crit",
                                     "error", "warning", "notice", "info", "debug"]),
        .init("goto"), .init("in_interface"), .init("out_interface"), .init("fragment"),
        .init("set_counters"), .init("source_port"), .init("destination_port"),
        .init("destination_ports", .list), .init("to_ports"), .init("set_dscp_mark"),
        .init("set_dscp_mark_class"), .init("comment"), .init("ctstate", .list),
        .init("src_range"), .init("dst_range"), .init("match_set"),
        .init("match_set_flags", choices: ["src", "dst", "src,dst", "dst,src"]),
        .init("limit"), .init("limit_burst"), .init("uid_owner"), .init("gid_owner"),
        .init("reject_with"), .init("icmp_type"),
        .init("syn", choices: ["ignore", "match", "negate"], default: "ignore"),
        .init("flush", .bool, default: false),
        .init("policy", choices: ["ACCEPT", "DROP", "QUEUE", "RETURN"]),
        .init("chain_management", .bool, default: false),
    ], mutuallyExclusive: [["set_dscp_mark", "set_dscp_mark_class"], ["flush", "policy"]])

    /// The string-valued rule options, by name (`nil` when not given).
    var p: [String: String] = [:]
    var match: [String] = []
    var ctstate: [String] = []
    var destinationPorts: [String] = []
    var tcpFlags: (flags: [String], set: [String])?
    public var table: String
    public var chain: String?
    public var present: Bool
    public var insert: Bool
    public var ipv6: Bool
    public var flush: Bool
    public var policy: String?
    public var chainManagement: Bool
    public var syn: String
    /// `jump` as Ansible runs it: `LOG` when only logging options were given.
    var effectiveJump: String?

    static let stringOptions = [
        "rule_num", "protocol", "wait", "source", "to_source", "destination", "to_destination", "jump",
        "gateway", "log_prefix", "log_level", "goto", "in_interface", "out_interface", "fragment",
        "set_counters", "source_port", "destination_port", "to_ports", "set_dscp_mark",
        "set_dscp_mark_class", "comment", "src_range", "dst_range", "match_set", "match_set_flags",
        "limit", "limit_burst", "uid_owner", "gid_owner", "reject_with", "icmp_type",
    ]

    public init(arguments args: ModuleArguments) throws {
        for k in Self.stringOptions { p[k] = try args.string(k) }
        table = try args.choice("table", ["filter", "nat", "mangle", "raw", "security"]) ?? "filter"
        present = try args.choice("state", ["absent", "present"]) != "absent"
        insert = try args.choice("action", ["append", "insert"]) == "insert"
        ipv6 = try args.choice("ip_version", ["ipv4", "ipv6"]) == "ipv6"
        chain = try args.string("chain")
        match = try args.stringList("match") ?? []
        ctstate = try args.stringList("ctstate") ?? []
        destinationPorts = try args.stringList("destination_ports") ?? []
        if let d = try args.dict("tcp_flags") {
            let list: (Value?) -> [String]? = { v in
                guard let v, !v.isNull else { return nil }
                if case .list(let items) = v { return items.map(\.renderedString) }
                return v.renderedString.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            if let f = list(d["flags"]), let s = list(d["flags_set"]) { tcpFlags = (f, s) }
        }
        syn = try args.choice("syn", ["ignore", "match", "negate"]) ?? "ignore"
        flush = try args.bool("flush") ?? false
        policy = try args.choice("policy", ["ACCEPT", "DROP", "QUEUE", "RETURN"])
        chainManagement = try args.bool("chain_management") ?? false
        _ = try args.choice("log_level", ["0", "1", "2", "3", "4", "5", "6", "7", "emerg", "alert", "crit",
                                          "error", "warning", "notice", "info", "debug"])
        _ = try args.choice("match_set_flags", ["src", "dst", "src,dst", "dst,src"])
        if p["set_dscp_mark"] != nil && p["set_dscp_mark_class"] != nil {
            throw ModuleError("parameters are mutually exclusive: set_dscp_mark|set_dscp_mark_class")
        }
        if flush && policy != nil { throw ModuleError("parameters are mutually exclusive: flush|policy") }
        if let j = p["jump"], j == "TEE" || j == "tee", p["gateway"] == nil {
            throw ModuleError("jump is \(j) but all of the following are missing: gateway")
        }
        if !flush && chain == nil { throw ModuleError("Either chain or flush parameter must be specified.") }
        effectiveJump = p["jump"]
        if nonEmpty("log_prefix") || nonEmpty("log_level") {
            if effectiveJump == nil { effectiveJump = "LOG" } else if effectiveJump != "LOG" {
                throw ModuleError("Logging options can only be used with the LOG jump target.")
            }
        }
    }

    func nonEmpty(_ k: String) -> Bool { !(p[k] ?? "").isEmpty }

    /// The rule's words in Ansible's order. `jump` is the jump to use, `wait` the `-w`
    /// value (nil: none).
    func ruleWords(jump: String?, wait: String?) -> [String] {
        var r: [String] = []
        func param(_ v: String?, _ flag: String) {
            guard let v, !v.isEmpty else { return }
            if v.hasPrefix("!") { r += ["!", flag, String(v.dropFirst())] } else { r += [flag, v] }
        }
        func opt(_ k: String, _ flag: String) { param(p[k], flag) }
        func matchFlag(_ v: String?, _ flag: String, negatable: Bool) {
            if v == "match" { r.append(flag) } else if negatable && v == "negate" { r += ["!", flag] }
        }
        func csv(_ l: [String], _ flag: String) { if !l.isEmpty { r += [flag, l.joined(separator: ",")] } }
        func addMatch(_ on: Bool, _ m: String) { if on { r += ["-m", m] } }
        if let wait, !wait.isEmpty { r += ["-w", wait] }
        opt("protocol", "-p"); opt("source", "-s"); opt("destination", "-d")
        for m in match { param(m, "-m") }
        if let t = tcpFlags { r += ["--tcp-flags", t.flags.joined(separator: ","), t.set.joined(separator: ",")] }
        param(jump, "-j")
        if let j = jump, j.lowercased() == "tee" { opt("gateway", "--gateway") }
        opt("log_prefix", "--log-prefix"); opt("log_level", "--log-level")
        opt("to_destination", "--to-destination")
        addMatch(!destinationPorts.isEmpty, "multiport"); csv(destinationPorts, "--dports")
        opt("to_source", "--to-source"); opt("goto", "-g")
        opt("in_interface", "-i"); opt("out_interface", "-o"); opt("fragment", "-f")
        opt("set_counters", "-c"); opt("source_port", "--source-port")
        opt("destination_port", "--destination-port"); opt("to_ports", "--to-ports")
        opt("set_dscp_mark", "--set-dscp"); opt("set_dscp_mark_class", "--set-dscp-class")
        matchFlag(syn, "--syn", negatable: true)
        if match.contains("conntrack") { csv(ctstate, "--ctstate") } else if match.contains("state") {
            csv(ctstate, "--state")
        } else if !ctstate.isEmpty { addMatch(true, "conntrack"); csv(ctstate, "--ctstate") }
        if match.contains("iprange") || nonEmpty("src_range") || nonEmpty("dst_range") {
            addMatch(!match.contains("iprange"), "iprange")
            opt("src_range", "--src-range"); opt("dst_range", "--dst-range")
        }
        if match.contains("set") || nonEmpty("match_set") {
            addMatch(!match.contains("set"), "set")
            opt("match_set", "--match-set")
            if let f = p["match_set_flags"] { r.append(f) }
        }
        addMatch(nonEmpty("limit") || nonEmpty("limit_burst"), "limit")
        opt("limit", "--limit"); opt("limit_burst", "--limit-burst")
        for (k, flag) in [("uid_owner", "--uid-owner"), ("gid_owner", "--gid-owner")] {
            addMatch(nonEmpty(k), "owner")
            // Ansible's quirk, kept: an owner written `match`/`negate` adds the bare flag too.
            matchFlag(p[k], flag, negatable: true)
            opt(k, flag)
        }
        if jump == nil, nonEmpty("reject_with") { r += ["-j", "REJECT"] }
        opt("reject_with", "--reject-with")
        opt("icmp_type", ipv6 ? "--icmpv6-type" : "--icmp-type")
        addMatch(nonEmpty("comment"), "comment"); opt("comment", "--comment")
        return r
    }

    /// The registered `rule`: built from the arguments as written (Ansible builds it before
    /// defaulting the jump to LOG and before checking `wait` against the version).
    var reportedRule: String { ruleWords(jump: p["jump"], wait: p["wait"]).joined(separator: " ") }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("bin", ipv6 ? "ip6tables" : "iptables")
        s.set("table", table)
        s.set("chain", chain ?? "")
        s.set("rule", Shell.join(ruleWords(jump: effectiveJump, wait: nil)))
        s.set("wait", p["wait"] ?? "")
        s.set("rule_num", insert ? (p["rule_num"] ?? "") : "")
        let mode: String
        if flush { mode = "flush" } else if policy != nil { mode = "policy" } else if !present && reportedRule.isEmpty {
            mode = "chain_absent"
        } else { mode = "rule" }
        s.set("mode", mode)
        s.set("policy", policy ?? "")
        s.set("present", present)
        s.set("insert", insert)
        s.set("manage", chainManagement)
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        let data: [String: Value] = [
            "ip_version": .string(ipv6 ? "ipv6" : "ipv4"), "table": .string(table),
            "chain": chain.map(Value.string) ?? .null, "flush": .bool(flush), "rule": .string(reportedRule),
            "state": .string(present ? "present" : "absent"), "chain_management": .bool(chainManagement),
        ]
        if let f = out.failure { return .failed(f, data: data) }
        return ModuleResult(changed: out.has("changed"), data: data)
    }

    static let body = #"""
    ipt=$(command -v "$bin" 2>/dev/null)
    if [ -z "$ipt" ]; then
      for _d in /sbin /usr/sbin /usr/local/sbin; do [ -x "$_d/$bin" ] && { ipt=$_d/$bin; break; }; done
    fi
    [ -n "$ipt" ] || die "Failed to find required executable \"$bin\" in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin"
    _v=$("$ipt" --version 2>&1) || die "$_v"
    # -w takes seconds from 1.6.0 on (Ansible drops the value on older versions).
    use_wait=0
    if [ -n "$wait" ]; then
      _n=$(printf '%s\n' "${_v#*v}" | awk '{ split($1, a, "."); printf "%d", a[1] * 1000000 + a[2] * 1000 + a[3] }')
      [ "${_n:-0}" -ge 1006000 ] && use_wait=1
    fi
    # ipt_rule ACTION [RULE_NUM]: the rule's command, words already quoted in $rule.
    ipt_rule() {
      _a=$1; shift
      if [ $use_wait = 1 ]; then
        eval "\"\$ipt\" -t \"\$table\" \"\$_a\" \"\$chain\" \"\$@\" -w \"\$wait\" $rule"
      else
        eval "\"\$ipt\" -t \"\$table\" \"\$_a\" \"\$chain\" \"\$@\" $rule"
      fi
    }
    must() { _o=$("$@" 2>&1) || die "${_o:-$* failed}"; }
    case $mode in
    flush)
      pv changed
      [ "$check" = 1 ] && exit 0
      if [ -n "$chain" ]; then must "$ipt" -t "$table" -F "$chain"; else must "$ipt" -t "$table" -F; fi ;;
    policy)
      _l=$("$ipt" -t "$table" -L "$chain" 2>&1) || die "${_l:-cannot list chain $chain}"
      cur=$(printf '%s\n' "$_l" | head -n 1 | sed -n 's/.*(policy \([A-Z][A-Z]*\)).*/\1/p')
      [ -n "$cur" ] || die "Can't detect current policy"
      [ "$cur" = "$policy" ] && exit 0
      pv changed
      [ "$check" = 1 ] && exit 0
      must "$ipt" -t "$table" -P "$chain" "$policy" ;;
    chain_absent)
      "$ipt" -t "$table" -L "$chain" >/dev/null 2>&1 || exit 0
      pv changed
      [ "$check" = 1 ] || [ "$manage" != 1 ] && exit 0
      must "$ipt" -t "$table" -X "$chain" ;;
    rule)
      has_rule=0; ipt_rule -C >/dev/null 2>&1 && has_rule=1
      # Ansible asks for the chain whenever the rule is missing, whatever it then does.
      has_chain=1
      [ $has_rule = 1 ] || "$ipt" -t "$table" -L "$chain" >/dev/null 2>&1 || has_chain=0
      [ "$has_rule" = "$present" ] && exit 0
      pv changed
      [ "$check" = 1 ] && exit 0
      if [ "$present" = 1 ]; then
        if [ "$manage" = 1 ] && [ $has_chain = 0 ]; then
          must "$ipt" -t "$table" -N "$chain"
        fi
        if [ "$insert" = 1 ]; then
          if [ -n "$rule_num" ]; then _o=$(ipt_rule -I "$rule_num" 2>&1); else _o=$(ipt_rule -I 2>&1); fi
        else
          _o=$(ipt_rule -A 2>&1)
        fi
      else
        _o=$(ipt_rule -D 2>&1)
      fi
      [ $? = 0 ] || die "${_o:-$bin failed}" ;;
    esac
    exit 0
    """#
}
