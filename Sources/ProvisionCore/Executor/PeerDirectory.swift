/// The hosts of the play as a module acting across hosts sees them (`swarm_cluster` reads the
/// swarm state of every manager and fetches a join token from a live one): their names,
/// groups, variables and become settings, and their run-long transports.
///
/// Built by the coordinator between steps, so fetching a transport never waits on a host queue
/// that is running a step (two managers asking each other at once cannot deadlock). The
/// transports are the pool's own: commands sent through them share the host's one session,
/// which the transport serialises itself (the `Transport` contract). A host that could not be
/// reached is absent, and `transport(for:)` throws for it.
public final class PeerDirectory: @unchecked Sendable {
    /// One host of the play.
    public struct Peer: Sendable {
        public var name: String
        public var groups: [String]
        /// Its variables as its own tasks would see them.
        public var vars: [String: Value]
        /// How commands on it become root, as its own tasks would.
        public var become: Become?
        /// False for an inventory host outside the play (`--limit`, `serial`, the pattern).
        public var inPlay: Bool = true
    }

    /// Every host of the inventory, inventory order; the play's own have `inPlay`.
    public let peers: [Peer]
    private let transports: [String: Transport]
    /// Connects a host outside the play on first use. Such a host runs no step of the play, so
    /// waiting on its queue cannot deadlock; the play's own hosts are fetched up front instead.
    private let connectOutside: ((String) throws -> Transport)?

    init(peers: [Peer], transports: [String: Transport], connectOutside: ((String) throws -> Transport)? = nil) {
        self.peers = peers
        self.transports = transports
        self.connectOutside = connectOutside
    }

    /// The run-long transport of `host`; throws `TransportError` when it is not reachable.
    public func transport(for host: String) throws -> Transport {
        if let t = transports[host] { return t }
        if let connect = connectOutside, peers.contains(where: { $0.name == host && !$0.inPlay }) {
            return try connect(host)
        }
        throw TransportError(.unreachable, host: host, "not connected (unreachable or not in this inventory)")
    }
}

extension PlayRun {
    /// The directory for `task`, whose module declares `.cluster`. The play's hosts come with
    /// their transports; the rest of the inventory (a manager left out by `--limit`) is listed
    /// too and connected only if a module asks for it.
    func peerDirectory(for task: Task, runner: TaskRunner) -> PeerDirectory? {
        var peers: [PeerDirectory.Peer] = []
        var transports: [String: Transport] = [:]
        let inPlay = Set(playHosts)
        let listed = executor.inventory.hosts.map(\.name)
        for name in listed + playHosts.filter({ !listed.contains($0) }) {
            guard let state = executor.states[name] else { continue }
            let scope = HostScope(run: executor.runVars, host: state, play: playVariables, taskVars: task.vars,
                                  roleDefaults: task.roleDefaults)
            peers.append(PeerDirectory.Peer(name: name, groups: state.groups, vars: scope.flattened(),
                                            become: try? runner.become(for: task, host: name, delegate: nil),
                                            inPlay: inPlay.contains(name)))
            if inPlay.contains(name), executor.pool.unreachableHosts[name] == nil,
               let t = try? executor.pool.perform(on: name, { $0 }) {
                transports[name] = t
            }
        }
        return PeerDirectory(peers: peers, transports: transports,
                             connectOutside: { [pool = executor.pool] host in try pool.perform(on: host, { $0 }) })
    }
}

extension PlayRun {
    /// The transports of the hosts `task` delegates to from `hosts`, fetched now, between
    /// steps (see `TaskRunner.delegateTransports`). A `delegate_to` that reads loop items is
    /// rendered per item later and left out.
    func delegateTransports(for task: Task, hosts: [String]) -> [String: Transport] {
        guard let d = task.delegateTo else { return [:] }
        var out: [String: Transport] = [:]
        for host in hosts {
            guard let state = executor.states[host] else { continue }
            let scope = HostScope(run: executor.runVars, host: state, play: playVariables, taskVars: task.vars,
                                  roleDefaults: task.roleDefaults)
            guard let name = try? Templating.renderString(d, in: scope), name != host, out[name] == nil,
                  executor.states[name] != nil, executor.pool.unreachableHosts[name] == nil,
                  let t = try? executor.pool.perform(on: name, { $0 }) else { continue }
            out[name] = t
        }
        return out
    }
}
