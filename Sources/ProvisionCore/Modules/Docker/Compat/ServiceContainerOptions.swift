import Foundation

/// `docker_swarm_service`'s container options beyond the basics: `dns`, `dns_search`,
/// `dns_options`, `hosts`, `groups`, `cap_add`/`cap_drop`, `sysctls`, `healthcheck`,
/// `logging`, `rollback_config` and `stop_grace_period`, with their `docker service create`
/// flags and the `docker service update` flags that bring a spec to them, compared as the
/// collection compares them.
struct ServiceContainerOptions {
    var dns, dnsSearch, dnsOptions, groups, capAdd, capDrop: [String]?
    var hosts: [String: String]?
    var sysctls: [String: String]?
    /// The healthcheck in the API's terms (`test` as a list, durations in nanoseconds), and the
    /// flags that set it; `disabled` for `test: [NONE]`.
    var healthcheck: [String: Value]?
    var healthDisabled = false
    /// `healthcheck` given without a `test` (`{}`): the service is to have none.
    var healthCleared = false
    var healthFlags: [String] = []
    var logDriver: String?
    var logOptions: [String: String]?
    var rollback: [String: Value]?
    var stopGrace: String?

    init() {}

    init(arguments a: ModuleArguments) throws {
        dns = try a.stringList("dns")
        dnsSearch = try a.stringList("dns_search")
        dnsOptions = try a.stringList("dns_options")
        groups = try a.stringList("groups")
        capAdd = try a.stringList("cap_add")
        capDrop = try a.stringList("cap_drop")
        hosts = try DockerArgumentChecks.stringMap(a, "hosts")
        sysctls = try DockerArgumentChecks.stringMap(a, "sysctls")
        if let h = try a.dict("healthcheck"), (h["test"] ?? .null).isNull {
            healthCleared = true
        } else if let h = try a.dict("healthcheck"), let test = h["test"] {
            var words: [String]
            switch test {
            case .string(let s): words = ["CMD-SHELL", s]
            case .list(let l):
                words = l.map(\.renderedString)
                // The CLI sets a healthcheck only as a shell command: an exec-form test runs
                // as the same words, quoted, through the image's /bin/sh.
                if words.first == "CMD" { words = ["CMD-SHELL", words.dropFirst().map(Shell.quote).joined(separator: " ")] }
            default: throw ModuleError("healthcheck.test must be a string or a list")
            }
            if words == ["NONE"] {
                healthDisabled = true
            } else {
                guard words.first == "CMD-SHELL", words.count == 2 else {
                    throw ModuleError("healthcheck.test must be a string, [NONE], [CMD, ...] or [CMD-SHELL, command]")
                }
                var hc: [String: Value] = ["test": .list(words.map(Value.string))]
                healthFlags = ["--health-cmd", words[1]]
                for (k, flag) in [("interval", "--health-interval"), ("timeout", "--health-timeout"), ("start_period", "--health-start-period")] {
                    guard let v = h[k], !v.isNull else { continue }
                    guard let ns = ContainerSpec.nanoseconds(v.renderedString) else { throw ModuleError("healthcheck.\(k): '\(v.renderedString)' is not a duration") }
                    hc[k] = .int(ns)
                    healthFlags += [flag, v.renderedString]
                }
                if let r = h["retries"], !r.isNull {
                    hc["retries"] = .int(SwarmInfo.int(r) ?? Int(r.renderedString) ?? 0)
                    healthFlags += ["--health-retries", r.renderedString]
                }
                healthcheck = hc
            }
        }
        if let l = try a.dict("logging") {
            logDriver = l["driver"]?.stringValue
            logOptions = (l["options"]?.dictValue).map { [String: Value]($0).mapValues(\.renderedString) }
        }
        rollback = try a.dict("rollback_config")
        if let fa = rollback?["failure_action"]?.stringValue, !["continue", "pause"].contains(fa) {
            throw ModuleError("value of failure_action must be one of: continue, pause, got: \(fa) found in rollback_config")
        }
        stopGrace = try a.string("stop_grace_period")
    }

    static let rollbackFlags = [("parallelism", "--rollback-parallelism", "Parallelism"), ("delay", "--rollback-delay", "Delay"),
                                ("failure_action", "--rollback-failure-action", "FailureAction"), ("monitor", "--rollback-monitor", "Monitor"),
                                ("max_failure_ratio", "--rollback-max-failure-ratio", "MaxFailureRatio"), ("order", "--rollback-order", "Order")]

