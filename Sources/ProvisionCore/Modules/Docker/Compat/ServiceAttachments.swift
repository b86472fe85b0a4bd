import Foundation

/// What `docker_swarm_service` attaches to a service's tasks: networks (with `aliases` and
/// driver `options`), `mounts`, `secrets` and `configs`. Each is compared with the service's
/// spec as the collection compares it (only the keys the task sets count; lists sorted by
/// network ID, mount target, secret or config name) and changed with the `--*-add`/`--*-rm`
/// flags of `docker service update`.
struct ServiceAttachments {
    struct Network: Equatable {
        var name: String
        var aliases: [String]?
        var options: [String: String]?
    }

    var networks: [Network]?
    var mounts: [[String: Value]]?
    var secrets: [[String: Value]]?
    var configs: [[String: Value]]?

    init() {}

    init(arguments a: ModuleArguments) throws {
        if let list = a.values["networks"], !list.isNull {
            guard let items = list.listValue else { throw ModuleError("Only a list of strings or dictionaries are allowed to be passed as networks.") }
            networks = try items.map(Self.network)
        }
        mounts = try DockerArgumentChecks.dictList(a, "mounts")?.map { try Self.typed($0, "mounts", bools: ["readonly", "no_copy"], ints: ["tmpfs_mode"]) }
        for m in mounts ?? [] {
            guard m["target"]?.stringValue != nil else { throw ModuleError("missing required arguments: target found in mounts") }
            let type = m["type"]?.stringValue ?? "bind"
            guard ["bind", "volume", "tmpfs", "npipe"].contains(type) else {
                throw ModuleError("value of type must be one of: bind, volume, tmpfs, npipe, got: \(type) found in mounts")
            }
            if type != "tmpfs" && (m["source"] ?? .null).isNull {
                throw ModuleError("Source must be specified for mounts which are not of type tmpfs")
            }
            if let s = m["tmpfs_size"], !s.isNull, ContainerSpec.bytes(s.renderedString) == nil {
                throw ModuleError("Failed to convert tmpfs_size to bytes: '\(s.renderedString)' is not a size")
            }
        }
        secrets = try DockerArgumentChecks.dictList(a, "secrets")?.map { try Self.typed($0, "secrets", bools: [], ints: ["mode"]) }
        configs = try DockerArgumentChecks.dictList(a, "configs")?.map { try Self.typed($0, "configs", bools: [], ints: ["mode"]) }
        for (list, kind) in [(secrets, "secret"), (configs, "config")] {
            for s in list ?? [] where s[kind + "_name"]?.stringValue == nil {
                throw ModuleError("missing required arguments: \(kind)_name found in \(kind)s")
            }
        }
    }

    /// Sub-options converted to their documented types, as Ansible's argument spec converts
    /// them (a templated `readonly: "{{ flag }}"` arrives as the string "False").
    static func typed(_ d: [String: Value], _ option: String, bools: [String], ints: [String]) throws -> [String: Value] {
        var out = d
        for k in bools {
            guard let v = d[k], !v.isNull, Self.asBool(v) == nil else { continue }
            guard let b = ModuleArguments.parseBool(v.renderedString) else {
                throw ModuleError("\(option): '\(k)' must be a boolean (got '\(v.renderedString)')")
            }
            out[k] = .bool(b)
        }
        for k in ints {
            guard let v = d[k], !v.isNull, SwarmInfo.int(v) == nil else { continue }
            let s = v.renderedString
            // An octal string ("0700") means what YAML's 0700 means.
            guard let i = s.hasPrefix("0o") ? Int(s.dropFirst(2), radix: 8) : (s.count > 1 && s.hasPrefix("0") ? Int(s, radix: 8) : Int(s)) else {
                throw ModuleError("\(option): '\(k)' must be an integer (got '\(s)')")
            }
            out[k] = .int(i)
        }
        for k in ["uid", "gid"] { if let v = d[k], !v.isNull { out[k] = .string(v.renderedString) } }
        return out
    }

    static func asBool(_ v: Value) -> Bool? {
        if case .bool(let b) = v { return b }
        return nil
    }

