import ArgumentParser
import Foundation
import ProvisionCore

extension HostKeyChecking: ExpressibleByArgument {}

/// Options every command takes: how to log in, host-key policy, passwords, verbosity; spelt as
/// `ansible-playbook` spells them where it has them (`-u`, `-k`, `-K`, `--private-key`).
///
/// Passwords never come from argv: `-k`/`-K` prompt once on the terminal with echo off (or read
/// a line from stdin when it is not a terminal, as Ansible does); otherwise
/// `PROVISION_PASSWORD`, `PROVISION_BECOME_PASSWORD` and `PROVISION_SSH_PASSPHRASE` are read,
/// or files named by inventory variables.
struct CommonOptions: ParsableArguments {
    @Option(name: [.customLong("identity"), .customLong("private-key"), .customLong("key-file")],
            help: ArgumentHelp("Private key to log in with (replaces the inventory's).", valueName: "FILE"))
    var identity: [String] = []

    @Option(name: [.customShort("u"), .long],
            help: ArgumentHelp("User to log in as (replaces the inventory's).", valueName: "USER"))
    var user: String?

    @Option(name: .customLong("host-key-checking"),
            help: ArgumentHelp("Host key policy, as OpenSSH's StrictHostKeyChecking (default: the inventory's host_key_checking, else ansible.cfg's, else accept-new).", valueName: "accept-new|strict|off"))
    var hostKeyChecking: HostKeyChecking?

    @Option(name: .customLong("known-hosts"), help: ArgumentHelp("known_hosts file (default ~/.ssh/known_hosts).", valueName: "FILE"))
    var knownHosts: String?

    @Flag(name: [.customShort("k"), .customLong("ask-pass")], help: "Ask once for the SSH password (echo off; a line of stdin when it is not a terminal).")
    var askPass = false

    @Flag(name: [.customShort("K"), .customLong("ask-become-pass")], help: "Ask once for the become password (echo off; a line of stdin when it is not a terminal).")
    var askBecomePass = false

    @Flag(name: .shortAndLong, help: "More detail on stderr (-v connections and results, -vv commands); never a secret.")
    var verbose: Int

    /// Connection settings without passwords: command line over ansible.cfg (the inventory's
    /// settings sit between the two where Ansible puts them).
    func baseDefaults(config: AnsibleConfig, execution: ExecutionOptions? = nil) -> ConnectionDefaults {
        var d = ConnectionDefaults(user: user, identityFiles: identity, hostKeyChecking: hostKeyChecking,
                                   knownHostsFile: knownHosts, commandTimeout: execution?.timeout)
        d.fallbackUser = config.remoteUser
        d.fallbackIdentityFile = config.privateKeyFile
        d.fallbackHostKeyChecking = config.hostKeyChecking.map { $0 ? .acceptNew : .off }
        if let t = config.timeout { d.connectTimeout = TimeInterval(t) }
        d.becomeUser = execution?.becomeUser
        d.fallbackBecomeUser = config.becomeUser
        d.becomeMethod = execution?.becomeMethod ?? config.becomeMethod.flatMap(Become.Method.init(rawValue:))
        return d
    }

    /// The connection defaults these options, ansible.cfg, the extra vars and the environment
    /// give, asking for passwords where told to.
    /// `askingNothing`: the settings without any password (to know the login users early).
    func connectionDefaults(config: AnsibleConfig, execution: ExecutionOptions? = nil, extraVars: [String: Value] = [:],
                            askingNothing: Bool = false,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConnectionDefaults {
        var d = baseDefaults(config: config, execution: execution)
        if !askingNothing {
            d.passphrase = environment["PROVISION_SSH_PASSPHRASE"].map(Secret.init)
            d.password = askPass || config.askPass == true ? try PasswordPrompt.ask("SSH password: ")
                : environment["PROVISION_PASSWORD"].map(Secret.init)
            d.becomePassword = askBecomePass || config.becomeAskPass == true ? try PasswordPrompt.ask("BECOME password: ")
                : environment["PROVISION_BECOME_PASSWORD"].map(Secret.init)
        }
        // Extra vars are above every other source, the inventory included, as in Ansible.
        func extra(_ names: String...) -> String? {
            names.lazy.compactMap { extraVars[$0] }.first.map(\.renderedString)
        }
        d.passwordOverride = extra("ansible_password", "ansible_ssh_pass").map(Secret.init)
        d.becomePasswordOverride = extra("ansible_become_password", "ansible_become_pass", "ansible_sudo_pass").map(Secret.init)
        if let u = extra("ansible_user", "ansible_ssh_user") { d.userOverride = u }
        if let u = extra("ansible_become_user") {
            d.becomeUser = u
            d.becomeUserOverrides = true
        }
        if let key = extra("ansible_ssh_private_key_file", "ansible_private_key_file") { d.identityOverride = key }
        if let m = extra("ansible_become_method") {
            guard let method = Become.Method(rawValue: m) else {
                throw ValidationError("ansible_become_method '\(m)' is not supported: provision becomes with sudo or su")
            }
            d.becomeMethodOverride = method
        }
        return d
    }
}

/// Which inventory to read and which of its hosts to use.
struct InventoryOptions: ParsableArguments {
    @Option(name: [.short, .long],
            help: ArgumentHelp("Inventory file or directory (INI or YAML), or 'host1,host2,'; repeat for several (default: ansible.cfg's inventory, else inventories/hosts.yml).", valueName: "PATH"))
    var inventory: [String] = []

    @Option(name: [.customShort("l"), .long],
            help: ArgumentHelp("Only hosts matching this pattern (a:b, 'a, b', a:&b, a:!b, g[0], g[1:], ~regex, red0*, @FILE).", valueName: "PATTERN"))
    var limit: String?

    /// The inventory sources: `-i`, else ansible.cfg's / `ANSIBLE_INVENTORY`, else
    /// `inventories/hosts.yml`, else Ansible's default `/etc/ansible/hosts` when only it exists.
    func sources(config: AnsibleConfig) -> [String] {
        if !inventory.isEmpty { return inventory }
        if let configured = config.inventory { return configured }
        let own = "inventories/hosts.yml", ansible = "/etc/ansible/hosts"
        let fm = FileManager.default
        return !fm.fileExists(atPath: own) && fm.fileExists(atPath: ansible) ? [ansible] : [own]
    }
}
