import ArgumentParser
import Foundation
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

    /// Parses and runs the command. A usage error (an unknown option, a missing argument)
    /// exits with 1, as the README promises, rather than ArgumentParser's 64.
    public static func main() { main(nil) }

    /// `main()` with explicit arguments (nil: the process's).
    public static func main(_ arguments: [String]?) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            exit()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ProvisionCore.ExitStatus.usageOrLoadError)
            }
            exit(withError: error)
        }
    }
}
