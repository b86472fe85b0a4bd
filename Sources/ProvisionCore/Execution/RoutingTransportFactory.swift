/// Sends each host to the transport its inventory entry asks for: `connection: local` hosts
/// to the local factory, the rest to the remote (SSH) one.
public struct RoutingTransportFactory: TransportFactory {
    public var localHosts: Set<String>
    public var local: TransportFactory
    public var remote: TransportFactory

    public init(localHosts: Set<String>, local: TransportFactory, remote: TransportFactory) {
        self.localHosts = localHosts
        self.local = local
        self.remote = remote
    }

    public func connect(to target: ConnectionTarget) throws -> Transport {
        try (localHosts.contains(target.name) || target.isLocal ? local : remote).connect(to: target)
    }
}