    /// One `networks` entry, with the collection's checks and messages.
    static func network(_ v: Value) throws -> Network {
        if let s = v.stringValue { return Network(name: s) }
        guard var d = v.dictValue.map({ [String: Value]($0) }) else {
            throw ModuleError("Only a list of strings or dictionaries are allowed to be passed as networks.")
        }
        guard let name = d.removeValue(forKey: "name")?.stringValue else {
            throw ModuleError("\"name\" is required when networks are passed as dictionaries.")
        }
        var n = Network(name: name)
        if let a = d.removeValue(forKey: "aliases"), !a.isNull {
            guard let l = a.listValue else { throw ModuleError("\"aliases\" network option is only allowed as a list") }
            n.aliases = try l.map {
                guard let s = $0.stringValue else { throw ModuleError("Only strings are allowed as network aliases.") }
                return s
            }
        }
        if let o = d.removeValue(forKey: "options"), !o.isNull {
            guard let od = o.dictValue else { throw ModuleError("Only dict is allowed as network options.") }
            // Booleans as the Docker API wants them.
            n.options = [String: Value](od).mapValues { v in Self.asBool(v).map { $0 ? "true" : "false" } ?? v.renderedString }
        }
        if !d.isEmpty { throw ModuleError("\(d.keys.sorted().joined(separator: ", ")) are not valid keys for the networks option") }
        return n
    }

