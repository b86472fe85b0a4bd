import Foundation

/// The service `docker_swarm_service` asks for: its `docker service create` flags, and the
/// `docker service update` flags that bring an existing service's spec to it.
public struct ServiceSpec {
    public var image: String?
    public var mode = "replicated"
    public var replicas = -1
    public var command: [String]?
    public var args: [String]?
    public var env: [String: String]?
    public var labels: [String: String]?
    public var containerLabels: [String: String]?
    public var publish: [[String: Value]]?
    /// Networks, mounts, secrets and configs.
    var attachments = ServiceAttachments()
    /// DNS, hosts, groups, capabilities, sysctls, healthcheck, logging, rollback, stop grace.
    var container = ServiceContainerOptions()
    /// `env_files`: files on the node, read when the task runs (`env` wins over them).
    public var envFiles: [String]?
    public var constraints: [String]?
    public var maxPerNode: Int?
    /// `placement.preferences` as `spread=DESCRIPTOR` words (the only strategy swarm has).
    public var preferences: [String]?
    public var restartConfig: [String: Value]?
    public var updateConfig: [String: Value]?
    public var limits: [String: Value]?
    public var reservations: [String: Value]?
    public var scalars: [(option: String, flag: String, value: String, path: [String])] = []
    public var flags: [(option: String, flag: String, value: Bool, path: [String])] = []
    public var resolveImage = false

    public init() {}

    init(arguments a: ModuleArguments) throws {
        image = try a.string("image")
        mode = try a.string("mode") ?? "replicated"
        replicas = try a.int("replicas") ?? -1
        if let c = a.values["command"], !c.isNull {
            command = try Self.command(c)
        }
        args = try a.stringList("args")
        if let e = a.values["env"], !e.isNull {
            switch e {
            case .dict(let d):
                var out: [String: String] = [:]
                for (k, v) in d {
                    guard case .string(let s) = v else {
                        throw ModuleError("Non-string value found for env option. Ambiguous env options must be wrapped in quotes to avoid YAML parsing. Key: \(k)")
                    }
                    out[k] = s
                }
                env = out
            case .list(let l):
                env = try Self.environment(l.map(\.renderedString))
            case .string(let s):
                env = try Self.environment(s.split(separator: ",").map(String.init))
            default: throw ModuleError("Invalid type for env \(e.renderedString). Only list or dict allowed.")
            }
        }
        labels = try DockerArgumentChecks.stringMap(a, "labels")
        containerLabels = try DockerArgumentChecks.stringMap(a, "container_labels")
        attachments = try ServiceAttachments(arguments: a)
        container = try ServiceContainerOptions(arguments: a)
        envFiles = try a.stringList("env_files")
        publish = try DockerArgumentChecks.dictList(a, "publish")
        for p in publish ?? [] where p["target_port"] == nil {
            throw ModuleError("publish: target_port is required in every entry")
        }
        if let p = try a.dict("placement") {
            constraints = p["constraints"]?.listValue?.map(\.renderedString)
            maxPerNode = p["replicas_max_per_node"].flatMap { SwarmInfo.int($0) ?? Int($0.renderedString) }
            preferences = try p["preferences"]?.listValue?.map { pref in
                guard let d = pref.dictValue, d.count == 1, let spread = d["spread"]?.stringValue else {
                    throw ModuleError("placement.preferences: each entry must be a mapping like {spread: node.labels.KEY}")
                }
                return "spread=" + spread
            }
        }
        restartConfig = try a.dict("restart_config")
        updateConfig = try a.dict("update_config")
        limits = try a.dict("limits")
        reservations = try a.dict("reservations")
        for (o, f, path) in [("hostname", "--hostname", ["TaskTemplate", "ContainerSpec", "Hostname"]),
                             ("user", "--user", ["TaskTemplate", "ContainerSpec", "User"]),
                             ("working_dir", "--workdir", ["TaskTemplate", "ContainerSpec", "Dir"]),
                             ("endpoint_mode", "--endpoint-mode", ["EndpointSpec", "Mode"]),
                             ("stop_signal", "--stop-signal", ["TaskTemplate", "ContainerSpec", "StopSignal"])] {
            if let v = try a.string(o) { scalars.append((o, f, v, path)) }
        }
        for (o, f, path) in [("read_only", "--read-only", ["TaskTemplate", "ContainerSpec", "ReadOnly"]),
                             ("tty", "--tty", ["TaskTemplate", "ContainerSpec", "TTY"]),
                             ("init", "--init", ["TaskTemplate", "ContainerSpec", "Init"])] {
            if let v = try a.bool(o) { flags.append((o, f, v, path)) }
        }
        resolveImage = try a.bool("resolve_image") ?? false
    }

