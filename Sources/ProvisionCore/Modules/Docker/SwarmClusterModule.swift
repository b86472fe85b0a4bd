import Foundation

/// `swarm_cluster`: this host is a member of the play's swarm with the given role.
///
/// The first host of group `managers` initialises the swarm only when no manager of the play is
/// in one; every other host joins through a live manager, with a join token fetched from it
/// into a `Secret` (never printed, logged, kept, or put on a command line). Membership is
/// checked from the manager's view (`docker node ls`), so a node in another swarm is told
/// apart from one in this swarm; it and a node stuck in `pending` are only forced out with
/// `force_rejoin: true`. Roles are promoted or demoted without breaking quorum. After a
/// re-imaged node rejoins, its old `Down` entry with the same hostname is removed by ID.
/// `state: absent` leaves the swarm.
///
/// Every decision is taken holding the swarm's cluster-side lock (`SwarmLock`) on the first
/// reachable host of `managers_group`, so two controllers never both initialise or reshape
/// one swarm: the second waits up to `lock_timeout` seconds, then fails naming the holder.
///
/// Needs `HostContext.cluster` (the play's hosts and their transports) to reach managers.
public struct SwarmClusterModule: Module {
    public static let name = "swarm_cluster"
    public static let aliases = ["provision.swarm_cluster"]
    public static let requirements: ModuleRequirements = [.cluster]
    public static let argumentSpec = ArgumentSpec([
        .init("role", choices: ["manager", "worker"]),
        .init("advertise_addr"),
        .init("force_rejoin", .bool, aliases: ["force"], default: false),
        .init("managers_group", default: "managers"),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("wait_timeout", .int, default: 120),
        .init("lock_timeout", .int, default: 300),
    ])

    public var role: SwarmPlanner.Role?
    public var advertiseAddress: String?
    public var forceRejoin: Bool
    public var managersGroup: String
    public var present: Bool
    public var waitTimeout: Int
    /// Seconds to wait for another controller's swarm lock.
    public var lockTimeout: Int = 300
    /// Where the lock lives on the node (tests use a directory of their own).
    var lockDirectory = SwarmLock.defaultDirectory

