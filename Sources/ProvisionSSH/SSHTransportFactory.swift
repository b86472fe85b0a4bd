import Foundation
import ProvisionCore

/// Opens `SSHTransport`s: one libssh2 session per host, connected and authenticated before
/// `connect` returns.
public struct SSHTransportFactory: TransportFactory {
    /// An ssh_config file to use instead of `~/.ssh/config` (`ssh -F`).
    public var sshConfigFile: String?
    /// The ssh-agent socket; defaults to `SSH_AUTH_SOCK`. nil or empty: no agent.
    public var agentSocket: String?

    public init(sshConfigFile: String? = nil,
                agentSocket: String? = ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"]) {
        LibSSH2.ensureInitialized()
        self.sshConfigFile = sshConfigFile
        self.agentSocket = agentSocket
    }

    public func connect(to target: ConnectionTarget) throws -> Transport {
        let transport = SSHTransport(target: target)
        try transport.open(with: SSHConnector(configFile: sshConfigFile, agentSocket: agentSocket))
        return transport
    }
}
