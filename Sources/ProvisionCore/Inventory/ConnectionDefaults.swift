import Foundation

/// Connection settings from the command line and environment.
///
/// `user` and `identityFiles` (`--user`, `--identity`) override the inventory's login, as the
/// README promises; passwords fill in only where the inventory names none.
public struct ConnectionDefaults: Sendable {
    /// `--user`: replaces every host's inventory user.
    public var user: String?
    /// `--identity`: replaces every host's inventory identity file.
    public var identityFiles: [String]
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
        var identities = defaults.identityFiles.map(Self.expandTilde)
        if identities.isEmpty, let id = c.identityFile { identities.append(Self.expandTilde(id)) }
        var password = c.password
        if password == nil, let file = c.passwordFile { password = try readSecret(file, what: "password_file") }
        if password == nil { password = defaults.password }
        var target = ConnectionTarget(name: name, address: c.address, port: c.port, user: defaults.user ?? c.user,
                                      identityFiles: identities, password: password, passphrase: defaults.passphrase,
                                      hostKeyChecking: defaults.hostKeyChecking ?? c.hostKeyChecking ?? .acceptNew,
                                      knownHostsFile: defaults.knownHostsFile ?? c.knownHostsFile.map(Self.expandTilde),
                                      connectTimeout: c.connectTimeout ?? defaults.connectTimeout,
                                      commandTimeout: defaults.commandTimeout)
        target.output = defaults.output
        return target
    }

    /// sudo settings for this host when become is asked for (by `--become` or `ansible_become`).
    public func become(defaults: ConnectionDefaults) throws -> Become {
        var password = connection.becomePassword
        if password == nil, let file = connection.becomePasswordFile {
            password = try readSecret(file, what: "become_password_file")
        }
        return Become(user: connection.becomeUser ?? "root", password: password ?? defaults.becomePassword)
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