    /// A CSV field as docker's flag parser reads it back.
    static func csv(_ field: String) -> String {
        field.contains(",") || field.contains("\"") ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    static func networkFlag(_ n: Network) -> String {
        if n.aliases == nil && n.options == nil { return n.name }
        var parts = ["name=" + n.name]
        parts += (n.aliases ?? []).map { "alias=" + $0 }
        parts += (n.options ?? [:]).sorted { $0.key < $1.key }.map { "driver-opt=\($0.key)=\($0.value)" }
        return parts.map(csv).joined(separator: ",")
    }

    /// A service mount as a `--mount` value (`type` `bind` unless given, as the collection has it).
    static func mountFlag(_ m: [String: Value]) -> String {
        func given(_ k: String) -> Value? { m[k].flatMap { $0.isNull ? nil : $0 } }
        var parts = ["type=" + (given("type")?.stringValue ?? "bind")]
        if let s = given("source")?.renderedString, !s.isEmpty { parts.append("source=" + s) }
        parts.append("target=" + (given("target")?.renderedString ?? ""))
        if let r = given("readonly") { parts.append("readonly=\(SwarmInfo.bool(r))") }
        if let p = given("propagation") { parts.append("bind-propagation=" + p.renderedString) }
        if let n = given("no_copy") { parts.append("volume-nocopy=\(SwarmInfo.bool(n))") }
        for (k, v) in (given("labels")?.dictValue ?? [:]).sorted(by: { $0.key < $1.key }) { parts.append("volume-label=\(k)=\(v.renderedString)") }
        if let dc = given("driver_config") {
            if let n = dc["name"]?.stringValue { parts.append("volume-driver=" + n) }
            for (k, v) in (dc["options"]?.dictValue ?? [:]).sorted(by: { $0.key < $1.key }) { parts.append("volume-opt=\(k)=\(v.renderedString)") }
        }
        if let s = given("tmpfs_size") { parts.append("tmpfs-size=\(ContainerSpec.bytes(s.renderedString) ?? 0)") }
        if let mode = given("tmpfs_mode").flatMap({ SwarmInfo.int($0) ?? Int($0.renderedString) }) { parts.append("tmpfs-mode=" + String(mode, radix: 8)) }
        return parts.map(csv).joined(separator: ",")
    }

    /// A secret or config reference as a `--secret`/`--config` value; the target file is the
    /// name unless `filename` is given.
    static func referenceFlag(_ r: [String: Value], kind: String) -> String {
        let name = r[kind + "_name"]?.renderedString ?? ""
        var parts = ["source=" + name, "target=" + (r["filename"].flatMap { $0.isNull ? nil : $0.renderedString } ?? name)]
        for k in ["uid", "gid"] { if let v = r[k], !v.isNull { parts.append("\(k)=\(v.renderedString)") } }
        if let m = r["mode"].flatMap({ SwarmInfo.int($0) ?? Int($0.renderedString) }) { parts.append("mode=0" + String(m, radix: 8)) }
        return parts.map(csv).joined(separator: ",")
    }

    func createFlags() -> [String] {
        var f: [String] = []
        for n in networks ?? [] { f += ["--network", Self.networkFlag(n)] }
        for m in mounts ?? [] { f += ["--mount", Self.mountFlag(m)] }
        for s in secrets ?? [] { f += ["--secret", Self.referenceFlag(s, kind: "secret")] }
        for c in configs ?? [] { f += ["--config", Self.referenceFlag(c, kind: "config")] }
        return f
    }

    // MARK: - compare

    /// The collection's `has_dict_changed`: keys the task leaves null are not compared, and
    /// empty and missing are the same.
    static func dictChanged(_ want: [String: Value], _ have: [String: Value]) -> Bool {
        if want.isEmpty { return !have.isEmpty }
        for (k, v) in want where !v.isNull {
            let h = have[k] ?? .null
            if isEmpty(v) && isEmpty(h) { continue }
            if !same(v, h) { return true }
        }
        return false
    }

    static func isEmpty(_ v: Value) -> Bool {
        switch v {
        case .null: return true
        case .string(let s): return s.isEmpty
        case .list(let l): return l.isEmpty
        case .dict(let d): return d.isEmpty
        case .bool(let b): return !b
        case .int(let i): return i == 0
        default: return false
        }
    }

    /// Values equal as Python compares the task's (typed by the argument spec) and the API's.
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && x.allSatisfy { e in y[e.key].map { same(e.value, $0) } ?? false }
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.bool, _), (_, .bool): return SwarmInfo.bool(a) == SwarmInfo.bool(b)
        case (.double(let x), _): return Double(b.renderedString) == x
        case (_, .double(let y)): return Double(a.renderedString) == y
        default:
            if let i = SwarmInfo.int(a), let j = SwarmInfo.int(b) { return i == j }
            return a.renderedString == b.renderedString
        }
    }

    /// Each entry of the spec's mounts in the collection's terms.
    static func haveMounts(_ cs: Value) -> [String: [String: Value]] {
        var out: [String: [String: Value]] = [:]
        for m in cs["Mounts"]?.listValue ?? [] {
            guard let target = m["Target"]?.stringValue else { continue }
            let vo = m["VolumeOptions"], dc = vo?["DriverConfig"]
            var driver: Value = .null
            if let dc, let d = dc.dictValue, !d.isEmpty {
                driver = .dict(["name": dc["Name"] ?? .null, "options": dc["Options"] ?? .null])
            }
            out[target] = ["source": m["Source"] ?? "", "type": m["Type"] ?? .null, "target": .string(target),
                           "readonly": m["ReadOnly"] ?? .null, "propagation": m["BindOptions"]?["Propagation"] ?? .null,
                           "no_copy": vo?["NoCopy"] ?? .null, "labels": vo?["Labels"] ?? .null, "driver_config": driver,
                           "tmpfs_mode": m["TmpfsOptions"]?["Mode"] ?? .null, "tmpfs_size": m["TmpfsOptions"]?["SizeBytes"] ?? .null]
        }
        return out
    }

    /// A mount of the task in the collection's terms (`tmpfs_size` in bytes, `type` defaulted).
    static func wantMount(_ m: [String: Value]) -> [String: Value] {
        var w = m
        w["type"] = m["type"].flatMap { $0.isNull ? nil : $0 } ?? "bind"
        w["source"] = m["source"].flatMap { $0.isNull ? nil : $0 } ?? ""
        if let s = m["tmpfs_size"], !s.isNull { w["tmpfs_size"] = ContainerSpec.bytes(s.renderedString).map(Value.int) ?? s }
        return w
    }

    /// `docker service update` flags and changed option names for `spec`; `ids` maps network,
    /// secret and config names to IDs (keys `network:NAME`, `secret:NAME`, `config:NAME`).
    func updatePlan(_ spec: Value, ids: [String: String]) -> (flags: [String], changes: [String]) {
        var f: [String] = []
        var changes: [String] = []
        let task = spec["TaskTemplate"] ?? .null, cs = task["ContainerSpec"] ?? .null
        if let nets = networks {
            var have: [String: [String: Value]] = [:]
            for n in (task["Networks"] ?? spec["Networks"])?.listValue ?? [] {
                guard let id = n["Target"]?.stringValue else { continue }
                var d: [String: Value] = ["id": .string(id)]
                if let a = n["Aliases"] { d["aliases"] = .list((a.listValue ?? []).sorted { $0.renderedString < $1.renderedString }) }
                if let o = n["DriverOpts"] { d["options"] = o }
                have[id] = d
            }
            var differs = nets.count != have.count
            var rm: [String] = [], add: [String] = []
            var wanted = Set<String>()
            for n in nets {
                let id = ids["network:" + n.name] ?? n.name
                wanted.insert(id)
                var w: [String: Value] = ["id": .string(id)]
                if let a = n.aliases { w["aliases"] = .list(a.sorted().map(Value.string)) }
                if let o = n.options { w["options"] = .dict(o.mapValues(Value.string)) }
                guard let h = have[id] else { differs = true; add.append(Self.networkFlag(n)); continue }
                if Self.dictChanged(w, h) { differs = true; rm.append(id); add.append(Self.networkFlag(n)) }
            }
            for id in have.keys.sorted() where !wanted.contains(id) { rm.append(id) }
            if differs && (!rm.isEmpty || !add.isEmpty) {
                f += rm.flatMap { ["--network-rm", $0] } + add.flatMap { ["--network-add", $0] }
                changes.append("networks")
            }
        }
        if let ms = mounts {
            let have = Self.haveMounts(cs)
            let wantTargets = Set(ms.compactMap { $0["target"]?.stringValue })
            var add: [String] = []
            for m in ms {
                let t = m["target"]?.stringValue ?? ""
                if have[t].map({ Self.dictChanged(Self.wantMount(m), $0) }) ?? true { add.append(Self.mountFlag(m)) }
            }
            // --mount-add replaces a mount of the same target; --mount-rm of a target also
            // given to --mount-add would drop the new one, so only gone targets are removed.
            let gone = have.keys.filter { !wantTargets.contains($0) }.sorted()
            if !add.isEmpty || !gone.isEmpty {
                f += gone.flatMap { ["--mount-rm", $0] } + add.flatMap { ["--mount-add", $0] }
                changes.append("mounts")
            }
        }
        for (list, kind, key) in [(secrets, "secret", "Secrets"), (configs, "config", "Configs")] {
            guard let refs = list else { continue }
            var have: [String: [String: Value]] = [:]
            for r in cs[key]?.listValue ?? [] {
                guard let n = r[kind.capitalized + "Name"]?.stringValue else { continue }
                let file = r["File"]
                have[n] = [kind + "_id": r[kind.capitalized + "ID"] ?? .null, kind + "_name": .string(n),
                           "filename": file?["Name"] ?? .null, "uid": file?["UID"] ?? .null,
                           "gid": file?["GID"] ?? .null, "mode": file?["Mode"] ?? .null]
            }
            let names = refs.map { $0[kind + "_name"]?.renderedString ?? "" }
            var rm: [String] = [], add: [String] = []
            for r in refs {
                let n = r[kind + "_name"]?.renderedString ?? ""
                var w = r
                w[kind + "_id"] = r[kind + "_id"].flatMap { $0.isNull ? nil : $0 } ?? ids[kind + ":" + n].map(Value.string) ?? .null
                w["filename"] = r["filename"].flatMap { $0.isNull ? nil : $0 } ?? .string(n)
                guard let h = have[n] else { add.append(Self.referenceFlag(r, kind: kind)); continue }
                if Self.dictChanged(w, h) { rm.append(n); add.append(Self.referenceFlag(r, kind: kind)) }
            }
            for n in have.keys.sorted() where !names.contains(n) { rm.append(n) }
            if !rm.isEmpty || !add.isEmpty {
                f += rm.flatMap { ["--\(kind)-rm", $0] } + add.flatMap { ["--\(kind)-add", $0] }
                changes.append(kind + "s")
            }
        }
        return (f, changes)
    }

    /// Names to resolve to IDs before comparing: `network:NAME`, `secret:NAME`, `config:NAME`
    /// (secrets and configs the task gives an ID for are not looked up).
    var lookups: [(kind: String, name: String)] {
        var out = (networks ?? []).map { ("network", $0.name) }
        for (list, kind) in [(secrets, "secret"), (configs, "config")] {
            for r in list ?? [] where (r[kind + "_id"] ?? .null).isNull { out.append((kind, r[kind + "_name"]?.renderedString ?? "")) }
        }
        return out
    }
}
