import Foundation

/// Host-key checking policy, as OpenSSH's `StrictHostKeyChecking`.
public enum HostKeyChecking: String, Sendable, CaseIterable {
    /// Unknown hosts are trusted and recorded; changed keys are refused (the default).
    case acceptNew = "accept-new"
    /// Unknown and changed keys are refused.
    case strict
    /// Nothing is checked or recorded.
    case off
}

/// Everything needed to reach one host: where, as whom, and how to check and authenticate.
///
/// Built by the CLI from the inventory, command-line options and `~/.ssh/config`.
public struct ConnectionTarget: Sendable {
    /// Inventory name (used in output and as the ssh_config `Host` to match).
    public var name: String
    /// Address or DNS name to connect to (inventory `address`/`ansible_host`; else the name).
    public var address: String
    /// nil: from ssh_config, else 22.
    public var port: Int?
    /// nil: from ssh_config, else the local user.
    public var user: String?
    /// Identity files to try after the agent (inventory, `--identity`, ssh_config).
    public var identityFiles: [String]
    /// Password for password/keyboard-interactive authentication.
    public var password: Secret?
    /// Passphrase for encrypted identity files.
    public var passphrase: Secret?
    public var hostKeyChecking: HostKeyChecking
    /// nil: `~/.ssh/known_hosts`.
    public var knownHostsFile: String?
    public var connectTimeout: TimeInterval
    /// Default per-command timeout (nil: none).
    public var commandTimeout: TimeInterval?
    /// Seconds between keepalives (0: off).
    public var keepaliveInterval: Int
    /// Whether to read `~/.ssh/config` (through `ssh -G` when available).
    public var useSSHConfig: Bool
    /// How much command output is kept in memory, and where whole streams go.
    public var output = OutputLimits()
    /// `ansible_connection: local`: the controller itself, no SSH (hosts `add_host` creates
    /// during the run included).
    public var isLocal = false

    public init(name: String, address: String? = nil, port: Int? = nil, user: String? = nil,
                identityFiles: [String] = [], password: Secret? = nil, passphrase: Secret? = nil,
                hostKeyChecking: HostKeyChecking = .acceptNew, knownHostsFile: String? = nil,
                connectTimeout: TimeInterval = 10, commandTimeout: TimeInterval? = nil,
                keepaliveInterval: Int = 15, useSSHConfig: Bool = true) {
        self.name = name
        self.address = address ?? name
        self.port = port
        self.user = user
        self.identityFiles = identityFiles
        self.password = password
        self.passphrase = passphrase
        self.hostKeyChecking = hostKeyChecking
        self.knownHostsFile = knownHostsFile
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.keepaliveInterval = keepaliveInterval
        self.useSSHConfig = useSSHConfig
    }
}
