import Foundation

/// What `docker_container` wants of a container, from its arguments: the `docker create` flags
/// that make it, and how an existing container (its inspect output) differs from it.
///
/// Only options the task gives are compared ("idempotence by configuration"): an option left
/// out leaves the container's value alone. `comparisons` picks per option `strict`, `ignore` or
/// `allow_more_present` (lists, sets, dicts), with `*` for the rest; `env` and `labels` default
/// to `allow_more_present`, since the image adds its own.
public struct ContainerSpec {
    public var image: String?
    public var command: [String]?
    public var entrypoint: [String]?
    public var env: [String: String]?
    public var labels: [String: String]?
    public var publishedPorts: [String]?
    public var volumes: [String]?
    public var mounts: [[String: Value]]?
    public var hostname, user, workingDir, memory, networkMode: String?
    public var privileged, tty, interactive, initProcess, readOnly, autoRemove: Bool?
    public var restartPolicy: String?
    public var restartRetries: Int?
    public var healthcheck: [String: Value]?
    public var capabilities: [String]?
    public var comparisons: [String: String] = [:]
    /// The table-driven options the task gives (`ContainerOption.table`), with their create
    /// flags and wanted values.
    public var options: [(option: ContainerOption, flags: [String], wanted: ContainerOption.Shape)] = []
    /// Create flags of the options compared elsewhere (`ContainerExtras`).
    public var extraFlags: [String] = []

    /// One difference: the option, what the task wants, what the container has; `updatable`
    /// ones are changed in place (`docker update`), the rest need a new container.
    public struct Difference {
        public var option: String
        public var wanted: Value
        public var current: Value
        public var updatable = false
    }

    /// The collection's defaults: sets and dicts allow more on the container than the task names.
    static let defaultComparisons = ["env": "allow_more_present", "labels": "allow_more_present",
                                     "mounts": "allow_more_present", "volumes": "allow_more_present",
                                     "published_ports": "allow_more_present", "capabilities": "allow_more_present"]

    func comparison(_ option: String) -> String {
        comparisons[option] ?? Self.defaultComparisons[option] ?? comparisons["*"] ?? "strict"
    }

    // MARK: - create

    /// `docker create` flags (before the image) and the trailing command words.
    public func createArguments(name: String) throws -> (flags: [String], command: [String]) {
        var f = ["--name", name]
        if let e = entrypoint, let first = e.first { f += ["--entrypoint", first] }
        for (k, v) in (env ?? [:]).sorted(by: { $0.key < $1.key }) { f += ["--env", "\(k)=\(v)"] }
        for (k, v) in (labels ?? [:]).sorted(by: { $0.key < $1.key }) { f += ["--label", "\(k)=\(v)"] }
        for p in publishedPorts ?? [] { f += ["--publish", p] }
        for v in volumes ?? [] { f += ["--volume", v] }
        for m in mounts ?? [] { f += ["--mount", try Self.mountFlag(m)] }
        if let h = hostname { f += ["--hostname", h] }
        if let u = user { f += ["--user", u] }
        if let w = workingDir { f += ["--workdir", w] }
        if let m = memory { f += ["--memory", m] }
        if let n = networkMode { f += ["--network", n] }
        if privileged == true { f.append("--privileged") }
        if tty == true { f.append("--tty") }
        if interactive == true { f.append("--interactive") }
        if initProcess == true { f.append("--init") }
        if readOnly == true { f.append("--read-only") }
        if autoRemove == true { f.append("--rm") }
        for c in capabilities ?? [] { f += ["--cap-add", c] }
        if let r = restartPolicy {
            f += ["--restart", r == "on-failure" && restartRetries != nil ? "on-failure:\(restartRetries ?? 0)" : r]
        }
        if let h = healthcheck { f += try Self.healthFlags(h) }
        for o in options { f += o.flags }
        f += extraFlags
        var cmd = Array((entrypoint ?? []).dropFirst())
        cmd += command ?? []
        return (f, cmd)
    }

