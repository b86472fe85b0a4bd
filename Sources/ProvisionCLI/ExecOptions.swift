import ArgumentParser

/// How a run spreads over hosts; shared by commands that run things on hosts.
struct ExecutionOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("Hosts running at once.", valueName: "N"))
    var forks: Int = 50

    @Flag(name: [.short, .long], help: "Run as root through sudo (the inventory's ansible_become_user if set).")
    var become = false

    @Option(help: ArgumentHelp("End a command after this many seconds.", valueName: "S"))
    var timeout: Double?

    func validate() throws {
        if forks < 1 { throw ValidationError("--forks must be at least 1") }
        if let t = timeout, t <= 0 { throw ValidationError("--timeout must be a positive number of seconds") }
    }
}