    /// The mode of an existing service's spec, in the task's words.
    static func mode(of spec: Value) -> String {
        let m = spec["Mode"]
        if m?["Global"] != nil { return "global" }
        if m?["ReplicatedJob"] != nil { return "replicated-job" }
        return "replicated"
    }

    /// `command` as the collection takes it: a string split as a shell would, or a list of
    /// strings; anything else is refused with its message.
    static func command(_ c: Value) throws -> [String] {
        switch c {
        case .string(let s): return try ContainerSpec.shellWords(s)
        case .list(let l):
            let bad = l.enumerated().filter { $0.element.stringValue == nil }
            if !bad.isEmpty {
                let items = bad.map { "\(pythonRepr($0.element)) at index \($0.offset)" }.joined(separator: ", ")
                throw ModuleError("All items in a command list need to be strings. Check quoting. Invalid items: \(items).")
            }
            return l.compactMap(\.stringValue)
        default:
            throw ModuleError("Invalid type for command \(pythonRepr(c)). Only string or list allowed. Check quoting.")
        }
    }

    /// A value with its Python type, as the collection's messages show it: `True (<class 'bool'>)`.
    static func pythonRepr(_ v: Value) -> String {
        switch v {
        case .bool(let b): return "\(b ? "True" : "False") (<class 'bool'>)"
        case .int(let i): return "\(i) (<class 'int'>)"
        case .double(let d): return "\(d) (<class 'float'>)"
        case .dict: return "\(v.renderedString) (<class 'dict'>)"
        case .list: return "\(v.renderedString) (<class 'list'>)"
        default: return v.renderedString
        }
    }

    /// `KEY=value` items as a mapping (later items win); an item without `=` is refused.
    static func environment(_ items: [String]) throws -> [String: String] {
        var d: [String: String] = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "=") else {
                throw ModuleError("Invalid environment variable found in list, needs to be in format KEY=VALUE.")
            }
            d[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        return d
    }