    static func mountFlag(_ m: [String: Value]) throws -> String {
        guard let target = m["target"]?.stringValue else { throw ModuleError("mounts: every mount needs 'target'") }
        var parts = ["type=\(m["type"]?.stringValue ?? "volume")", "target=\(target)"]
        if let s = m["source"]?.stringValue { parts.append("source=\(s)") }
        if m["read_only"].map({ SwarmInfo.bool($0) }) == true { parts.append("readonly") }
        if let p = m["propagation"]?.stringValue { parts.append("bind-propagation=\(p)") }
        if let s = m["tmpfs_size"]?.renderedString { parts.append("tmpfs-size=\(bytes(s).map(String.init) ?? s)") }
        if let mode = m["tmpfs_mode"]?.renderedString { parts.append("tmpfs-mode=\(mode)") }
        return parts.joined(separator: ",")
    }

    static func healthFlags(_ h: [String: Value]) throws -> [String] {
        let test = healthTest(h["test"])
        if test == ["NONE"] { return ["--no-healthcheck"] }
        var f: [String] = []
        if test.count >= 2 { f += ["--health-cmd", test.dropFirst().joined(separator: " ")] }
        for (k, flag) in [("interval", "--health-interval"), ("timeout", "--health-timeout"), ("start_period", "--health-start-period")] {
            if let v = h[k]?.renderedString { f += [flag, v] }
        }
        if let r = h["retries"]?.renderedString { f += ["--health-retries", r] }
        return f
    }

    /// The `Test` list docker stores for a `healthcheck.test`: a string runs in a shell.
    static func healthTest(_ v: Value?) -> [String] {
        switch v {
        case .string(let s)?: return ["CMD-SHELL", s]
        case .list(let l)?:
            let words = l.map(\.renderedString)
            if words.first == "CMD" { return ["CMD-SHELL", words.dropFirst().joined(separator: " ")] }
            return words
        default: return []
        }
    }

    // MARK: - compare