    /// The docker CLI stores capabilities upper-case with the `CAP_` prefix.
    static func capability(_ c: String) -> String {
        let u = c.uppercased()
        return u == "ALL" || u.hasPrefix("CAP_") ? u : "CAP_" + u
    }

    func createFlags() -> [String] {
        var f: [String] = []
        for d in dns ?? [] { f += ["--dns", d] }
        for d in dnsSearch ?? [] { f += ["--dns-search", d] }
        for d in dnsOptions ?? [] { f += ["--dns-option", d] }
        for (h, ip) in (hosts ?? [:]).sorted(by: { $0.key < $1.key }) { f += ["--host", "\(h):\(ip)"] }
        for g in groups ?? [] { f += ["--group", g] }
        for c in capAdd ?? [] { f += ["--cap-add", c] }
        for c in capDrop ?? [] { f += ["--cap-drop", c] }
        for (k, v) in (sysctls ?? [:]).sorted(by: { $0.key < $1.key }) { f += ["--sysctl", "\(k)=\(v)"] }
        f += healthDisabled ? ["--no-healthcheck"] : healthFlags
        if let d = logDriver { f += ["--log-driver", d] }
        for (k, v) in (logOptions ?? [:]).sorted(by: { $0.key < $1.key }) { f += ["--log-opt", "\(k)=\(v)"] }
        for (k, flag, _) in Self.rollbackFlags { if let v = rollback?[k], !v.isNull { f += [flag, v.renderedString] } }
        if let g = stopGrace { f += ["--stop-grace-period", g] }
        return f
    }

