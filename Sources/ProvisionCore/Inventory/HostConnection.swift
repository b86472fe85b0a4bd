import Foundation

/// How a host is reached: transport kind, address, port, user, credentials, become.
///
/// Resolved from the host's merged connection keys in either spelling (`address` or
/// `ansible_host`, …). Passwords are `Secret`s; password files are read only when a
/// connection is made.
public struct HostConnection: Sendable, Equatable {
    /// Which transport reaches the host.
    public enum Kind: String, Sendable {
        case ssh
        /// The controller itself (`ansible_connection: local`).
        case local
    }

    public var kind: Kind
    /// Address or DNS name (the host's name when the inventory gives none).
    public var address: String
    /// nil: from ssh_config, else 22.
    public var port: Int?
    public var user: String?
    public var identityFile: String?
    public var password: Secret?
    public var passwordFile: String?
    /// `ansible_become`: run commands through sudo by default.
    public var become: Bool
    public var becomeUser: String?
    /// `ansible_become_method`: sudo or su; nil leaves it to the command line or ansible.cfg.
    public var becomeMethod: Become.Method?
    public var becomePassword: Secret?
    public var becomePasswordFile: String?
    public var connectTimeout: TimeInterval?
    /// `known_hosts_file`: this host's known_hosts, unless `--known-hosts` is given.
    public var knownHostsFile: String?
    /// `host_key_checking` / `ansible_host_key_checking`, unless `--host-key-checking` is given.
    public var hostKeyChecking: HostKeyChecking?

    public init(kind: Kind = .ssh, address: String, port: Int? = nil, user: String? = nil,
                identityFile: String? = nil, password: Secret? = nil, passwordFile: String? = nil,
                become: Bool = false, becomeUser: String? = nil, becomePassword: Secret? = nil,
                becomePasswordFile: String? = nil, connectTimeout: TimeInterval? = nil) {
        self.kind = kind
        self.address = address
        self.port = port
        self.user = user
        self.identityFile = identityFile
        self.password = password
        self.passwordFile = passwordFile
        self.become = become
        self.becomeUser = becomeUser
        self.becomePassword = becomePassword
        self.becomePasswordFile = becomePasswordFile
        self.connectTimeout = connectTimeout
    }
}

extension HostConnection {
    /// Reads a host-key policy as inventories write it: `accept-new`, `strict`, `off`, or
    /// Ansible's boolean `host_key_checking` (false: off; true: accept-new, provision's default).
    static func hostKeyChecking(_ value: Value) -> HostKeyChecking? {
        switch value {
        case .bool(let b): return b ? .acceptNew : .off
        case .string(let s):
            if let p = HostKeyChecking(rawValue: s.lowercased()) { return p }
            return ModuleArguments.parseBool(s).map { $0 ? .acceptNew : .off }
        default: return nil
        }
    }
}