    /// How `c` (a container's inspect output) differs from this spec.
    public func differences(_ c: Value) -> [Difference] {
        var out: [Difference] = []
        let config = c["Config"] ?? .null, host = c["HostConfig"] ?? .null
        func add(_ o: String, _ w: Value, _ cur: Value, updatable: Bool = false) {
            out.append(Difference(option: o, wanted: w, current: cur, updatable: updatable))
        }
        func strings(_ v: Value?) -> [String] { v?.listValue?.map(\.renderedString) ?? [] }
        func scalar(_ o: String, _ want: String?, _ cur: Value?) {
            guard let want, comparison(o) != "ignore" else { return }
            if (cur?.stringValue ?? "") != want { add(o, .string(want), cur ?? .null) }
        }
        func flag(_ o: String, _ want: Bool?, _ cur: Value?) {
            guard let want, comparison(o) != "ignore" else { return }
            if SwarmInfo.bool(cur) != want { add(o, .bool(want), cur ?? .null) }
        }
        if let e = entrypoint, comparison("entrypoint") != "ignore" {
            // docker create takes one entrypoint word; the rest went to the front of Cmd (a new
            // entrypoint clears the image's Cmd, so without a command Cmd is exactly the rest).
            let haveEntry = strings(config["Entrypoint"]), haveCmd = strings(config["Cmd"])
            let ok = haveEntry == Array(e.prefix(1)) && (command.map { haveCmd == Array(e.dropFirst()) + $0 }
                ?? (haveCmd == Array(e.dropFirst())))
            if !ok { add("entrypoint", .list(e.map(Value.string)), .list((haveEntry + haveCmd).map(Value.string))) }
        } else if let cmd = command, comparison("command") != "ignore", strings(config["Cmd"]) != cmd {
            add("command", .list(cmd.map(Value.string)), config["Cmd"] ?? .null)
        }
        if let env, comparison("env") != "ignore" {
            var have: [String: String] = [:]
            for kv in strings(config["Env"]) {
                let p = kv.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                have[String(p[0])] = p.count > 1 ? String(p[1]) : ""
            }
            let extra = comparison("env") == "strict" && Set(have.keys).subtracting(env.keys).subtracting(["PATH"]).isEmpty == false
            if env.contains(where: { have[$0.key] != $0.value }) || extra {
                add("env", .dict(env.mapValues(Value.string)), config["Env"] ?? .null)
            }
        }
        if let labels, comparison("labels") != "ignore" {
            let have = (config["Labels"]?.dictValue ?? [:]).mapValues(\.renderedString)
            let extra = comparison("labels") == "strict" && !Set(have.keys).subtracting(labels.keys).isEmpty
            if labels.contains(where: { have[$0.key] != $0.value }) || extra {
                add("labels", .dict(labels.mapValues(Value.string)), config["Labels"] ?? .null)
            }
        }
        if let ports = publishedPorts, comparison("published_ports") != "ignore" {
            let want = Self.portBindings(ports)
            var have: Set<String> = []
            for (port, binds) in host["PortBindings"]?.dictValue ?? [:] {
                for b in binds.listValue ?? [] {
                    let ip = b["HostIp"]?.stringValue ?? ""
                    have.insert("\(port)|\(ip == "0.0.0.0" ? "" : ip)|\(b["HostPort"]?.stringValue ?? "")")
                }
            }
            let differs = comparison("published_ports") == "allow_more_present" ? !want.isSubset(of: have) : want != have
            if differs { add("published_ports", .list(ports.map(Value.string)), host["PortBindings"] ?? .null) }
        }
        if let vols = volumes, comparison("volumes") != "ignore" {
            let binds = vols.filter { $0.contains(":") }
            let anon = vols.filter { !$0.contains(":") }
            let haveBinds = Set(strings(host["Binds"]))
            let haveAnon = Set((config["Volumes"]?.dictValue ?? [:]).keys)
            let strict = comparison("volumes") == "strict"
            if (strict ? Set(binds) != haveBinds : !Set(binds).isSubset(of: haveBinds)) || !Set(anon).isSubset(of: haveAnon) {
                add("volumes", .list(vols.map(Value.string)), host["Binds"] ?? .null)
            }
        }
        if let mounts, comparison("mounts") != "ignore" {
            let have = (host["Mounts"]?.listValue ?? []).map { m in
                let t = m["TmpfsOptions"]
                return "\(m["Type"]?.stringValue ?? "")|\(m["Source"]?.stringValue ?? "")|\(m["Target"]?.stringValue ?? "")|\(SwarmInfo.bool(m["ReadOnly"]))|\(SwarmInfo.int(t?["SizeBytes"]) ?? 0)|\(SwarmInfo.int(t?["Mode"]) ?? 0)"
            }
            let want = mounts.map { m in
                // tmpfs_mode is octal text; the engine keeps the number.
                let size = m["tmpfs_size"].flatMap { Self.bytes($0.renderedString) } ?? 0
                let mode = m["tmpfs_mode"].flatMap { Int($0.renderedString, radix: 8) } ?? 0
                return "\(m["type"]?.stringValue ?? "volume")|\(m["source"]?.stringValue ?? "")|\(m["target"]?.stringValue ?? "")|\(m["read_only"].map { SwarmInfo.bool($0) } ?? false)|\(size)|\(mode)"
            }
            // A set of mounts: by default the container may have more than the task names.
            let differs = comparison("mounts") == "strict" ? Set(want) != Set(have) : !Set(want).isSubset(of: Set(have))
            if differs { add("mounts", .list(mounts.map(Value.dict)), host["Mounts"] ?? .null) }
        }
        scalar("hostname", hostname, config["Hostname"])
        scalar("user", user, config["User"])
        scalar("working_dir", workingDir, config["WorkingDir"])
        if let n = networkMode, comparison("network_mode") != "ignore", host["NetworkMode"]?.stringValue != n,
           !(n == "bridge" && host["NetworkMode"]?.stringValue == "default") {
            add("network_mode", .string(n), host["NetworkMode"] ?? .null)
        }
        flag("privileged", privileged, host["Privileged"])
        flag("tty", tty, config["Tty"])
        flag("interactive", interactive, config["OpenStdin"])
        flag("init", initProcess, host["Init"])
        flag("read_only", readOnly, host["ReadonlyRootfs"])
        flag("auto_remove", autoRemove, host["AutoRemove"])
        if let caps = capabilities, comparison("capabilities") != "ignore",
           !Set(caps.map { $0.uppercased() }).isSubset(of: Set(strings(host["CapAdd"]).map { $0.uppercased() })) {
            add("capabilities", .list(caps.map(Value.string)), host["CapAdd"] ?? .null)
        }
        if let m = memory, comparison("memory") != "ignore", let bytes = Self.bytes(m), SwarmInfo.int(host["Memory"]) != bytes {
            add("memory", .int(bytes), host["Memory"] ?? .null, updatable: true)
        }
        if let r = restartPolicy, comparison("restart_policy") != "ignore" {
            let name = host["RestartPolicy"]?["Name"]?.stringValue ?? ""
            if !(name == r || (r == "no" && name.isEmpty)) { add("restart_policy", .string(r), .string(name), updatable: true) }
        }
        if let want = restartRetries, comparison("restart_retries") != "ignore" {
            let have = host["RestartPolicy"]?["MaximumRetryCount"] ?? .int(0)
            if SwarmInfo.int(have) != want { add("restart_retries", .int(want), have, updatable: true) }
        }
        if let h = healthcheck, comparison("healthcheck") != "ignore" {
            let have = config["Healthcheck"]
            var differs = strings(have?["Test"]) != Self.healthTest(h["test"]) && !(Self.healthTest(h["test"]).isEmpty)
            for (k, key) in [("interval", "Interval"), ("timeout", "Timeout"), ("start_period", "StartPeriod")] {
                if let v = h[k]?.renderedString, Self.nanoseconds(v) != SwarmInfo.int(have?[key]) { differs = true }
            }
            if let r = h["retries"], SwarmInfo.int(r) ?? Int(r.renderedString) != SwarmInfo.int(have?["Retries"]) { differs = true }
            if differs { add("healthcheck", .dict(h), have ?? .null) }
        }
        for o in options {
            let mode = comparisons[o.option.name] ?? comparisons["*"] ?? o.option.defaultComparison
            guard mode != "ignore" else { continue }
            let cur = o.option.current(config, host)
            if ContainerOption.differs(o.wanted, cur, mode: mode) {
                add(o.option.name, o.wanted.value, cur.value, updatable: o.option.updatable)
            }
        }
        return out
    }

