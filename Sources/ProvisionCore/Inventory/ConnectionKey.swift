/// A host setting that decides how provision reaches the host, whichever spelling set it.
///
/// Inventories may use provision's names (`address`, `port`, `user`, `identity_file`,
/// `connection`, `password_file`, `become_password_file`) or Ansible's (`ansible_host`, …).
public enum ConnectionKey: String, Sendable, CaseIterable {
    case address, port, user, identityFile, connection
    case password, becomePassword, passwordFile, becomePasswordFile
    case become, becomeUser, becomeMethod, connectTimeout
    case knownHostsFile, hostKeyChecking

    /// Every accepted spelling and the setting it names.
    static let spellings: [String: ConnectionKey] = [
        "address": .address, "ansible_host": .address, "ansible_ssh_host": .address,
        "port": .port, "ansible_port": .port, "ansible_ssh_port": .port,
        "user": .user, "ansible_user": .user, "ansible_ssh_user": .user,
        "identity_file": .identityFile, "ansible_ssh_private_key_file": .identityFile,
        "ansible_private_key_file": .identityFile,
        "connection": .connection, "ansible_connection": .connection,
        "ansible_password": .password, "ansible_ssh_pass": .password,
        "ansible_become_password": .becomePassword, "ansible_become_pass": .becomePassword,
        "ansible_sudo_pass": .becomePassword,
        "password_file": .passwordFile, "become_password_file": .becomePasswordFile,
        "ansible_become": .become, "ansible_sudo": .become,
        "ansible_become_user": .becomeUser, "ansible_sudo_user": .becomeUser,
        "ansible_become_method": .becomeMethod,
        "ansible_ssh_timeout": .connectTimeout, "ansible_timeout": .connectTimeout,
        "known_hosts_file": .knownHostsFile,
        "host_key_checking": .hostKeyChecking, "ansible_host_key_checking": .hostKeyChecking,
        "ansible_ssh_host_key_checking": .hostKeyChecking,
    ]

    /// Ansible variables that are accepted (and kept as plain variables) though provision does
    /// not act on them, so existing Ansible inventories load unchanged.
    static let knownAnsibleVars: Set<String> = [
        "ansible_python_interpreter", "ansible_shell_type", "ansible_shell_executable",
        "ansible_ssh_common_args", "ansible_ssh_extra_args", "ansible_sftp_extra_args",
        "ansible_scp_extra_args", "ansible_ssh_executable", "ansible_ssh_pipelining",
        "ansible_pipelining", "ansible_become_exe", "ansible_become_flags", "ansible_ssh_retries",
        "ansible_ssh_transfer_method",
        "ansible_remote_tmp", "ansible_network_os", "ansible_ssh_private_key_passphrase",
        "ansible_ssh_args", "ansible_ssh_use_tty", "ansible_connection_timeout", "ansible_os_family",
        "ansible_group_priority",
    ]

    /// Variable names whose values are secrets: masked wherever variables are shown.
    static let secretSpellings: Set<String> = [
        "ansible_password", "ansible_ssh_pass", "ansible_become_password", "ansible_become_pass",
        "ansible_sudo_pass", "ansible_ssh_private_key_passphrase",
    ]

    /// The setting `key` names, if it is one of the accepted spellings.
    public static func named(_ key: String) -> ConnectionKey? { spellings[key] }

    /// True when the variable's value must never be shown (known secret keys, and any name
    /// that says password, passphrase, token or secret).
    public static func isSecret(_ key: String) -> Bool {
        if secretSpellings.contains(key) { return true }
        let k = key.lowercased()
        if k.hasSuffix("_file") { return false }
        return ["password", "passphrase", "passwd", "token", "secret"].contains { k.contains($0) }
    }

    /// Checks a variable name written in a host's or group's variables. Returns a message and
    /// hint when it looks like a misspelt connection key: an `ansible_*` name Ansible does not
    /// define, or a plain name one or two letters away from one of provision's own keys
    /// (`adress`, `usr`). Other names are ordinary variables.
    static func misspelling(_ key: String) -> (message: String, hint: String)? {
        if spellings[key] != nil || knownAnsibleVars.contains(key) { return nil }
        if key.hasPrefix("ansible_") {
            if key.hasSuffix("_interpreter") { return nil }
            let known = Array(spellings.keys.filter { $0.hasPrefix("ansible_") }) + Array(knownAnsibleVars)
            let guess = closest(to: key, in: known, within: 4)
            return ("unknown connection variable '\(key)'",
                    guess.map { "did you mean '\($0)'?" }
                        ?? "ansible_* names are reserved for connection settings; rename the variable")
        }
        let own = ["address", "identity_file", "connection", "password_file", "become_password_file",
                   "known_hosts_file", "host_key_checking"]
        let short = ["user", "port"]
        if own.contains(where: { key == $0 + "s" || key == $0 + "es" }) { return nil }
        var guess: String?
        if key.count >= 5 { guess = closest(to: key, in: own, within: 2) }
        if guess == nil, (3...4).contains(key.count) { guess = closest(to: key, in: short, within: 1) }
        guard let guess else { return nil }
        return ("unknown connection key '\(key)'",
                "did you mean '\(guess)'? (rename it if it is meant as a plain variable)")
    }

    static func closest(to key: String, in candidates: [String], within limit: Int) -> String? {
        Spelling.closest(to: key, in: candidates.sorted(), within: limit)
    }
}
