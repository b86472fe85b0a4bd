import ArgumentParser
import ProvisionCore

/// The `provision` command: subcommands share option groups; `main.swift` only calls `main()`.
public struct ProvisionCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Parallel SSH provisioning: Ansible's playbooks, no Python on the targets.",
        version: ProvisionVersion.string,
        subcommands: []
    )
    public init() {}
}
