import Foundation

/// Connection settings from the command line and environment.
///
/// As Ansible ranks them: extra vars over the inventory's variables, those over the command
/// line (`-u`, `--private-key`, `--become-user`), that over ansible.cfg.
public struct ConnectionDefaults: Sendable {
    /// `-u/--user`: the login of hosts whose inventory names none (`ansible_user` beats it).
    public var user: String?
    /// `--private-key`: the key of hosts whose inventory names none.
    public var identityFiles: [String]
    /// Extra vars `ansible_user`/`ansible_ssh_user`: above the inventory's.
    public var userOverride: String?
    /// Extra vars `ansible_ssh_private_key_file`/`ansible_private_key_file`: above the inventory's.
    public var identityOverride: String?
    /// From `PROVISION_SSH_PASSPHRASE`, for encrypted identity files.
    public var passphrase: Secret?
    /// From `--ask-pass` or `PROVISION_PASSWORD`.
    public var password: Secret?
    /// From `--ask-become-pass` or `PROVISION_BECOME_PASSWORD`.
    public var becomePassword: Secret?
    /// `--host-key-checking`: replaces the inventory's policy; nil: the inventory's, else accept-new.
    public var hostKeyChecking: HostKeyChecking?
    /// `--known-hosts`: replaces the inventory's `known_hosts_file`.
    public var knownHostsFile: String?
    public var connectTimeout: TimeInterval
    public var commandTimeout: TimeInterval?
    /// ansible.cfg's `remote_user` / `ANSIBLE_REMOTE_USER`: the login where the inventory names none.
    public var fallbackUser: String?
    /// ansible.cfg's `private_key_file`: the key where the inventory names none.
    public var fallbackIdentityFile: String?
    /// ansible.cfg's `host_key_checking`: the policy where the inventory names none.
    public var fallbackHostKeyChecking: HostKeyChecking?
    /// Extra vars `ansible_password`/`ansible_ssh_pass`: above the inventory's, as in Ansible.
    public var passwordOverride: Secret?
    /// Extra vars `ansible_become_password`/`ansible_become_pass`: above the inventory's.
    public var becomePasswordOverride: Secret?
    /// `--become-user` (or extra var `ansible_become_user`, which also beats the inventory).
    public var becomeUser: String?
    /// True when `becomeUser` came from extra vars and so beats the inventory's.
    public var becomeUserOverrides = false
    /// ansible.cfg's `become_user` / `ANSIBLE_BECOME_USER`: below `--become-user` and the inventory.
    public var fallbackBecomeUser: String?
    /// `--become-method` or ansible.cfg's; extra var `ansible_become_method` sets `becomeMethodOverride`.
    public var becomeMethod: Become.Method?
    public var becomeMethodOverride: Become.Method?
    /// `--keep-output`, `--max-data-bytes`, `--output-dir`.
    public var output = OutputLimits()

    public init(user: String? = nil, identityFiles: [String] = [], passphrase: Secret? = nil, password: Secret? = nil,
                becomePassword: Secret? = nil, hostKeyChecking: HostKeyChecking? = nil,
                knownHostsFile: String? = nil, connectTimeout: TimeInterval = 10,
                commandTimeout: TimeInterval? = nil) {
        self.user = user
        self.identityFiles = identityFiles
        self.passphrase = passphrase
        self.password = password
        self.becomePassword = becomePassword
        self.hostKeyChecking = hostKeyChecking
        self.knownHostsFile = knownHostsFile
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }
}

extension InventoryHost {
    /// How to reach this host: its inventory settings with `defaults` applied. Reads password files
    /// named in the inventory; throws a `Diagnostic` (at the host's definition) when one cannot
    /// be read.
    public func connectionTarget(defaults: ConnectionDefaults) throws -> ConnectionTarget {
        let c = connection
        var identities: [String]
        if let id = defaults.identityOverride ?? c.identityFile {
            identities = [id]
        } else {
            identities = defaults.identityFiles.isEmpty ? [defaults.fallbackIdentityFile].compactMap { $0 } : defaults.identityFiles
        }
        identities = identities.map(Self.expandTilde)
        var password = defaults.passwordOverride ?? c.password
        if password == nil, let file = c.passwordFile { password = try readSecret(file, what: "password_file") }
        if password == nil { password = defaults.password }
        var target = ConnectionTarget(name: name, address: c.address, port: c.port, user: loginUser(defaults: defaults),
                                identityFiles: identities, password: password, passphrase: defaults.passphrase,
                                hostKeyChecking: defaults.hostKeyChecking ?? c.hostKeyChecking
                                    ?? defaults.fallbackHostKeyChecking ?? .acceptNew,
                                knownHostsFile: defaults.knownHostsFile ?? c.knownHostsFile.map(Self.expandTilde),
                                connectTimeout: c.connectTimeout ?? defaults.connectTimeout,
                                commandTimeout: defaults.commandTimeout)
        target.output = defaults.output
        target.isLocal = c.kind == .local
        return target
    }

    /// The user this host logs in as: `-e ansible_user`, else the inventory's, else `--user`,
    /// else ansible.cfg's `remote_user`; nil when none is given (the local user then).
    public func loginUser(defaults: ConnectionDefaults) -> String? {
        defaults.userOverride ?? connection.user ?? defaults.user ?? defaults.fallbackUser
    }

    /// The key `--private-key` gives this host (none when its inventory names one), which
    /// Ansible shows as `ansible_ssh_private_key_file`.
    public func commandLineKey(defaults: ConnectionDefaults) -> String? {
        guard defaults.identityOverride == nil, connection.identityFile == nil else { return nil }
        return defaults.identityFiles.first
    }

    /// sudo settings for this host when become is asked for (by `--become` or `ansible_become`).
    /// Extra vars beat the inventory, which beats `--become-user` and ansible.cfg, as in Ansible.
    public func become(defaults: ConnectionDefaults) throws -> Become {
        var password = defaults.becomePasswordOverride ?? connection.becomePassword
        if password == nil, let file = connection.becomePasswordFile {
            password = try readSecret(file, what: "become_password_file")
        }
        let user = defaults.becomeUserOverrides ? defaults.becomeUser
            : connection.becomeUser ?? defaults.becomeUser ?? defaults.fallbackBecomeUser
        let method = defaults.becomeMethodOverride ?? connection.becomeMethod ?? defaults.becomeMethod ?? .sudo
        return Become(user: user ?? "root", password: password ?? defaults.becomePassword, method: method)
    }

    private func readSecret(_ path: String, what: String) throws -> Secret {
        let full = Self.expandTilde(path)
        guard let text = try? String(contentsOfFile: full, encoding: .utf8) else {
            throw LoadError(Diagnostic("cannot read \(what) '\(path)' of host '\(name)'", at: location,
                                       hint: "create the file (one line, the password) or fix the path"))
        }
        var s = Substring(text)
        while s.last == "\n" || s.last == "\r" { s.removeLast() }
        return Secret(String(s))
    }

    static func expandTilde(_ path: String) -> String {
        path.hasPrefix("~") ? NSString(string: path).expandingTildeInPath : path
    }
}
