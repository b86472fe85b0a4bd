/// The pure decision of `swarm_cluster` for one node: from the node's own swarm state and the
/// play's managers' views, what to do. No host is contacted here.
public enum SwarmPlanner {
    /// The role a node should have in the swarm.
    public enum Role: String, Sendable { case manager, worker }

    /// A manager of the play as probed: its swarm view and, when it is a live manager, its list
    /// of nodes. `info == nil`: unreachable or Docker not answering.
    public struct ManagerView: Sendable {
        public var host: String
        public var info: SwarmInfo?
        public var nodes: [SwarmNode]
        /// False for a manager outside the play (`--limit`): joined through when live, never
        /// waited for to start a swarm.
        public var inPlay: Bool

        public init(host: String, info: SwarmInfo?, nodes: [SwarmNode] = [], inPlay: Bool = true) {
            self.host = host
            self.info = info
            self.nodes = nodes
            self.inPlay = inPlay
        }
    }

    /// Everything the decision depends on, already read from the hosts.
    public struct Input: Sendable {
        public var host: String
        public var hostname: String
        public var role: Role
        public var local: SwarmInfo
        /// This host's own node list when it is a live manager (its probe reads it).
        public var localNodes: [SwarmNode]
        /// The play's managers in inventory order; this host among them when it is one.
        public var managers: [ManagerView]
        public var forceRejoin: Bool

        public init(host: String, hostname: String, role: Role, local: SwarmInfo, localNodes: [SwarmNode] = [],
                    managers: [ManagerView], forceRejoin: Bool = false) {
            self.host = host
            self.hostname = hostname
            self.role = role
            self.local = local
            self.localNodes = localNodes
            self.managers = managers
            self.forceRejoin = forceRejoin
        }
    }

    /// What to do on this node; the module carries it out through the named manager.
    public enum Decision: Sendable, Equatable {
        /// Already in the play's swarm with the right role.
        case inPlace(manager: String?)
        case initialize
        /// Join through `manager`, whose swarm address is `remote`. `leaveFirst`: force_rejoin
        /// out of another swarm or a stuck state.
        case join(manager: String, remote: String, leaveFirst: Bool)
        /// Leave a foreign swarm (force_rejoin) and start the play's swarm, as its first manager.
        case leaveAndInitialize
        case promote(manager: String, nodeID: String)
        case demote(manager: String, nodeID: String)
        /// The first manager has not started the swarm yet; poll and decide again.
        case waitForManager(String)
        case fail(String)
    }

    public static func decide(_ i: Input) -> Decision {
        var live = i.managers.filter { $0.info?.isLiveManager == true }
        let clusters = Dictionary(grouping: live, by: { $0.info?.clusterID ?? "" })
        if clusters.count > 1 {
            let desc = live.map { "\($0.host) (swarm \($0.info?.clusterID ?? "?"))" }.joined(separator: ", ")
            return .fail("the managers of this play are in different swarms: \(desc); make them one swarm by hand (docker swarm leave on one side) before running this")
        }
        let first = i.managers.first { $0.inPlay }?.host
        // This host may be a live manager without being in the managers group (promoted, or
        // the manager of a swarm of its own). It goes last: roles are read from a group
        // manager's view whenever one answers, because a node's own view lags behind a
        // promote or demote by seconds.
        if i.local.isLiveManager, !live.contains(where: { $0.host == i.host }) {
            if let m = live.first, m.info?.clusterID != i.local.clusterID {
                if i.forceRejoin { return .join(manager: m.host, remote: swarmAddress(m), leaveFirst: true) }
                return .fail("\(i.host) manages another swarm (\(i.local.clusterID ?? "?")), not the swarm of this play's managers (\(m.host)); set force_rejoin: true to make it leave and join")
            }
            live.append(ManagerView(host: i.host, info: i.local, nodes: i.localNodes))
        }
        guard let m = live.first else {
            return decideWithoutLiveManager(i, firstManager: first)
        }
        let remote = swarmAddress(m)
        let entry = i.local.nodeID.isEmpty ? nil : m.nodes.first { $0.id == i.local.nodeID }
        switch i.local.state {
        case .inactive:
            return .join(manager: m.host, remote: remote, leaveFirst: false)
        case .active where entry != nil && (i.local.clusterID == nil || i.local.clusterID == m.info?.clusterID):
            guard let entry else { return .inPlace(manager: m.host) }
            if i.role == .manager && !entry.isManager { return .promote(manager: m.host, nodeID: entry.id) }
            if i.role == .worker && entry.isManager {
                if let why = demoteRefusal(entry, nodes: m.nodes) { return .fail(why) }
                // A manager does not demote itself when another can do it.
                let by = live.first { $0.host != i.host }?.host ?? m.host
                return .demote(manager: by, nodeID: entry.id)
            }
            return .inPlace(manager: m.host)
        default:
            let what = describe(i.local)
            if i.forceRejoin { return .join(manager: m.host, remote: remote, leaveFirst: true) }
            return .fail("\(i.host) \(what), not the swarm of this play's managers (\(m.host)); set force_rejoin: true to make it leave and join")
        }
    }

