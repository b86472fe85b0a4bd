/// The hosts of the play as a module acting across hosts sees them (`docker_swarm` reads the
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
    }

    /// Every host of the play, inventory order.
    public let peers: [Peer]
    private let transports: [String: Transport]

    init(peers: [Peer], transports: [String: Transport]) {
        self.peers = peers
        self.transports = transports
    }

    /// The run-long transport of `host`; throws `TransportError` when it is not reachable.
    public func transport(for host: String) throws -> Transport {
        guard let t = transports[host] else {
            throw TransportError(.unreachable, host: host, "not connected (unreachable or not in this play)")
        }
        return t
    }
}

extension PlayRun {
    /// The directory for `task`, whose module declares `.cluster`.
    func peerDirectory(for task: Task, runner: TaskRunner) -> PeerDirectory? {
        var peers: [PeerDirectory.Peer] = []
        var transports: [String: Transport] = [:]
        for name in playHosts {
            guard let state = executor.states[name] else { continue }
            let scope = HostScope(run: executor.runVars, host: state, play: playVariables, taskVars: task.vars,
                                  roleDefaults: task.roleDefaults)
            peers.append(PeerDirectory.Peer(name: name, groups: state.groups, vars: scope.flattened(),
                                            become: runner.become(for: task, host: name, delegate: nil)))
            if executor.pool.unreachableHosts[name] == nil,
               let t = try? executor.pool.perform(on: name, { $0 }) {
                transports[name] = t
            }
        }
        return PeerDirectory(peers: peers, transports: transports)
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
