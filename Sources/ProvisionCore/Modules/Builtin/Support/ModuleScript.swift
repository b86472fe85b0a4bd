import Foundation

/// A module's POSIX `sh` script: variables assigned from quoted values, shared functions
/// (`ScriptPrelude`), then the body. Values never reach the body by string interpolation:
/// the body reads them from the variables.
///
/// Status is reported on lines `@@pv KEY VALUE` (see `ScriptOutput`); everything else the
/// script prints is ordinary output.
struct ModuleScript {
    var variables: [(String, String)] = []
    var body: String
    var includePrelude = true

    init(_ body: String, variables: [(String, String)] = [], includePrelude: Bool = true) {
        self.body = body
        self.variables = variables
        self.includePrelude = includePrelude
    }

    mutating func set(_ name: String, _ value: String) { variables.append((name, value)) }
    mutating func set(_ name: String, _ flag: Bool) { variables.append((name, flag ? "1" : "0")) }

    var text: String {
        var s = variables.map { "\($0.0)=\(Shell.quote($0.1))" }.joined(separator: "\n")
        if includePrelude { s += "\n" + ScriptPrelude.text }
        return s + "\n" + body + "\n"
    }

    /// The command line that runs the script under `/bin/sh` whatever the login shell is.
    var commandLine: String { "/bin/sh -c " + Shell.quote(text) }

    /// Runs the script with the task's become and environment.
    func run(in context: HostContext, stdin: Data? = nil, timeout: TimeInterval? = nil) throws -> ScriptOutput {
        ScriptOutput(try context.run(commandLine, stdin: stdin, timeout: timeout))
    }
}

/// What a `ModuleScript` printed: its `@@pv` status lines and the rest.
struct ScriptOutput {
    var result: CommandResult
    /// Status lines in order, as (key, value).
    var markers: [(key: String, value: String)]
    /// stdout without the status lines.
    var text: String

    init(_ result: CommandResult) {
        self.result = result
        var markers: [(String, String)] = []
        var rest: [Substring] = []
        var raw = false
        for line in result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false) {
            // After `@@pv content` comes a file's bytes: nothing in them is a status line.
            if raw { rest.append(line); continue }
            if line == "@@pv content" { raw = true; continue }
            if line.hasPrefix("@@pv ") {
                let body = line.dropFirst(5)
                if let sp = body.firstIndex(of: " ") {
                    markers.append((String(body[..<sp]), String(body[body.index(after: sp)...])))
                } else {
                    markers.append((String(body), ""))
                }
            } else {
                rest.append(line)
            }
        }
        self.markers = markers
        self.text = rest.joined(separator: "\n")
    }

    func first(_ key: String) -> String? { markers.first { $0.key == key }?.value }
    func all(_ key: String) -> [String] { markers.filter { $0.key == key }.map(\.value) }
    func has(_ key: String) -> Bool { markers.contains { $0.key == key } }

    /// The script's own failure message (`die`), else stderr when it exited non-zero.
    var failure: String? {
        if let f = first("failed") { return f.isEmpty ? "failed" : f }
        if !result.succeeded {
            let err = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
            if let sig = result.signal { return "killed by signal \(sig)" + (err.isEmpty ? "" : ": \(err)") }
            return err.isEmpty ? "exited with status \(result.status)" : err
        }
        return nil
    }

    /// Throws `ModuleError` with `failure`, prefixed by `what`.
    func check(_ what: String) throws {
        if let f = failure { throw ModuleError("\(what): \(f)") }
    }
}