    /// `docker service update` flags and changed option names for `spec`; `rebuild` when a
    /// change cannot be made by an update through the CLI (a capability taken off a list: the
    /// CLI's `--cap-drop` also adds it to the dropped ones).
    func updatePlan(_ spec: Value) -> (flags: [String], changes: [String], rebuild: Bool) {
        var f: [String] = []
        var changes: [String] = []
        var rebuild = false
        let task = spec["TaskTemplate"] ?? .null, cs = task["ContainerSpec"] ?? .null
        func strings(_ v: Value?) -> [String] { v?.listValue?.map(\.renderedString) ?? [] }
        func list(_ option: String, _ want: [String]?, _ have: [String], ordered: Bool, add: String, rm: String) {
            guard let want else { return }
            if ordered ? want == have : want.sorted() == have.sorted() { return }
            changes.append(option)
            // The CLI sorts these lists when it updates them: an order other than sorted can
            // only be had by creating the service again.
            if ordered && (Set(want) == Set(have) || want != want.sorted()) { rebuild = true; return }
            // The CLI applies --*-add before --*-rm, so a value in both would end up removed.
            for h in have where !want.contains(h) { f += [rm, h] }
            for w in want where !have.contains(w) { f += [add, w] }
        }
        let dnsConfig = cs["DNSConfig"]
        list("dns", dns, strings(dnsConfig?["Nameservers"]), ordered: true, add: "--dns-add", rm: "--dns-rm")
        list("dns_search", dnsSearch, strings(dnsConfig?["Search"]), ordered: true, add: "--dns-search-add", rm: "--dns-search-rm")
        list("dns_options", dnsOptions, strings(dnsConfig?["Options"]), ordered: false, add: "--dns-option-add", rm: "--dns-option-rm")
        list("groups", groups, strings(cs["Groups"]), ordered: false, add: "--group-add", rm: "--group-rm")
        if let want = hosts {
            var have: [String: String] = [:]
            for entry in strings(cs["Hosts"]) {
                // The API keeps "IP NAME"; older specs "NAME:IP".
                if let c = entry.firstIndex(of: ":"), !entry.contains(" ") {
                    have[String(entry[..<c])] = String(entry[entry.index(after: c)...])
                } else {
                    let p = entry.split(separator: " ", maxSplits: 1).map(String.init)
                    if p.count == 2 { have[p[1]] = p[0] }
                }
            }
            if want != have {
                for (h, ip) in have.sorted(by: { $0.key < $1.key }) where want[h] != ip { f += ["--host-rm", "\(h):\(ip)"] }
                for (h, ip) in want.sorted(by: { $0.key < $1.key }) where have[h] != ip { f += ["--host-add", "\(h):\(ip)"] }
                changes.append("hosts")
            }
        }
        for (option, want, key, flag) in [("cap_add", capAdd, "CapabilityAdd", "--cap-add"), ("cap_drop", capDrop, "CapabilityDrop", "--cap-drop")] {
            guard let want else { continue }
            let w = Set(want.map(Self.capability)), h = Set(strings(cs[key]).map(Self.capability))
            if w == h { continue }
            changes.append(option)
            if !h.subtracting(w).isEmpty { rebuild = true }
            for c in w.subtracting(h).sorted() { f += [flag, c] }
        }
        if let want = sysctls {
            let have = (cs["Sysctls"]?.dictValue ?? [:]).mapValues(\.renderedString)
            if want != have {
                for k in have.keys.sorted() where want[k] == nil { f += ["--sysctl-rm", k] }
                for (k, v) in want.sorted(by: { $0.key < $1.key }) where have[k] != v { f += ["--sysctl-add", "\(k)=\(v)"] }
                changes.append("sysctls")
            }
        }
        let haveHC = cs["Healthcheck"]
        if healthCleared {
            let set = ["Test", "Interval", "Timeout", "StartPeriod", "Retries"].contains { k in
                haveHC?[k].map { !ServiceAttachments.isEmpty($0) } ?? false
            }
            if set {
                f += ["--health-cmd", "", "--health-interval", "0s", "--health-timeout", "0s", "--health-start-period", "0s", "--health-retries", "0"]
                changes.append("healthcheck")
            }
        } else if healthDisabled {
            if let t = haveHC?["Test"], strings(t) != ["NONE"] { f.append("--no-healthcheck"); changes.append("healthcheck") }
        } else if let want = healthcheck {
            var have: [String: Value] = [:]
            for (key, k) in [("Test", "test"), ("Interval", "interval"), ("Timeout", "timeout"), ("StartPeriod", "start_period"), ("Retries", "retries")] {
                if let v = haveHC?[key], !v.isNull { have[k] = v }
            }
            if !ServiceAttachments.same(.dict(want), .dict(have)) {
                // Every field set, zero for those the task leaves out, so none is kept from before.
                f += healthFlags
                for (k, flag) in [("interval", "--health-interval"), ("timeout", "--health-timeout"), ("start_period", "--health-start-period")] where want[k] == nil {
                    f += [flag, "0s"]
                }
                if want["retries"] == nil { f += ["--health-retries", "0"] }
                changes.append("healthcheck")
            }
        }
        let haveLog = task["LogDriver"]
        let driverChanged = logDriver.map { $0 != haveLog?["Name"]?.stringValue } ?? false
        let haveOpts = (haveLog?["Options"]?.dictValue ?? [:]).mapValues(\.renderedString)
        let optsChanged = logOptions.map { $0 != haveOpts } ?? false
        if driverChanged || optsChanged {
            // The CLI replaces the log options only together with the driver.
            f += ["--log-driver", logDriver ?? haveLog?["Name"]?.stringValue ?? "json-file"]
            for (k, v) in (logOptions ?? haveOpts).sorted(by: { $0.key < $1.key }) { f += ["--log-opt", "\(k)=\(v)"] }
            if driverChanged { changes.append("log_driver") }
            if optsChanged { changes.append("log_opt") }
        }
        if let want = rollback {
            let have = spec["RollbackConfig"]
            var w: [String: Value] = [:], h: [String: Value] = [:]
            var differing: [String] = []
            for (k, flag, key) in Self.rollbackFlags {
                guard let v = want[k], !v.isNull else { continue }
                if ["delay", "monitor"].contains(k) {
                    w[k] = ContainerSpec.nanoseconds(v.renderedString).map(Value.int) ?? v
                } else if k == "max_failure_ratio" {
                    w[k] = Double(v.renderedString).map(Value.double) ?? v
                } else {
                    w[k] = v
                }
                h[k] = have?[key] ?? .null
                if ServiceAttachments.dictChanged([k: w[k] ?? .null], [k: h[k] ?? .null]) { differing += [flag, v.renderedString] }
            }
            if !differing.isEmpty {
                f += differing
                changes.append("rollback_config")
            }
        }
        if let g = stopGrace, let ns = ContainerSpec.nanoseconds(g), ns != SwarmInfo.int(cs["StopGracePeriod"]) ?? 0 {
            f += ["--stop-grace-period", g]
            changes.append("stop_grace_period")
        }
        return (f, changes, rebuild)
    }
}
