/// `command`: runs a program with arguments, without a shell: no pipes, redirections or
/// globbing. Like Ansible's, it expands `$VAR`/`${VAR}` and a leading `~` in each argument on
/// the host (unset variables stay as written) unless `expand_argument_vars: false`.
///
/// Free-form (`command: ls -l /tmp`), `cmd`, or `argv` (a list). `creates`/`removes` (globs)
/// skip the run when their path exists / does not; `chdir` runs it elsewhere. In check mode it
/// does not run (see `CommandRunner`); `check_mode: false` on the task makes the executor run it.
public struct CommandModule: Module {
    public static let name = "command"
    public static let supportsCheckMode = false
    public static let argumentSpec = ArgumentSpec(
        [.init("_raw_params"), .init("expand_argument_vars", .bool, default: true)] + CommandRunner.fields,
        freeForm: true,
        requiredOneOf: [["_raw_params", "cmd", "argv"]],
        mutuallyExclusive: [["_raw_params", "cmd", "argv"]]
    )

    public var argv: [String]
    var runner: CommandRunner

    public init(arguments args: ModuleArguments) throws {
        var options: [String: String] = [:]
        if let list = try args.stringList("argv"), args.values["argv"]?.listValue != nil {
            argv = list
        } else if let raw = try args.string("_raw_params") ?? args.string("cmd") {
            let extracted = try ShellWords.extractOptions(raw, keys: CommandRunner.optionKeys)
            options = extracted.options
            argv = try ShellWords.split(extracted.command)
        } else {
            throw ModuleError("no command given: write it after 'command:' or use 'cmd' or 'argv'")
        }
        if argv.isEmpty { throw ModuleError("no command given") }
        let expand = try args.bool("expand_argument_vars") ?? true
        let line = argv.map { expand ? ShellWords.expandingWord($0) : Shell.quote($0) }.joined(separator: " ")
        runner = try CommandRunner.from(args, options: options, line: line, display: .list(argv.map(Value.string)))
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        try runner.run(in: context)
    }
}

extension CommandRunner {
    /// The options from the arguments, or from `key=value` words of a free-form command.
    static func from(_ args: ModuleArguments, options: [String: String], line: String, display: Value) throws -> CommandRunner {
        func opt(_ key: String) throws -> String? { try args.string(key) ?? options[key] }
        var r = CommandRunner(line: line, display: display)
        r.chdir = try opt("chdir")
        r.creates = try opt("creates")
        r.removes = try opt("removes")
        r.stdin = try opt("stdin")
        if let s = options["stdin_add_newline"] {
            r.stdinAddNewline = ModuleArguments.parseBool(s) ?? true
        } else {
            r.stdinAddNewline = try args.bool("stdin_add_newline") ?? true
        }
        if let s = options["strip_empty_ends"] {
            r.stripEmptyEnds = ModuleArguments.parseBool(s) ?? true
        } else {
            r.stripEmptyEnds = try args.bool("strip_empty_ends") ?? true
        }
        return r
    }
}
