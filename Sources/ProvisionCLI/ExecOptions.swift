import ArgumentParser
import ProvisionCore

extension Become.Method: ExpressibleByArgument {}

/// How a run spreads over hosts and whom it becomes; shared by commands that run things on hosts.
struct ExecutionOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("Hosts running at once (default: ansible.cfg's forks, else 50).", valueName: "N"))
    var forks: Int?

    @Flag(name: [.short, .long], help: "Run as root through sudo or su (the inventory's ansible_become_user and ansible_become_method if set).")
    var become = false

    @Option(name: .customLong("become-user"), help: ArgumentHelp("User to become (default root; the inventory's ansible_become_user wins).", valueName: "USER"))
    var becomeUser: String?

    @Option(name: .customLong("become-method"), help: ArgumentHelp("How to become: sudo (default) or su; the inventory's ansible_become_method wins.", valueName: "sudo|su"))
    var becomeMethod: Become.Method?

    @Option(help: ArgumentHelp("End a command after this many seconds.", valueName: "S"))
    var timeout: Double?

    func validate() throws {
        if let f = forks, f < 1 { throw ValidationError("--forks must be at least 1") }
        if let t = timeout, t <= 0 { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    /// `--forks`, else ansible.cfg's, else 50.
    func forks(config: AnsibleConfig) -> Int { forks ?? config.forks ?? 50 }

    /// `--become`, else ansible.cfg's `become`.
    func become(config: AnsibleConfig) -> Bool { become || config.become == true }
}
