/// `shell`: runs a command line through `/bin/sh -c` (or `executable`), so pipes,
/// redirections and variables work. Same options and check-mode behaviour as `command`.
public struct ShellModule: Module {
    public static let name = "shell"
    public static let supportsCheckMode = false
    public static let argumentSpec = ArgumentSpec(
        [.init("_raw_params"), .init("executable")] + CommandRunner.fields.filter { $0.name != "argv" },
        freeForm: true,
        requiredOneOf: [["_raw_params", "cmd"]],
        mutuallyExclusive: [["_raw_params", "cmd"]]
    )

    public var command: String
    public var executable: String
    var runner: CommandRunner

    public init(arguments args: ModuleArguments) throws {
        var options: [String: String] = [:]
        if let raw = try args.string("_raw_params") {
            let extracted = try ShellWords.extractOptions(raw, keys: CommandRunner.optionKeys)
            options = extracted.options
            command = extracted.command
        } else if let cmd = try args.string("cmd") {
            command = cmd
        } else {
            throw ModuleError("no command given: write it after 'shell:' or use 'cmd'")
        }
        if command.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ModuleError("no command given") }
        executable = try args.string("executable") ?? options["executable"] ?? "/bin/sh"
        runner = try CommandRunner.from(args, options: options,
                                        line: Shell.quote(executable) + " -c " + Shell.quote(command),
                                        display: .string(command))
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        try runner.run(in: context)
    }
}

import Foundation
