import Foundation

/// Runs a `command`/`shell` task: the `creates`/`removes` check and the command itself in one
/// remote script, and the result in Ansible's shape (`rc`, `stdout`, `stdout_lines`, …).
///
/// Always reports "changed" when the command ran (the module cannot know better; tasks use
/// `changed_when`). In check mode the command never runs: the task is skipped, or reported ok
/// when `creates`/`removes` show it would not run anyway.
struct CommandRunner {
    /// The line to `exec` (already quoted as needed).
    var line: String
    /// What `cmd` shows in the registered result.
    var display: Value
    var chdir: String?
    var creates: String?
    var removes: String?
    var stdin: String?
    var stdinAddNewline = true
    var stripEmptyEnds = true

    static let optionKeys: Set<String> = ["creates", "removes", "chdir", "executable", "stdin", "stdin_add_newline",
                                          "strip_empty_ends"]

    static let fields: [ArgumentSpec.Field] = [
        .init("cmd"), .init("argv", .list), .init("chdir"), .init("creates"), .init("removes"),
        .init("stdin"), .init("stdin_add_newline", .bool, default: true),
        .init("strip_empty_ends", .bool, default: true),
    ]

    func run(in context: HostContext) throws -> ModuleResult {
        let nonce = "@@pv-" + UUID().uuidString.prefix(8)
        var script = "set -u\n"
        if let chdir { script += "cd -- \(Shell.quote(chdir)) || exit 1\n" }
        if let creates {
            script += "for f in \(ShellWords.quoteGlob(creates)); do if [ -e \"$f\" ] || [ -L \"$f\" ]; then "
                + "printf '%s skip-creates\\n' \(Shell.quote(nonce)); exit 0; fi; done\n"
        }
        if let removes {
            script += "_found=0; for f in \(ShellWords.quoteGlob(removes)); do if [ -e \"$f\" ] || [ -L \"$f\" ]; then "
                + "_found=1; fi; done\n"
                + "if [ $_found = 0 ]; then printf '%s skip-removes\\n' \(Shell.quote(nonce)); exit 0; fi\n"
        }
        if context.checkMode {
            script += "printf '%s would-run\\n' \(Shell.quote(nonce))\nexit 0\n"
        } else {
            script += "exec \(line)\n"
        }
        var input: Data?
        if let stdin { input = Data((stdinAddNewline ? stdin + "\n" : stdin).utf8) }
        let start = Date()
        let result = try context.run("/bin/sh -c " + Shell.quote(script), stdin: context.checkMode ? nil : input,
                                     output: .display)
        let end = Date()
        let stdout = result.stdoutText
        var data: [String: Value] = ["cmd": display]
        if stdout.hasPrefix(nonce + " skip-creates") {
            return .ok(data.merging(["rc": 0, "stdout": .string("skipped, since \(creates ?? "") exists")]) { a, _ in a },
                       message: "skipped, since \(creates ?? "") exists")
        }
        if stdout.hasPrefix(nonce + " skip-removes") {
            return .ok(data.merging(["rc": 0, "stdout": .string("skipped, since \(removes ?? "") does not exist")]) { a, _ in a },
                       message: "skipped, since \(removes ?? "") does not exist")
        }
        if context.checkMode && stdout.hasPrefix(nonce + " would-run") {
            return ModuleResult(skipped: true, message: "command would have run if not in check mode", data: data)
        }
        let out = stripEmptyEnds ? Self.stripTrailingNewlines(stdout) : stdout
        let err = stripEmptyEnds ? Self.stripTrailingNewlines(result.stderrText) : result.stderrText
        data["rc"] = .int(Int(result.status))
        data["stdout"] = .string(out)
        data["stderr"] = .string(err)
        data["stdout_lines"] = .list(Self.lines(out).map(Value.string))
        data["stderr_lines"] = .list(Self.lines(err).map(Value.string))
        data["start"] = .string(Self.timestamp(start))
        data["end"] = .string(Self.timestamp(end))
        data["delta"] = .string(Self.delta(end.timeIntervalSince(start)))
        data.merge(Self.cutFields(result)) { _, new in new }
        if let signal = result.signal {
            return ModuleResult(changed: true, failed: true, message: "killed by signal \(signal)", data: data)
        }
        if result.status != 0 {
            return ModuleResult(changed: true, failed: true, message: "non-zero return code", data: data)
        }
        return .changed(data)
    }

    /// `stdout_truncated`/`stdout_dropped_bytes` (and stderr's), only for a stream that was
    /// cut: the kept text then holds a marker line where the bytes were dropped.
    static func cutFields(_ result: CommandResult) -> [String: Value] {
        var fields: [String: Value] = [:]
        for (name, dropped) in [("stdout", result.stdoutDropped), ("stderr", result.stderrDropped)] where dropped > 0 {
            fields[name + "_truncated"] = .bool(true)
            fields[name + "_dropped_bytes"] = .int(Int(dropped))
        }
        return fields
    }

    static func stripTrailingNewlines(_ s: String) -> String {
        var t = Substring(s)
        while let l = t.last, l == "\n" || l == "\r\n" || l == "\r" { t = t.dropLast() }
        return String(t)
    }

    static func lines(_ s: String) -> [String] {
        s.isEmpty ? [] : s.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
    }

    static func timestamp(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSS"
        return f.string(from: d)
    }

    static func delta(_ t: TimeInterval) -> String {
        let total = max(0, t)
        let h = Int(total) / 3600, m = (Int(total) % 3600) / 60
        let s = total - Double(h * 3600 + m * 60)
        return String(format: "%d:%02d:%09.6f", h, m, s)
    }
}
