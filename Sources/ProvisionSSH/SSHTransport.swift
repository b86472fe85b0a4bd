import CLibSSH2
import Foundation
import ProvisionCore

// Placeholder until the SSH transport lands (issue 2): the CLI compiles against this factory.

/// Opens `SSHTransport`s (one libssh2 session per host).
public struct SSHTransportFactory: TransportFactory {
    public init() {}
    public func connect(to target: ConnectionTarget) throws -> Transport {
        throw TransportError(.unreachable, host: target.name, "SSH transport not built yet")
    }
}