    /// Refuses published ports the collection refuses: more than three `:`-parts outside
    /// brackets, or a bind address that is a hostname.
    static func checkPorts(_ specs: [String]) throws {
        for spec in specs {
            var s = spec
            if let slash = s.lastIndex(of: "/") { s = String(s[..<slash]) }
            var ip: String?
            if s.hasPrefix("[") && !s.contains("]") {
                throw ModuleError("Cannot find closing \"]\" in input \"\(s)\" for opening \"[\" at index 1!")
            }
            if s.hasPrefix("["), let close = s.firstIndex(of: "]") {
                ip = String(s[s.index(after: s.startIndex)..<close])
                s = String(s[s.index(after: close)...])
                if s.hasPrefix(":") { s.removeFirst() }
                continue
            }
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count > 3 {
                throw ModuleError("Invalid port description \"\(spec)\" - expected 1 to 3 colon-separated parts, but got \(parts.count). Maybe you forgot to use square brackets ([...]) around an IPv6 address?")
            }
            if parts.count == 3 { ip = String(parts[0]) }
            if let ip, !ip.isEmpty, !Self.isIPv4(ip) {
                throw ModuleError("Bind addresses for published ports must be IPv4 or IPv6 addresses, not hostnames. Use the dig lookup to resolve hostnames. (Found hostname: \(ip))")
            }
        }
    }

    static func isIPv4(_ s: String) -> Bool {
        let p = s.split(separator: ".", omittingEmptySubsequences: false)
        return p.count == 4 && p.allSatisfy { Int($0).map { (0...255).contains($0) } ?? false }
    }