    public init(arguments: ModuleArguments) throws {
        role = try arguments.choice("role", ["manager", "worker"]).flatMap(SwarmPlanner.Role.init(rawValue:))
        advertiseAddress = try arguments.string("advertise_addr")
        forceRejoin = try arguments.bool("force_rejoin") ?? false
        managersGroup = try arguments.string("managers_group") ?? "managers"
        present = (try arguments.choice("state", ["present", "absent"]) ?? "present") == "present"
        waitTimeout = try arguments.int("wait_timeout") ?? 120
        lockTimeout = try arguments.int("lock_timeout") ?? 300
        if let a = advertiseAddress, a.isEmpty || a.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "\"" }) {
            throw ModuleError("'advertise_addr' must be an IP address or interface name (got '\(a)')")
        }
    }

    public init(role: SwarmPlanner.Role? = nil, advertiseAddress: String? = nil, forceRejoin: Bool = false,
                managersGroup: String = "managers", present: Bool = true, waitTimeout: Int = 120) {
        self.role = role
        self.advertiseAddress = advertiseAddress
        self.forceRejoin = forceRejoin
        self.managersGroup = managersGroup
        self.present = present
        self.waitTimeout = waitTimeout
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        // Check mode changes nothing, so it takes no lock either.
        guard !context.checkMode else { return try decideAndApply(context) }
        let lock: SwarmLock
        let tookOver: SwarmLock.Holder?
        do {
            (lock, tookOver) = try takeLock(context)
        } catch let busy as SwarmLock.Busy {
            return .failed(busy.description)
        }
        let result: ModuleResult
        do {
            result = try decideAndApply(context)
        } catch {
            try? lock.release()
            throw error
        }
        var noted = result
        if let stale = tookOver {
            noted.warnings.insert("took over the swarm lock on \(lock.node) left by a stale \(stale.description)", at: 0)
        }
        if let why = lock.releaseLeavingExpiry() { noted.warnings.append(why) }
        return noted
    }

    /// Takes the lock on the swarm's first reachable host of `managers_group` (inventory order,
    /// so every controller with this inventory picks the same one), else on this host. The
    /// lease outlasts the longest this step can take (its waits plus the command timeouts).
    func takeLock(_ context: HostContext) throws -> (SwarmLock, SwarmLock.Holder?) {
        let lease = TimeInterval(3 * waitTimeout + 900)
        var candidates: [(String, Transport, Become?)] = []
        for h in context.cluster?.hosts(in: managersGroup) ?? [] {
            if h.name == context.host {
                candidates.append((h.name, context.transport, context.become))
            } else if let t = try? context.cluster?.transport(for: h.name) {
                candidates.append((h.name, t, h.become))
            }
        }
        if !candidates.contains(where: { $0.0 == context.host }) {
            candidates.append((context.host, context.transport, context.become))
        }
        var lastError: Error?
        for (node, transport, become) in candidates {
            let lock = SwarmLock(node: node, transport: transport, become: become, holderName: context.host,
                                 directory: lockDirectory, lease: lease)
            do {
                return (lock, try lock.acquire(wait: TimeInterval(lockTimeout)))
            } catch let e as TransportError {
                lastError = e  // an unreachable manager: the next one in order holds the lock
            }
        }
        throw lastError ?? ModuleError("swarm_cluster found no host to hold its swarm lock")
    }

    private func decideAndApply(_ context: HostContext) throws -> ModuleResult {
        let me = SwarmRemote(host: context.host, transport: context.transport, become: context.become,
                             environment: context.environment)
        if !present { return try leave(me, context: context) }
        guard let cluster = context.cluster else {
            return .failed("swarm_cluster needs the play's other hosts to find a manager, and this run offers none")
        }
        let wantRole = role ?? (cluster.host(named: context.host)?.groups.contains(managersGroup) == true ? .manager : .worker)
        let advertise = advertiseAddress ?? ClusterHost.address(name: context.host, vars: context.vars)
        let deadline = Date().addingTimeInterval(TimeInterval(waitTimeout))
        while true {
            var local = try me.probe()
            let managers = cluster.hosts(in: managersGroup).map { h -> SwarmPlanner.ManagerView in
                if h.name == context.host { return SwarmPlanner.ManagerView(host: h.name, info: local.info, nodes: local.nodes) }
                return SwarmRemote.view(of: h, in: cluster, environment: context.environment)
            }
            guard let info = local.info else {
                return .failed("Docker does not answer on \(context.host): \(local.error ?? "no output"); run docker_install first")
            }
            let input = SwarmPlanner.Input(host: context.host, hostname: local.hostname, role: wantRole, local: info,
                                           localNodes: local.nodes, managers: managers, forceRejoin: forceRejoin)
            let decision = SwarmPlanner.decide(input)
            if case .waitForManager(let first) = decision {
                guard !context.checkMode else {
                    return .changed(["role": .string(wantRole.rawValue)], message: "would join the swarm \(first) starts")
                }
                guard Date() < deadline else {
                    return .failed("no manager of this play started a swarm within \(waitTimeout) s (\(first) should); check swarm_cluster's result on \(first)")
                }
                Thread.sleep(forTimeInterval: 3)
                continue
            }
            return try apply(decision, me: me, local: &local, views: managers, role: wantRole, advertise: advertise,
                             cluster: cluster, context: context)
        }
    }

    private func apply(_ decision: SwarmPlanner.Decision, me: SwarmRemote, local: inout SwarmRemote.Probe,
                       views: [SwarmPlanner.ManagerView], role: SwarmPlanner.Role, advertise: String, cluster: ClusterAccess,
                       context: HostContext) throws -> ModuleResult {
        var data: [String: Value] = ["role": .string(role.rawValue), "advertise_addr": .string(advertise)]
        var warnings: [String] = []
        // After a change, the node and the manager are read again (new node ID, new list);
        // when nothing changed, the views already read serve, so a converged node costs no
        // further round trips beyond the probes.
        func done(_ changed: Bool, _ message: String, manager: String?) throws -> ModuleResult {
            guard !context.checkMode, let manager,
                  let m = try? SwarmRemote.remote(manager, in: cluster, environment: context.environment)
            else { return ModuleResult(changed: changed, message: message, data: data, warnings: warnings) }
            var view = views.first { $0.host == manager }
            if view == nil, manager == context.host { view = .init(host: manager, info: local.info, nodes: local.nodes) }
            if changed || view == nil || view?.info?.isLiveManager != true {
                local = try me.probe()
                let p = try m.probe()
                view = .init(host: manager, info: p.info, nodes: p.nodes)
            }
            data["node_id"] = .string(local.info?.nodeID ?? "")
            data["cluster_id"] = view?.info?.clusterID.map(Value.string) ?? .null
            let (removed, nodes) = try removeStale(hostname: local.hostname, nodeID: local.info?.nodeID ?? "",
                                                   nodes: view?.nodes ?? [], via: m)
            if !removed.isEmpty { data["removed_stale"] = .list(removed.map(Value.string)) }
            if let w = SwarmPlanner.quorumWarning(managerCount: nodes.filter(\.isManager).count) { warnings.append(w) }
            var r = ModuleResult(changed: changed || !removed.isEmpty, message: message, data: data, warnings: warnings)
            if !removed.isEmpty { r.message = message + "; removed stale entries \(removed.joined(separator: ", "))" }
            return r
        }
        switch decision {
        case .fail(let why):
            return .failed(why, data: data)
        case .inPlace(let manager):
            return try done(false, "in the swarm as \(role.rawValue)", manager: manager)
        case .waitForManager:
            return .failed("internal: wait decision reached apply")
        case .initialize, .leaveAndInitialize:
            if context.checkMode { return .changed(data, message: "would initialise a new swarm on \(context.host)") }
            if case .leaveAndInitialize = decision { try me.leave(force: true) }
            try me.initialize(advertise: advertise)
            return try done(true, "initialised a new swarm advertising \(advertise)", manager: context.host)
        case .join(let manager, let remote, let leaveFirst):
            if context.checkMode {
                return .changed(data, message: "would \(leaveFirst ? "leave its current swarm and " : "")join as \(role.rawValue) through \(manager)")
            }
            let m = try SwarmRemote.remote(manager, in: cluster, environment: context.environment)
            if leaveFirst { try me.leave(force: true) }
            let token = try m.joinToken(role)
            try me.join(token: token, advertise: advertise, remote: remote)
            return try done(true, "joined as \(role.rawValue) through \(manager)", manager: manager)
        case .promote(let manager, let id), .demote(let manager, let id):
            let promote: Bool
            if case .promote = decision { promote = true } else { promote = false }
            let verb = promote ? "promote" : "demote"
            if context.checkMode { return .changed(data, message: "would \(verb) \(context.host) through \(manager)") }
            let m = try SwarmRemote.remote(manager, in: cluster, environment: context.environment)
            try m.node(verb, id)
            if let lag = try awaitRole(role, nodeID: id, manager: m, me: me) { warnings.append(lag) }
            return try done(true, "\(verb)d to \(role.rawValue) through \(manager)", manager: manager)
        }
    }

    /// Waits until a promote or demote has taken effect: first in the manager's record of the
    /// node (role given and raft membership agree; a failure after `wait_timeout`), then in the
    /// node's own `docker info` (which lags by seconds; a warning if it never agrees). Without
    /// this, the next task would read the old role and act on it again, or demote another node.
    private func awaitRole(_ role: SwarmPlanner.Role, nodeID: String, manager m: SwarmRemote,
                           me: SwarmRemote) throws -> String? {
        let deadline = Date().addingTimeInterval(TimeInterval(waitTimeout))
        var seen = (desired: "", reachability: "")
        while true {
            seen = try m.nodeRole(nodeID)
            let done = role == .manager ? (seen.desired == "manager" && seen.reachability == "reachable")
                                        : (seen.desired == "worker" && seen.reachability.isEmpty)
            if done { break }
            guard Date() < deadline else {
                throw ModuleError("\(me.host) was made a \(role.rawValue), but after \(waitTimeout) s the manager \(m.host) still records role '\(seen.desired)'\(seen.reachability.isEmpty ? "" : ", \(seen.reachability)"); see docker node ls on \(m.host)")
            }
            Thread.sleep(forTimeInterval: 1)
        }
        while true {
            if let info = try me.probe().info, info.controlAvailable == (role == .manager) { return nil }
            guard Date() < deadline else {
                return "the swarm made \(me.host) a \(role.rawValue), but its own docker info did not show it within \(waitTimeout) s"
            }
            Thread.sleep(forTimeInterval: 1)
        }
    }

    /// Removes Down entries of this hostname with another ID, starting from the manager's list
    /// already read. Waits up to 30 s for an old entry that is not Down yet (the swarm notices a
    /// vanished node after a few heartbeats). Returns the removed IDs and the last list read.
    private func removeStale(hostname: String, nodeID: String, nodes start: [SwarmNode],
                             via m: SwarmRemote) throws -> ([String], [SwarmNode]) {
        guard !nodeID.isEmpty else { return ([], start) }
        var removed: [String] = []
        var nodes = start
        for attempt in 0..<11 {
            let stale = SwarmPlanner.staleEntries(hostname: hostname, currentID: nodeID, nodes: nodes)
            for entry in stale {
                if entry.isManager { try m.node("demote", entry.id) }
                try m.node("rm", entry.id)
                removed.append(entry.id)
            }
            let waiting = !SwarmPlanner.pendingStaleEntries(hostname: hostname, currentID: nodeID, nodes: nodes).isEmpty
            if !waiting && stale.isEmpty { break }
            if attempt == 10 { break }
            if waiting { Thread.sleep(forTimeInterval: 3) }
            nodes = try m.probe().nodes
        }
        return (removed, nodes)
    }

    private func leave(_ me: SwarmRemote, context: HostContext) throws -> ModuleResult {
        let local = try me.probe()
        guard let info = local.info else { return .failed("Docker does not answer on \(context.host): \(local.error ?? "")") }
        if info.state == .inactive { return .ok(message: "in no swarm") }
        // A manager leaving costs the swarm a quorum member, and the last one ends the swarm:
        // only on request.
        if info.isLiveManager && !forceRejoin {
            let count = info.managerCount ?? 1
            return .failed("\(context.host) is a swarm manager (\(count) in the swarm)\(count == 1 ? "; it is the last one, so leaving ends the swarm" : "; demote it first (swarm_cluster role: worker)"). Set force: true to make it leave anyway")
        }
        if context.checkMode { return .changed(message: "would leave the swarm") }
        try me.leave(force: info.isLiveManager || forceRejoin || info.state != .active)
        return .changed(message: "left the swarm")
    }
}

extension SwarmClusterModule {
    /// The first live swarm manager of the play other than `excluding`: hosts of group
    /// `managers` first, in inventory order, then the rest. nil when none answers as one.
    static func firstLiveManager(in cluster: ClusterAccess, excluding: String, environment: [String: String])
        -> (host: ClusterHost, transport: Transport)?
    {
        let ordered = cluster.hosts(in: "managers") + cluster.hosts.filter { !$0.groups.contains("managers") }
        for h in ordered where h.name != excluding {
            guard let r = try? SwarmRemote.remote(h.name, in: cluster, environment: environment),
                  let p = try? r.probe(), p.info?.isLiveManager == true
            else { continue }
            return (h, r.transport)
        }
        return nil
    }
}
