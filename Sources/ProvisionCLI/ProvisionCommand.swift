import ArgumentParser
import ProvisionCore

/// The `provision` command: subcommands share option groups; `main.swift` only calls `main()`.
public struct ProvisionCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Parallel SSH provisioning: Ansible's playbooks, no Python on the targets.",
        discussion: """
        Examples:
          provision exec "uname -a" -i inventories/hosts.yml
          provision hosts --limit workers --vars
          provision run playbooks/setup-swarm.yml -i inventories/hosts.yml --check --diff

        Exit status: 0 all ok, 1 usage or load error (no host contacted), 2 a command or task \
        failed, 4 a host was unreachable (2 and 4 combine), 130 interrupted.
        """,
        version: ProvisionVersion.string,
        subcommands: [ExecCommand.self, HostsCommand.self, RunCommand.self, DocCommand.self]
    )
    public init() {}
}