    static func decideWithoutLiveManager(_ i: Input, firstManager: String?) -> Decision {
        guard let first = firstManager else {
            let outside = i.managers.map(\.host)
            if !outside.isEmpty {
                return .fail("no manager of the inventory (\(outside.joined(separator: ", "))) is a live swarm manager, and none of them is in this play to start one; run without --limit, or include a manager")
            }
            return .fail("no host of the inventory is in the managers group; the swarm needs one to start from")
        }
        let isFirst = first == i.host && i.role == .manager
        switch i.local.state {
        case .inactive:
            if isFirst { return .initialize }
            return .waitForManager(first)
        default:
            if isFirst && i.forceRejoin { return .leaveAndInitialize }
            return .fail("\(i.host) \(describe(i.local)), but no manager of this play is a live swarm manager, so it cannot be this play's swarm\(isFirst ? "; set force_rejoin: true to leave it and start a new swarm here" : "; run swarm_cluster on the managers first")")
        }
    }

    /// Why demoting `entry` would break the swarm, or nil when it is safe: the last manager is
    /// never demoted, and the managers left must still hold a majority of reachable ones.
    public static func demoteRefusal(_ entry: SwarmNode, nodes: [SwarmNode]) -> String? {
        let managers = nodes.filter(\.isManager)
        let remaining = managers.count - 1
        if remaining < 1 { return "\(entry.hostname) is the swarm's last manager; it cannot become a worker. Promote another node first" }
        let reachableAfter = managers.filter(\.isReachableManager).count - (entry.isReachableManager ? 1 : 0)
        if reachableAfter * 2 <= remaining {
            return "demoting \(entry.hostname) would leave \(reachableAfter) reachable of \(remaining) managers, below quorum; bring the unreachable managers back or remove them first"
        }
        return nil
    }

    /// Earlier entries of a re-imaged node: same hostname, another ID, and Down, so removing
    /// them cannot take a live node out.
    public static func staleEntries(hostname: String, currentID: String, nodes: [SwarmNode]) -> [SwarmNode] {
        nodes.filter { $0.hostname == hostname && $0.id != currentID && $0.isDown }
    }

    /// Same hostname, another ID, not Down yet: the swarm has not noticed the old node is gone.
    public static func pendingStaleEntries(hostname: String, currentID: String, nodes: [SwarmNode]) -> [SwarmNode] {
        nodes.filter { $0.hostname == hostname && $0.id != currentID && !$0.isDown }
    }

    /// A warning when the managers would number an even count (no better quorum than one fewer).
    public static func quorumWarning(managerCount: Int) -> String? {
        managerCount > 1 && managerCount % 2 == 0
            ? "the swarm has \(managerCount) managers; an even number tolerates no more failures than \(managerCount - 1). Use an odd number"
            : nil
    }

    static func swarmAddress(_ m: ManagerView) -> String {
        let addr = m.info?.nodeAddress ?? ""
        let mine = m.info?.remoteManagers.first { $0.nodeID == m.info?.nodeID }?.address
        return mine ?? (addr.contains(":") && !addr.contains("]") && addr.filter { $0 == ":" }.count == 1 ? addr : "\(addr):2377")
    }

    static func describe(_ s: SwarmInfo) -> String {
        switch s.state {
        case .active:
            let managers = s.remoteManagers.map(\.address).joined(separator: ", ")
            return "is in another swarm (managers at \(managers.isEmpty ? "unknown" : managers))"
        case .pending: return "is stuck joining a swarm (state pending)"
        case .error: return "is in swarm state error (\(s.error))"
        case .locked: return "is in a locked swarm (autolock; unlock it with docker swarm unlock)"
        case .inactive: return "is in no swarm"
        }
    }
}