    /// An env file's `KEY=value` lines (blank lines and `#` comments skipped), as the
    /// collection reads `env_files`.
    static func environmentFile(_ text: String, path: String) throws -> [String: String] {
        var d: [String: String] = [:]
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if raw.first == "#" { continue }
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            guard let eq = line.firstIndex(of: "=") else { throw ModuleError("Invalid line in environment file \(path):\n\(line)") }
            d[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return d
    }

    /// The collection's name for a changed `restart_config`/`update_config` key.
    static func changeName(_ prefix: String, _ key: String) -> String {
        if prefix == "restart_policy" {
            return key == "condition" ? prefix : prefix + "_" + (key == "max_attempts" ? "attempts" : key)
        }
        return prefix + "_" + key
    }

    static let restartFlags = [("condition", "--restart-condition", "Condition"), ("delay", "--restart-delay", "Delay"),
                               ("max_attempts", "--restart-max-attempts", "MaxAttempts"), ("window", "--restart-window", "Window")]
    static let updateFlags = [("parallelism", "--update-parallelism", "Parallelism"), ("delay", "--update-delay", "Delay"),
                              ("failure_action", "--update-failure-action", "FailureAction"), ("monitor", "--update-monitor", "Monitor"),
                              ("max_failure_ratio", "--update-max-failure-ratio", "MaxFailureRatio"), ("order", "--update-order", "Order")]

    static func publishFlag(_ p: [String: Value]) -> String {
        var parts = ["target=\(p["target_port"]?.renderedString ?? "")"]
        if let pub = p["published_port"], !pub.isNull { parts.append("published=\(pub.renderedString)") }
        parts.append("protocol=\(p["protocol"]?.stringValue ?? "tcp")")
        if let m = p["mode"]?.stringValue { parts.append("mode=\(m)") }
        return parts.joined(separator: ",")
    }

    /// The collection's `has_publish_changed` (same count; sorted by published port, target
    /// port, protocol; `mode` compared only where the task gives it), and the flags: ports that
    /// are not wanted as they are removed (by target, protocol and mode, as `--publish-rm`
    /// matches), wanted ones not there added.
    static func publishPlan(_ want: [[String: Value]], have: [Value]) -> (changed: Bool, flags: [String]) {
        func tuple(_ published: Value?, _ target: Value?, _ proto: Value?, _ mode: Value?) -> (Int, Int, String, String?) {
            (published.flatMap { SwarmInfo.int($0) ?? Int($0.renderedString) } ?? 0,
             target.flatMap { SwarmInfo.int($0) ?? Int($0.renderedString) } ?? 0,
             proto?.stringValue ?? "tcp", mode.flatMap { $0.isNull ? nil : $0.stringValue })
        }
        let w = want.map { tuple($0["published_port"], $0["target_port"], $0["protocol"], $0["mode"]) }
        let h = have.map { tuple($0["PublishedPort"], $0["TargetPort"], $0["Protocol"], $0["PublishMode"] ?? "ingress") }
        func key(_ t: (Int, Int, String, String?)) -> String { "\(t.0)|\(t.1)|\(t.2)" }
        var changed = w.count != h.count
        if !changed {
            let ws = w.sorted { (($0.0, $0.1, $0.2)) < (($1.0, $1.1, $1.2)) }, hs = h.sorted { (($0.0, $0.1, $0.2)) < (($1.0, $1.1, $1.2)) }
            changed = zip(ws, hs).contains { a, b in key(a) != key(b) || (a.3 != nil && a.3 != b.3) }
        }
        guard changed else { return (false, []) }
        func matches(_ a: (Int, Int, String, String?), _ b: (Int, Int, String, String?)) -> Bool {
            key(a) == key(b) && (a.3 == nil || a.3 == b.3)
        }
        var f: [String] = []
        for t in h where !w.contains(where: { matches($0, t) }) {
            f += ["--publish-rm", "target=\(t.1),protocol=\(t.2),mode=\(t.3 ?? "ingress")"]
        }
        for (i, t) in w.enumerated() where !h.contains(where: { matches(t, $0) }) {
            f += ["--publish-add", publishFlag(want[i])]
        }
        return (true, f)
    }

    /// Words joined so the CLI's own shell-word split gives them back.
    static func joinWords(_ w: [String]) -> String { w.map(Shell.quote).joined(separator: " ") }

    func createArguments(name: String) throws -> [String] {
        var f = ["--detach", "--quiet", "--name", name, "--mode", mode]
        if !resolveImage { f.append("--no-resolve-image") }
        if mode != "global" && replicas >= 0 { f += ["--replicas", String(replicas)] }
        if let c = command { f += ["--entrypoint", Self.joinWords(c)] }
        for (k, v) in (env ?? [:]).sorted(by: { $0.key < $1.key }) { f += ["--env", "\(k)=\(v)"] }
        for (k, v) in (labels ?? [:]).sorted(by: { $0.key < $1.key }) { f += ["--label", "\(k)=\(v)"] }
        for (k, v) in (containerLabels ?? [:]).sorted(by: { $0.key < $1.key }) { f += ["--container-label", "\(k)=\(v)"] }
        for p in publish ?? [] { f += ["--publish", Self.publishFlag(p)] }
        for c in constraints ?? [] { f += ["--constraint", c] }
        if let m = maxPerNode { f += ["--replicas-max-per-node", String(m)] }
        for p in preferences ?? [] { f += ["--placement-pref", p] }
        for (k, flag, _) in Self.restartFlags { if let v = restartConfig?[k], !v.isNull { f += [flag, v.renderedString] } }
        for (k, flag, _) in Self.updateFlags { if let v = updateConfig?[k], !v.isNull { f += [flag, v.renderedString] } }
        // The collection's SDK sends a restart delay of 0 when restart_config leaves it out;
        // the CLI's own default is 5s.
        if let r = restartConfig, (r["delay"] ?? .null).isNull { f += ["--restart-delay", "0s"] }
        // The collection's SDK sends `continue` when update_config leaves failure_action out;
        // the CLI's own default is `pause`.
        if let u = updateConfig, u["failure_action"] == nil || u["failure_action"]?.isNull == true {
            f += ["--update-failure-action", "continue"]
        }
        if let c = limits?["cpus"] { f += ["--limit-cpu", c.renderedString] }
        if let m = limits?["memory"] { f += ["--limit-memory", m.renderedString] }
        if let c = reservations?["cpus"] { f += ["--reserve-cpu", c.renderedString] }
        if let m = reservations?["memory"] { f += ["--reserve-memory", m.renderedString] }
        for s in scalars { f += [s.flag, s.value] }
        for b in flags { f.append("\(b.flag)=\(b.value)") }
        f += attachments.createFlags() + container.createFlags()
        return f + ["--", image ?? ""] + (args ?? [])
    }

    /// Merges `env_files` (read on the node) under `env`, as the collection does.
    mutating func readEnvFiles(_ cli: DockerCLI) throws {
        // `env_files: []` (like `env: []`) asks for no environment at all.
        guard let files = envFiles else { return }
        var merged: [String: String] = [:]
        for path in files {
            let r = try cli.context.run("cat -- " + Shell.quote(path))
            guard r.succeeded else { throw ModuleError("Error reading env file \(path): \(SwarmInfo.excerpt(r.stderrText))") }
            merged.merge(try Self.environmentFile(r.stdoutText, path: path)) { $1 }
        }
        env = merged.merging(env ?? [:]) { $1 }
    }

    /// Network, secret and config names → IDs (`network:NAME`, …), for comparing with the
    /// spec (which records IDs); the collection's message when one does not exist.
    func lookupIDs(_ cli: DockerCLI) throws -> [String: String] {
        var out: [String: String] = [:]
        for (kind, name) in attachments.lookups {
            let found = try cli.inspect(kind, name).flatMap { ($0["Id"] ?? $0["ID"])?.stringValue }
            guard let id = found else {
                throw ModuleError(kind == "network" ? "Could not find a network named: '\(name)'." : "Could not find a \(kind) named \"\(name)\"")
            }
            out["\(kind):\(name)"] = id
        }
        return out
    }

    /// What `docker service update` must change in `spec` (an existing service's `Spec`).
    func updatePlan(_ spec: Value, ids: [String: String]) -> (flags: [String], changes: [String], rebuild: Bool) {
        var f: [String] = []
        var changes: [String] = []
        let task = spec["TaskTemplate"] ?? .null, cs = task["ContainerSpec"] ?? .null
        if mode != Self.mode(of: spec) { return ([], ["mode"], true) }
        func strings(_ v: Value?) -> [String] { v?.listValue?.map(\.renderedString) ?? [] }
        func map(_ v: Value?) -> [String: String] { (v?.dictValue ?? [:]).mapValues(\.renderedString) }
        if let image {
            let have = cs["Image"]?.stringValue ?? ""
            let bare = have.split(separator: "@").first.map(String.init) ?? have
            if bare != image && bare != image + ":latest" { f += ["--image", image]; changes.append("image") }
        }
        if mode == "replicated", replicas >= 0, SwarmInfo.int(spec["Mode"]?["Replicated"]?["Replicas"]) != replicas {
            f += ["--replicas", String(replicas)]; changes.append("replicas")
        }
        if let c = command, strings(cs["Command"]) != c { f += ["--entrypoint", Self.joinWords(c)]; changes.append("command") }
        if let a = args, strings(cs["Args"]) != a { f += ["--args", Self.joinWords(a)]; changes.append("args") }
        func dictFlags(_ option: String, _ want: [String: String]?, _ have: [String: String], add: String, rm: String) {
            guard let want, want != have else { return }
            for k in have.keys.sorted() where want[k] == nil { f += [rm, k] }
            for (k, v) in want.sorted(by: { $0.key < $1.key }) where have[k] != v { f += [add, "\(k)=\(v)"] }
            changes.append(option)
        }
        var haveEnv: [String: String] = [:]
        for kv in strings(cs["Env"]) {
            let p = kv.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            haveEnv[String(p[0])] = p.count > 1 ? String(p[1]) : ""
        }
        dictFlags("env", env, haveEnv, add: "--env-add", rm: "--env-rm")
        dictFlags("labels", labels, map(spec["Labels"]), add: "--label-add", rm: "--label-rm")
        dictFlags("container_labels", containerLabels, map(cs["Labels"]), add: "--container-label-add", rm: "--container-label-rm")
        if let pubs = publish {
            let plan = Self.publishPlan(pubs, have: spec["EndpointSpec"]?["Ports"]?.listValue ?? [])
            if plan.changed {
                f += plan.flags
                changes.append("publish")
            }
        }
        if let cons = constraints {
            let have = strings(task["Placement"]?["Constraints"])
            if Set(have) != Set(cons) {
                for c in have where !cons.contains(c) { f += ["--constraint-rm", c] }
                for c in cons where !have.contains(c) { f += ["--constraint-add", c] }
                changes.append("constraints")
            }
        }
        if let prefs = preferences {
            let have = (task["Placement"]?["Preferences"]?.listValue ?? []).compactMap { p in
                p["Spread"]?["SpreadDescriptor"]?.stringValue.map { "spread=" + $0 }
            }
            if have != prefs {
                for p in have { f += ["--placement-pref-rm", p] }
                for p in prefs { f += ["--placement-pref-add", p] }
                changes.append("placement_preferences")
            }
        }
        if let m = maxPerNode, SwarmInfo.int(task["Placement"]?["MaxReplicas"]) ?? 0 != m {
            f += ["--replicas-max-per-node", String(m)]; changes.append("replicas_max_per_node")
        }
        // Changes are named as the collection names them (its `changes` and diff keys).
        func configFlags(_ prefix: String, _ want: [String: Value]?, _ have: Value?, _ table: [(String, String, String)]) {
            guard let want else { return }
            for (k, flag, key) in table {
                guard let v = want[k], !v.isNull else { continue }
                let same: Bool
                if ["delay", "window", "monitor"].contains(k) {
                    same = ContainerSpec.nanoseconds(v.renderedString) == (SwarmInfo.int(have?[key]) ?? 0)
                } else if k == "max_failure_ratio" {
                    same = Double(v.renderedString) == Double(have?[key]?.renderedString ?? "0")
                } else {
                    same = v.renderedString == (have?[key]?.renderedString ?? (SwarmInfo.int(have?[key]).map(String.init) ?? ""))
                }
                if !same { f += [flag, v.renderedString]; changes.append(Self.changeName(prefix, k)) }
            }
        }
        configFlags("restart_policy", restartConfig, task["RestartPolicy"], Self.restartFlags)
        configFlags("update", updateConfig, spec["UpdateConfig"], Self.updateFlags)
        func resources(_ option: String, _ want: [String: Value]?, _ have: Value?, cpu: String, mem: String) {
            guard let want else { return }
            if let c = want["cpus"], Int((Double(c.renderedString) ?? 0) * 1e9) != SwarmInfo.int(have?["NanoCPUs"]) ?? 0 {
                f += [cpu, c.renderedString]; changes.append(option + "_cpu")
            }
            if let m = want["memory"], ContainerSpec.bytes(m.renderedString) != SwarmInfo.int(have?["MemoryBytes"]) ?? 0 {
                f += [mem, m.renderedString]; changes.append(option + "_memory")
            }
        }
        resources("limit", limits, task["Resources"]?["Limits"], cpu: "--limit-cpu", mem: "--limit-memory")
        resources("reserve", reservations, task["Resources"]?["Reservations"], cpu: "--reserve-cpu", mem: "--reserve-memory")
        for s in scalars {
            var cur: Value? = spec
            for k in s.path { cur = cur?[k] }
            if (cur?.stringValue ?? "") != s.value { f += [s.flag, s.value]; changes.append(s.option) }
        }
        for b in flags {
            var cur: Value? = spec
            for k in b.path { cur = cur?[k] }
            if SwarmInfo.bool(cur) != b.value { f.append("\(b.flag)=\(b.value)"); changes.append(b.option) }
        }
        let attached = attachments.updatePlan(spec, ids: ids)
        let more = container.updatePlan(spec)
        f += attached.flags + more.flags
        changes += attached.changes + more.changes
        if !f.isEmpty && !resolveImage { f.insert("--no-resolve-image", at: 0) }
        return (f, changes, more.rebuild)
    }
}
