import ArgumentParser
import Foundation
import ProvisionCore

extension HostKeyChecking: ExpressibleByArgument {}

/// Options every command takes: how to log in, host-key policy, passwords, verbosity.
///
/// Passwords never come from argv: `--ask-pass`/`--ask-become-pass` prompt once on the terminal
/// with echo off; otherwise `PROVISION_PASSWORD`, `PROVISION_BECOME_PASSWORD` and
/// `PROVISION_SSH_PASSPHRASE` are read, or files named by inventory variables.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("identity"), help: ArgumentHelp("Private key to log in with (replaces the inventory's).", valueName: "FILE"))
    var identity: [String] = []

    @Option(help: ArgumentHelp("User to log in as (replaces the inventory's).", valueName: "USER"))
    var user: String?

    @Option(name: .customLong("host-key-checking"),
            help: ArgumentHelp("Host key policy, as OpenSSH's StrictHostKeyChecking (default: the inventory's host_key_checking, else accept-new).", valueName: "accept-new|strict|off"))
    var hostKeyChecking: HostKeyChecking?

    @Option(name: .customLong("known-hosts"), help: ArgumentHelp("known_hosts file (default ~/.ssh/known_hosts).", valueName: "FILE"))
    var knownHosts: String?

    @Flag(name: .customLong("ask-pass"), help: "Prompt once for the SSH password (echo off).")
    var askPass = false

    @Flag(name: .customLong("ask-become-pass"), help: "Prompt once for the sudo password (echo off).")
    var askBecomePass = false

    @Flag(name: .shortAndLong, help: "More detail on stderr (-v connections and results, -vv commands); never a secret.")
    var verbose: Int

    /// The connection defaults these options and the environment give, prompting where asked.
    func connectionDefaults(commandTimeout: Double? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConnectionDefaults {
        var d = ConnectionDefaults(user: user, identityFiles: identity, hostKeyChecking: hostKeyChecking,
                                   knownHostsFile: knownHosts, commandTimeout: commandTimeout)
        d.passphrase = environment["PROVISION_SSH_PASSPHRASE"].map(Secret.init)
        d.password = askPass ? try PasswordPrompt.ask("SSH password: ")
            : environment["PROVISION_PASSWORD"].map(Secret.init)
        d.becomePassword = askBecomePass ? try PasswordPrompt.ask("BECOME password: ")
            : environment["PROVISION_BECOME_PASSWORD"].map(Secret.init)
        return d
    }
}

/// Which inventory to read and which of its hosts to use.
struct InventoryOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("Inventory file.", valueName: "FILE"))
    var inventory: String = "inventories/hosts.yml"

    @Option(help: ArgumentHelp("Only hosts matching this pattern (a:b, a:&b, a:!b, red0*, @FILE).", valueName: "PATTERN"))
    var limit: String?
}