    /// `cport/proto|hostip|hostport` for each published port (ranges expanded).
    static func portBindings(_ specs: [String]) -> Set<String> {
        var out: Set<String> = []
        for spec in specs {
            var s = spec
            var proto = "tcp"
            if let slash = s.lastIndex(of: "/") { proto = String(s[s.index(after: slash)...]); s = String(s[..<slash]) }
            var parts = s.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if parts.count > 3 { // IPv6 host address in brackets
                let last2 = parts.suffix(2)
                parts = [parts.dropLast(2).joined(separator: ":").trimmingCharacters(in: CharacterSet(charactersIn: "[]"))] + last2
            }
            let cport = parts.last ?? ""
            let hport = parts.count >= 2 ? parts[parts.count - 2] : ""
            let ip = parts.count == 3 ? (parts[0] == "0.0.0.0" ? "" : parts[0]) : ""
            let c = range(cport), h = range(hport)
            for (i, port) in c.enumerated() {
                // One container port bound to a host range keeps the range, as docker stores it.
                let hp = h.isEmpty ? "" : (h.count == c.count ? String(h[i]) : (h.count == 1 ? String(h[0]) : (c.count == 1 ? hport : "")))
                out.insert("\(port)/\(proto)|\(ip)|\(hp)")
            }
        }
        return out
    }

    static func range(_ s: String) -> [Int] {
        let p = s.split(separator: "-").compactMap { Int($0) }
        if p.count == 2, p[0] <= p[1] { return Array(p[0]...p[1]) }
        return p.count == 1 ? p : []
    }

    /// `512m`, `1g`, `1024`, `1.5G` in bytes.
    public static func bytes(_ s: String) -> Int? {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Double] = ["b": 1, "k": 1024, "m": 1024 * 1024, "g": 1024 * 1024 * 1024, "t": pow(1024, 4), "p": pow(1024, 5)]
        var body = Substring(t)
        if body.hasSuffix("b"), body.count > 1, let c = body.dropLast().last, units[c] != nil { body = body.dropLast() }
        if let u = body.last, let mult = units[u] {
            return Double(body.dropLast()).map { Int($0 * mult) }
        }
        return Double(body).map { Int($0) }
    }

    /// A Go-style duration (`1m30s`, `500ms`, `10`) in nanoseconds; a bare number is seconds.
    public static func nanoseconds(_ s: String) -> Int? {
        if let n = Double(s) { return Int(n * 1e9) }
        var total = 0.0
        var number = ""
        var unit = ""
        func flush() -> Bool {
            guard let n = Double(number) else { return false }
            let mult: Double
            switch unit {
            case "ns": mult = 1
            case "us", "µs": mult = 1e3
            case "ms": mult = 1e6
            case "s": mult = 1e9
            case "m": mult = 60e9
            case "h": mult = 3600e9
            default: return false
            }
            total += n * mult
            number = ""
            unit = ""
            return true
        }
        for ch in s {
            if ch.isNumber || ch == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(ch)
            } else { unit.append(ch) }
        }
        guard flush() else { return nil }
        return Int(total)
    }

    /// Splits a command string as a POSIX shell would split words (quotes, backslashes).
    public static func shellWords(_ s: String) throws -> [String] {
        var words: [String] = []
        var cur = ""
        var inWord = false
        var quote: Character?
        var escape = false
        for ch in s {
            if escape { cur.append(ch); escape = false; inWord = true; continue }
            if let q = quote {
                if ch == q { quote = nil } else if ch == "\\" && q == "\"" { escape = true } else { cur.append(ch) }
                continue
            }
            if ch == "\\" { escape = true; continue }
            if ch == "'" || ch == "\"" { quote = ch; inWord = true; continue }
            if ch.isWhitespace {
                if inWord { words.append(cur); cur = ""; inWord = false }
                continue
            }
            cur.append(ch)
            inWord = true
        }
        if quote != nil { throw ModuleError("command: unterminated quote in '\(s)'") }
        if inWord { words.append(cur) }
        return words
    }
}
