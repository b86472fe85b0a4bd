import Foundation

/// `docker_network` (`community.docker.docker_network`): a network on the node's engine (a
/// swarm-scoped overlay network when run on a manager with `driver: overlay`). An existing
/// network whose driver, options, IPAM, flags or labels differ from the task is removed and
/// created again, as the collection does; `force` always recreates. `connected` containers are
/// connected, and without `appends` other containers are disconnected (swarm task containers
/// and load-balancer endpoints are left alone: they are the swarm's). Returns `network`.
public struct DockerNetworkCompatModule: Module {
    public static let name = "docker_network"
    public static let aliases = ["community.docker.docker_network"]
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true, aliases: ["network_name"]),
        .init("connected", .list, aliases: ["containers"], default: .list([])),
        .init("driver", default: "bridge"),
        .init("driver_options", .dict, default: .dict([:])),
        .init("force", .bool, default: false),
        .init("appends", .bool, aliases: ["incremental"], default: false),
        .init("enable_ipv6", .bool),
        .init("ipam_driver"),
        .init("ipam_driver_options", .dict),
        .init("ipam_config", .list),
        .init("state", choices: ["absent", "present"], default: "present"),
        .init("internal", .bool),
        .init("labels", .dict, default: .dict([:])),
        .init("scope", choices: ["local", "global", "swarm"]),
        .init("attachable", .bool),
    ] + DockerConnection.fields)

    /// One `ipam_config` entry.
    public struct IPAMPool: Equatable {
        public var subnet, iprange, gateway: String?
        public var auxAddresses: [String: String]?
    }

    var connection: DockerConnection
    public var name: String
    public var connected: [String]
    public var driver: String
    public var driverOptions: [String: String]
    public var force: Bool
    public var appends: Bool
    public var enableIPv6: Bool?
    public var ipamDriver: String?
    public var ipamDriverOptions: [String: String]?
    public var ipamConfig: [IPAMPool]
    public var present: Bool
    public var isInternal: Bool?
    public var labels: [String: String]
    public var scope: String?
    public var attachable: Bool?

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        name = try a.requiredString("name")
        connected = try a.stringList("connected") ?? []
        driver = try a.string("driver") ?? "bridge"
        driverOptions = try DockerArgumentChecks.stringMap(a, "driver_options") ?? [:]
        force = try a.bool("force") ?? false
        appends = try a.bool("appends") ?? false
        enableIPv6 = try a.bool("enable_ipv6")
        ipamDriver = try a.string("ipam_driver")
        ipamDriverOptions = try DockerArgumentChecks.stringMap(a, "ipam_driver_options")
        ipamConfig = try (DockerArgumentChecks.dictList(a, "ipam_config") ?? []).map { d in
            for k in d.keys where !["subnet", "iprange", "gateway", "aux_addresses"].contains(k) {
                throw ModuleError("ipam_config: unknown option '\(k)'; allowed: subnet, iprange, gateway, aux_addresses")
            }
            var aux: [String: String]?
            if case .dict(let m)? = d["aux_addresses"] { aux = m.mapValues(\.renderedString) }
            return IPAMPool(subnet: d["subnet"]?.stringValue, iprange: d["iprange"]?.stringValue,
                            gateway: d["gateway"]?.stringValue, auxAddresses: aux)
        }
        present = try a.string("state") != "absent"
        isInternal = try a.bool("internal")
        labels = try DockerArgumentChecks.stringMap(a, "labels") ?? [:]
        scope = try a.string("scope")
        attachable = try a.bool("attachable")
    }

    /// How `net` (its inspect output) differs from the task, as `key: (wanted, current)`.
    public func differences(_ net: Value) -> [(key: String, wanted: Value, current: Value)] {
        var out: [(String, Value, Value)] = []
        func str(_ v: Value?) -> Value { v ?? .null }
        if net["Driver"]?.stringValue != driver { out.append(("driver", .string(driver), str(net["Driver"]))) }
        for (k, v) in driverOptions.sorted(by: { $0.key < $1.key }) where net["Options"]?[k]?.stringValue != v {
            out.append(("driver_options.\(k)", .string(v), str(net["Options"]?[k])))
        }
        if let d = ipamDriver, net["IPAM"]?["Driver"]?.stringValue != d { out.append(("ipam_driver", .string(d), str(net["IPAM"]?["Driver"]))) }
        if let o = ipamDriverOptions {
            var cur: [String: String] = [:]
            if case .dict(let m)? = net["IPAM"]?["Options"] { cur = m.mapValues(\.renderedString) }
            if cur != o { out.append(("ipam_driver_options", .dict(o.mapValues(Value.string)), str(net["IPAM"]?["Options"]))) }
        }
        let pools = net["IPAM"]?["Config"]?.listValue ?? []
        for (i, p) in ipamConfig.enumerated() {
            let matches = pools.contains { q in
                (p.subnet == nil || q["Subnet"]?.stringValue == p.subnet)
                    && (p.iprange == nil || q["IPRange"]?.stringValue == p.iprange)
                    && (p.gateway == nil || q["Gateway"]?.stringValue == p.gateway)
                    && (p.auxAddresses == nil || (q["AuxiliaryAddresses"]?.dictValue?.mapValues(\.renderedString) ?? [:]) == p.auxAddresses)
            }
            if !matches { out.append(("ipam_config[\(i)]", .string(p.subnet ?? ""), pools.indices.contains(i) ? pools[i] : .null)) }
        }
        func flag(_ key: String, _ want: Bool?, _ field: String) {
            if let want, SwarmInfo.bool(net[field]) != want { out.append((key, .bool(want), .bool(SwarmInfo.bool(net[field])))) }
        }
        flag("enable_ipv6", enableIPv6, "EnableIPv6")
        flag("internal", isInternal, "Internal")
        flag("attachable", attachable, "Attachable")
        if let scope, net["Scope"]?.stringValue != scope { out.append(("scope", .string(scope), str(net["Scope"]))) }
        for (k, v) in labels.sorted(by: { $0.key < $1.key }) where net["Labels"]?[k]?.stringValue != v {
            out.append(("labels.\(k)", .string(v), str(net["Labels"]?[k])))
        }
        return out
    }

    /// `docker network create` arguments for the task.
    public var createArguments: [String] {
        var args = ["network", "create", "--driver", driver]
        for (k, v) in driverOptions.sorted(by: { $0.key < $1.key }) { args += ["--opt", "\(k)=\(v)"] }
        if let d = ipamDriver { args += ["--ipam-driver", d] }
        for (k, v) in (ipamDriverOptions ?? [:]).sorted(by: { $0.key < $1.key }) { args += ["--ipam-opt", "\(k)=\(v)"] }
        for p in ipamConfig {
            if let s = p.subnet { args += ["--subnet", s] }
            if let r = p.iprange { args += ["--ip-range", r] }
            if let g = p.gateway { args += ["--gateway", g] }
            for (k, v) in (p.auxAddresses ?? [:]).sorted(by: { $0.key < $1.key }) { args += ["--aux-address", "\(k)=\(v)"] }
        }
        if enableIPv6 == true { args.append("--ipv6") }
        if isInternal == true { args.append("--internal") }
        if let scope { args += ["--scope", scope] }
        if attachable == true { args.append("--attachable") }
        for (k, v) in labels.sorted(by: { $0.key < $1.key }) { args += ["--label", "\(k)=\(v)"] }
        return args + ["--", name]
    }

    /// Containers attached to `net` that this task may disconnect: not swarm task containers
    /// (`name.slot.taskid`) or load-balancer endpoints.
    static func ownContainers(_ net: Value) -> [String] {
        guard case .dict(let cs)? = net["Containers"] else { return [] }
        return cs.compactMap { key, c -> String? in
            guard !key.hasPrefix("lb-"), let n = c["Name"]?.stringValue else { return nil }
            let parts = n.split(separator: ".")
            if parts.count >= 3, let last = parts.last, last.count == 25 { return nil }
            return n
        }.sorted()
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        var existing = try cli.inspect("network", name)
        var actions: [String] = []
        var before: [String: Value] = ["exists": .bool(existing != nil)]
        var after: [String: Value] = ["exists": .bool(present)]
        func remove(_ net: Value) throws {
            for c in Self.ownContainers(net) {
                if !context.checkMode { try cli.must(["network", "disconnect", "--force", name, c]) }
                actions.append("Disconnected container \(c)")
            }
            if !context.checkMode { try cli.must(["network", "rm", name], what: "docker network rm \(name)") }
            actions.append("Removed network \(name)")
        }
        if !present {
            if let net = existing { try remove(net) }
            return finish(changed: !actions.isEmpty, actions: actions, network: nil, before: before, after: after, context: context)
        }
        if let net = existing {
            let diffs = differences(net)
            for d in diffs { before[d.key] = d.current; after[d.key] = d.wanted }
            if force || !diffs.isEmpty {
                try remove(net)
                existing = nil
            }
        }
        if existing == nil {
            if !context.checkMode {
                try cli.must(createArguments, what: "docker network create \(name)")
                existing = try cli.inspect("network", name)
            }
            actions.append("Created network \(name) with driver \(driver)")
        }
        let attached = existing.map(Self.ownContainers) ?? []
        for c in connected where !attached.contains(c) {
            if !context.checkMode { try cli.must(["network", "connect", name, c], what: "docker network connect \(name) \(c)") }
            actions.append("Connected container \(c)")
            before["connected.\(c)"] = false
            after["connected.\(c)"] = true
        }
        if !appends, existing != nil {
            for c in attached where !connected.contains(c) {
                if !context.checkMode { try cli.must(["network", "disconnect", name, c], what: "docker network disconnect \(name) \(c)") }
                actions.append("Disconnected container \(c)")
                before["connected.\(c)"] = true
                after["connected.\(c)"] = false
            }
        }
        if !actions.isEmpty && !context.checkMode { existing = try cli.inspect("network", name) }
        return finish(changed: !actions.isEmpty, actions: actions, network: existing, before: before, after: after, context: context)
    }

    private func finish(changed: Bool, actions: [String], network: Value?, before: [String: Value], after: [String: Value],
                        context: HostContext) -> ModuleResult {
        var data: [String: Value] = ["network": network ?? .dict([:])]
        if context.checkMode { data["actions"] = .list(actions.map(Value.string)) }
        if context.diffMode { data["diff"] = .dict(["before": .dict(before), "after": .dict(after)]) }
        return ModuleResult(changed: changed, message: actions.last, data: data)
    }
}
