import Foundation

/// `provision exec`'s human output: at the end, identical results folded into one block headed
/// by their node set (`red[01-03,05] (4)`), different ones apart, failures and unreachable hosts
/// last with their reason, then a one-line summary. Colours only when `style` enables them.
public final class ExecConsoleReporter: Reporter {
    private let output: TextOutput
    private let style: TerminalStyle

    public init(output: TextOutput, style: TerminalStyle) {
        self.output = output
        self.style = style
    }

    public func handle(_ event: RunEvent) {
        guard case .execFinished(let summary) = event else { return }
        output.write(Self.render(summary, style: style))
    }

    /// The whole report for `summary`.
    public static func render(_ summary: ExecSummary, style: TerminalStyle = TerminalStyle(enabled: false)) -> String {
        var out = ""
        let rule = String(repeating: "-", count: 15)
        for block in ExecBlock.fold(summary.results) {
            var header = TerminalSafe.escape("\(block.nodeSet) (\(block.hosts.count))")
            switch block.status {
            case .ok:
                header = style.green(header)
            case .failed:
                let how = block.result?.signal.map { "killed by signal \($0)" }
                    ?? "exit status \(block.result?.status ?? -1)"
                header = style.red(header + " " + how)
            case .error:
                header = style.red(header + " error: " + TerminalSafe.escape(block.error ?? "unknown"))
            case .unreachable:
                header = style.magenta(header + " unreachable: " + TerminalSafe.escape(block.error ?? "unknown"))
            case .interrupted:
                header = style.yellow(header + " interrupted")
            }
            out += rule + "\n" + header + "\n" + rule + "\n"
            if let r = block.result {
                out += Self.lines(r.stdout)
                if !r.stderr.isEmpty {
                    out += style.dim("[stderr]") + "\n" + Self.lines(r.stderr)
                }
            }
        }
        out += summaryLine(summary, style: style) + "\n"
        return out
    }

    /// e.g. `5 hosts: 3 ok, 1 failed, 1 unreachable (0.42s)`.
    public static func summaryLine(_ summary: ExecSummary, style: TerminalStyle) -> String {
        var parts: [String] = []
        let ok = summary.count(.ok)
        parts.append(ok > 0 ? style.green("\(ok) ok") : "0 ok")
        for (status, label) in [(ExecResult.Status.failed, "failed"), (.error, "error"),
                                (.unreachable, "unreachable"), (.interrupted, "interrupted")] {
            let n = summary.count(status)
            guard n > 0 else { continue }
            let text = "\(n) \(label)"
            switch status {
            case .unreachable: parts.append(style.magenta(text))
            case .interrupted: parts.append(style.yellow(text))
            default: parts.append(style.red(text))
            }
        }
        let n = summary.results.count
        return "\(n) host\(n == 1 ? "" : "s"): " + parts.joined(separator: ", ")
            + String(format: " (%.2fs)", summary.duration)
    }

    /// Output text ending with exactly one newline (none when empty), control characters and
    /// escape sequences shown escaped.
    static func lines(_ data: Data) -> String {
        if data.isEmpty { return "" }
        let s = TerminalSafe.escape(String(decoding: data, as: UTF8.self))
        return s.hasSuffix("\n") ? s : s + "\n"
    }
}
