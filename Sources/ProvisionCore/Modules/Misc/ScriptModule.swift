import Foundation

/// `script`: uploads a controller script (looked up in `files/` as Ansible does) to a
/// temporary path on the host, runs it with its arguments (`[executable] SCRIPT ARGS`, the
/// arguments as shell text, as Ansible passes them), removes it, and returns what `command`
/// returns. `creates`/`removes`/`chdir` as for `command`; in check mode the script never runs
/// (changed when `creates`/`removes` say it would run, else skipped), as in Ansible.
public struct ScriptModule: Module {
    public static let name = "script"
    public static let supportsCheckMode = false
    public static let argumentSpec = ArgumentSpec(
        [.init("_raw_params"), .init("cmd"), .init("creates"), .init("removes"), .init("chdir"),
         .init("executable"), .init("decrypt", .bool, default: true)],
        freeForm: true,
        requiredOneOf: [["_raw_params", "cmd"]],
        mutuallyExclusive: [["_raw_params", "cmd"]]
    )

    /// The script's controller path as written.
    public var script: String
    /// The rest of the line, shell text.
    public var arguments: String
    public var executable: String?
    var options: [String: String]
    let args: ModuleArguments

    public init(arguments args: ModuleArguments) throws {
        var raw = try args.string("_raw_params") ?? args.string("cmd") ?? ""
        let extracted = try ShellWords.extractOptions(raw, keys: ["creates", "removes", "chdir", "executable", "decrypt"])
        options = extracted.options
        raw = extracted.command.trimmingCharacters(in: .whitespacesAndNewlines)
        let words = try ShellWords.split(raw)
        guard let first = words.first, !first.isEmpty else { throw ModuleError("no script given: write its path after 'script:'") }
        script = first
        // Everything after the first word, as written.
        let firstRaw = raw.hasPrefix("'") || raw.hasPrefix("\"") ? Shell.quote(first) : first
        arguments = raw.hasPrefix(firstRaw) ? String(raw.dropFirst(firstRaw.count)).trimmingCharacters(in: .whitespaces)
            : words.dropFirst().map(Shell.quote).joined(separator: " ")
        executable = try args.string("executable") ?? options["executable"]
        self.args = args
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let path = context.controllerFile(script, in: "files")
        guard let bytes = FileManager.default.contents(atPath: path) else {
            return .failed("Could not find or access '\(script)' on the controller (looked for \(path))")
        }
        let remote = "/tmp/.provision-script-\(UUID().uuidString.prefix(12))-" + (path as NSString).lastPathComponent
        let invoke = (executable.map { Shell.quote($0) + " " } ?? "") + Shell.quote(remote) + (arguments.isEmpty ? "" : " " + arguments)
        // The script travels on stdin and is written only when it is about to run, so a
        // creates/removes skip leaves nothing behind.
        guard let text = String(data: bytes, encoding: .utf8) else {
            return .failed("'\(script)' is not a UTF-8 text script")
        }
        let q = Shell.quote(remote)
        let line = "/bin/sh -c " + Shell.quote("umask 077; cat > \(q) && chmod 700 \(q) || exit 1; \(invoke) </dev/null; _rc=$?; rm -f -- \(q); exit $_rc")
        var runner = try CommandRunner.from(args, options: options, line: line, display: .string(invoke))
        runner.stdin = text
        runner.stdinAddNewline = false
        runner.stripEmptyEnds = false // Ansible's script keeps the output's last newline
        var result = try runner.run(in: context)
        // Ansible's script action reports a creates/removes hit as skipped, not ok.
        if case .string(let out)? = result.data["stdout"], out.hasPrefix("skipped, since"), !result.changed {
            let msg = out.hasSuffix("does not exist") ? "\(runner.removes ?? "") does not exist, matching removes option"
                : "\(runner.creates ?? "") exists, matching creates option"
            return ModuleResult(skipped: true, message: msg)
        }
        // Python's splitlines(): a last newline ends the last line, it does not start an empty one.
        for key in ["stdout", "stderr"] {
            if case .string(let text)? = result.data[key] {
                let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
                result.data[key + "_lines"] = .list(CommandRunner.lines(body).map(Value.string))
            }
        }
        if context.checkMode && result.skipped && (runner.creates != nil || runner.removes != nil) {
            result = ModuleResult(changed: true, message: "the script would run", data: result.data)
        }
        return result
    }
}
