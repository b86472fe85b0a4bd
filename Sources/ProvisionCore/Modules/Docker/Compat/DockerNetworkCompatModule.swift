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
        .init("ingress", .bool),
    ] + DockerConnection.fields)

    /// One `ipam_config` entry.
    public struct IPAMPool: Equatable {
        public var subnet, iprange, gateway: String?
        public var auxAddresses: [String: String]?

        init(subnet: String?, iprange: String?, gateway: String?, auxAddresses: [String: String]?) {
            self.subnet = subnet
            self.iprange = iprange
            self.gateway = gateway
            self.auxAddresses = auxAddresses
        }

        /// A pool of `docker network inspect`'s `IPAM.Config`.
        init(inspect q: Value) {
            self.init(subnet: q["Subnet"]?.stringValue, iprange: q["IPRange"]?.stringValue, gateway: q["Gateway"]?.stringValue,
                      auxAddresses: q["AuxiliaryAddresses"]?.dictValue.map { $0.mapValues(\.renderedString) })
        }

        /// The keys given, by the collection's names.
        var fields: [(key: String, value: Value)] {
            var out: [(String, Value)] = []
            if let subnet { out.append(("subnet", .string(subnet))) }
            if let iprange { out.append(("iprange", .string(iprange))) }
            if let gateway { out.append(("gateway", .string(gateway))) }
            if let auxAddresses { out.append(("aux_addresses", .dict(auxAddresses.mapValues(Value.string)))) }
            return out
        }

        func field(_ key: String) -> Value? { fields.first { $0.key == key }?.value }

        var value: Value { .dict(Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0.value) })) }
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
    public var ingress: Bool?

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
            if let subnet = d["subnet"]?.stringValue, !Self.isCIDR(subnet) { throw ModuleError("\"\(subnet)\" is not a valid CIDR") }
            return IPAMPool(subnet: d["subnet"]?.stringValue, iprange: d["iprange"]?.stringValue,
                            gateway: d["gateway"]?.stringValue, auxAddresses: aux)
        }
        present = try a.string("state") != "absent"
        isInternal = try a.bool("internal")
        labels = try DockerArgumentChecks.stringMap(a, "labels") ?? [:]
        scope = try a.string("scope")
        attachable = try a.bool("attachable")
        ingress = try a.bool("ingress")
    }

    /// How `net` (its inspect output) differs from the task, as `key: (wanted, current)`, with
    /// the collection's keys (`driver_options.KEY`, `ipam_config[0].subnet`, `labels.KEY`, …).
    public func differences(_ net: Value) -> [(key: String, wanted: Value, current: Value)] {
        var out: [(String, Value, Value)] = []
        func str(_ v: Value?) -> Value { v ?? .null }
        func strings(_ d: [String: String]) -> Value { .dict(d.mapValues(Value.string)) }
        if net["Driver"]?.stringValue != driver { out.append(("driver", .string(driver), str(net["Driver"]))) }
        if !driverOptions.isEmpty {
            if net["Options"]?.dictValue?.isEmpty ?? true {
                out.append(("driver_options", strings(driverOptions), str(net["Options"])))
            } else {
                for (k, v) in driverOptions.sorted(by: { $0.key < $1.key }) where net["Options"]?[k]?.stringValue != v {
                    out.append(("driver_options.\(k)", .string(v), str(net["Options"]?[k])))
                }
            }
        }
        if let d = ipamDriver, net["IPAM"]?["Driver"]?.stringValue != d { out.append(("ipam_driver", .string(d), str(net["IPAM"]?["Driver"]))) }
        if let o = ipamDriverOptions {
            var cur: [String: String] = [:]
            if case .dict(let m)? = net["IPAM"]?["Options"] { cur = m.mapValues(\.renderedString) }
            if cur != o { out.append(("ipam_driver_options", strings(o), strings(cur))) }
        }
        let pools = net["IPAM"]?["Config"]?.listValue ?? []
        if !ipamConfig.isEmpty && pools.isEmpty {
            out.append(("ipam_config", .list(ipamConfig.map(\.value)), str(net["IPAM"]?["Config"])))
        } else {
            // Each wanted pool is compared with the first pool of the network that has all of
            // its given keys, else with nothing (every given key then differs).
            let current = pools.map(IPAMPool.init(inspect:))
            for (i, p) in ipamConfig.enumerated() {
                let match = current.first { q in p.fields.allSatisfy { q.field($0.key) == $0.value } }
                for (k, v) in p.fields where match?.field(k) != v {
                    out.append(("ipam_config[\(i)].\(k)", v, match?.field(k) ?? .null))
                }
            }
        }
        func flag(_ key: String, _ want: Bool?, _ field: String) {
            if let want, SwarmInfo.bool(net[field]) != want { out.append((key, .bool(want), .bool(SwarmInfo.bool(net[field])))) }
        }
        flag("enable_ipv6", enableIPv6, "EnableIPv6")
        flag("internal", isInternal, "Internal")
        if let scope, net["Scope"]?.stringValue != scope { out.append(("scope", .string(scope), str(net["Scope"]))) }
        flag("attachable", attachable, "Attachable")
        flag("ingress", ingress, "Ingress")
        if !labels.isEmpty {
            if net["Labels"]?.dictValue?.isEmpty ?? true {
                out.append(("labels", strings(labels), str(net["Labels"])))
            } else {
                for (k, v) in labels.sorted(by: { $0.key < $1.key }) where net["Labels"]?[k]?.stringValue != v {
                    out.append(("labels.\(k)", .string(v), str(net["Labels"]?[k])))
                }
            }
        }
        return out
    }

    /// The collection's check of an `ipam_config` subnet: IPv4 or IPv6 address/prefix.
    static func isCIDR(_ s: String) -> Bool {
        s.range(of: #"^([0-9]{1,3}\.){3}[0-9]{1,3}/([0-9]|[1-2][0-9]|3[0-2])$"#, options: .regularExpression) != nil
            || s.range(of: #"^[0-9a-fA-F:]+/([0-9]|[1-9][0-9]|1[0-2][0-9])$"#, options: .regularExpression) != nil
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
        if ingress == true { args.append("--ingress") }
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
        var out = Outcome()
        func remove(_ net: Value) throws {
            for c in Self.ownContainers(net) {
                if !context.checkMode { try cli.must(["network", "disconnect", "--force", name, c]) }
                out.actions.append("Disconnected container \(c)")
            }
            if !context.checkMode {
                // Removing the ingress network asks "Are you sure?" and takes no answer as no.
                try cli.must(["network", "rm", name], stdin: Data("y\n".utf8), what: "docker network rm \(name)")
                // A swarm network goes away a moment after `rm` returns; one made again at once
                // (a changed network, a new ingress) would collide with it.
                if net["Scope"]?.stringValue == "swarm" {
                    _ = try cli.script("i=0; while [ $i -lt 40 ] && $DOCKER network inspect \(Shell.quote(name)) >/dev/null 2>&1; do sleep 0.25; i=$((i+1)); done")
                }
            }
            out.actions.append("Removed network \(name)")
        }
        if !present {
            out.note("exists", wanted: false, current: .bool(existing != nil))
            if let net = existing { try remove(net) }
            return finish(out, network: nil, context: context)
        }
        // Without `connected` the containers already attached stay, as in the collection.
        let wantedContainers = connected.isEmpty ? (existing.map(Self.ownContainers) ?? []) : connected
        out.note("exists", wanted: true, current: .bool(existing != nil))
        if let net = existing {
            let diffs = differences(net)
            for d in diffs { out.note(d.key, wanted: d.wanted, current: d.current) }
            out.differences = diffs.map(\.key)
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
            out.actions.append("Created network \(name) with driver \(driver)")
        }
        let attached = existing.map(Self.ownContainers) ?? []
        for c in wantedContainers where !attached.contains(c) {
            if !context.checkMode { try cli.must(["network", "connect", name, c], what: "docker network connect \(name) \(c)") }
            out.actions.append("Connected container \(c)")
            out.note("connected.\(c)", wanted: true, current: false)
        }
        if !appends, existing != nil {
            for c in attached where !wantedContainers.contains(c) {
                if !context.checkMode { try cli.must(["network", "disconnect", name, c], what: "docker network disconnect \(name) \(c)") }
                out.actions.append("Disconnected container \(c)")
                out.note("connected.\(c)", wanted: false, current: true)
            }
        }
        if !out.actions.isEmpty && !context.checkMode { existing = try cli.inspect("network", name) }
        return finish(out, network: existing, context: context)
    }

    /// What a run did and found, for the result's `actions` and `diff`.
    private struct Outcome {
        var actions: [String] = []
        var before: [String: Value] = [:]
        var after: [String: Value] = [:]
        var differences: [String] = []

        mutating func note(_ key: String, wanted: Value, current: Value) {
            before[key] = current
            after[key] = wanted
        }
    }

    /// `diff` holds `differences` (the settings that made the network be re-created) in check
    /// and diff mode, and `before`/`after` in diff mode, as the collection returns them.
    private func finish(_ out: Outcome, network: Value?, context: HostContext) -> ModuleResult {
        var data: [String: Value] = ["network": network ?? .dict([:]), "actions": .list(out.actions.map(Value.string))]
        if context.diffMode || context.checkMode {
            var diff: [String: Value] = ["differences": .list(out.differences.map(Value.string))]
            if context.diffMode {
                diff["before"] = .dict(out.before)
                diff["after"] = .dict(out.after)
            }
            data["diff"] = .dict(diff)
        }
        return ModuleResult(changed: !out.actions.isEmpty, message: out.actions.last, data: data)
    }
}
