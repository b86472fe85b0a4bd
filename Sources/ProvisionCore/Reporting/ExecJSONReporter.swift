import Foundation

/// `provision exec --json`: one JSON object per host on its own line, written as each host
/// finishes, and nothing else:
/// `{"host":…,"status":"ok|failed|error|unreachable|interrupted","rc":0,"stdout":…,"stderr":…,"duration":0.12,"error":null}`.
/// `rc` is the exit status (null when the command did not finish); `signal` appears when a
/// signal ended it; `stdout_dropped_bytes`/`stderr_dropped_bytes` appear when a stream was cut
/// to its kept head and tail (`--keep-output`).
public final class ExecJSONReporter: Reporter {
    private let output: TextOutput

    public init(output: TextOutput) { self.output = output }

    public func handle(_ event: RunEvent) {
        guard case .commandFinished(let r) = event else { return }
        output.write(Self.line(r) + "\n")
    }

    /// The JSON object for one host, on one line.
    public static func line(_ r: ExecResult) -> String {
        var fields: [(String, String)] = [
            ("host", Value.jsonQuote(r.host)),
            ("status", Value.jsonQuote(r.status.rawValue)),
            ("rc", r.result.map { String($0.status) } ?? "null"),
        ]
        if let sig = r.result?.signal { fields.append(("signal", Value.jsonQuote(sig))) }
        fields += [
            ("stdout", Value.jsonQuote(r.result?.stdoutText ?? "")),
            ("stderr", Value.jsonQuote(r.result?.stderrText ?? "")),
        ]
        // Present only when a stream was cut (its text then holds a marker line at the cut).
        if let result = r.result, result.stdoutDropped > 0 { fields.append(("stdout_dropped_bytes", String(result.stdoutDropped))) }
        if let result = r.result, result.stderrDropped > 0 { fields.append(("stderr_dropped_bytes", String(result.stderrDropped))) }
        fields += [
            ("duration", String(format: "%.3f", r.duration)),
            ("error", r.error.map(Value.jsonQuote) ?? "null"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
