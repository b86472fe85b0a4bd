import ProvisionCore
import ProvisionSSH

/// The one place the CLI names the SSH transport.
enum SSHTransportFactoryProvider {
    static func make() -> TransportFactory { SSHTransportFactory() }
}
