/// The executor's `ClusterAccess` for `swarm_cluster` and other cross-host modules: the play's
/// hosts with their variables, become settings and run-long transports.
extension PeerDirectory: ClusterAccess {
    public var hosts: [ClusterHost] {
        peers.map { ClusterHost(name: $0.name, groups: $0.groups, vars: $0.vars, become: $0.become, inPlay: $0.inPlay) }
    }
}
