/// `raw`: sends the line to the host as is, through the transport's shell, with nothing around
/// it (for hosts that cannot run anything else yet). Always "changed"; skipped in check mode.
public struct RawModule: Module {
    public static let name = "raw"
    public static let supportsCheckMode = false
    public static let argumentSpec = ArgumentSpec([.init("_raw_params", required: true), .init("executable")],
                                                  freeForm: true)

    public var line: String
    public var executable: String?

    public init(arguments args: ModuleArguments) throws {
        line = try args.requiredString("_raw_params")
        executable = try args.string("executable")
        if line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ModuleError("no command given") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        if context.checkMode {
            return ModuleResult(skipped: true, message: "raw commands do not run in check mode")
        }
        let full = executable.map { Shell.quote($0) + " -c " + Shell.quote(line) } ?? line
        let result = try context.run(full, output: .display)
        let out = result.stdoutText, err = result.stderrText
        var data: [String: Value] = [
            "rc": .int(Int(result.status)), "stdout": .string(out), "stderr": .string(err),
            "stdout_lines": .list(CommandRunner.lines(CommandRunner.stripTrailingNewlines(out)).map(Value.string)),
        ]
        data.merge(CommandRunner.cutFields(result)) { _, new in new }
        if !result.succeeded {
            return ModuleResult(changed: true, failed: true,
                                message: result.signal.map { "killed by signal \($0)" } ?? "non-zero return code", data: data)
        }
        return .changed(data)
    }
}
