import Foundation

/// `-v` detail on standard error while a run goes: `-v` connection steps and each host's
/// result as it arrives, `-vv` the commands run, `-vvv` everything else the run reports.
/// Never prints a secret: events carry none.
public final class VerboseReporter: Reporter {
    private let output: TextOutput
    private let level: Int
    private let style: TerminalStyle

    public init(output: TextOutput, level: Int, style: TerminalStyle = TerminalStyle(enabled: false)) {
        self.output = output
        self.level = level
        self.style = style
    }

    public func handle(_ event: RunEvent) {
        guard level > 0 else { return }
        switch event {
        case .hostConnecting(let host, let endpoint):
            say(host, "connecting to \(endpoint)")
        case .hostConnected(let host, let duration):
            say(host, String(format: "connected in %.2fs", duration))
        case .hostUnreachable(let host, let error):
            say(host, style.magenta("unreachable: " + TerminalSafe.escape(error.message)))
        case .commandStarted(let host, let command):
            if level >= 2 { say(host, TerminalSafe.escape("running: \(command)")) }
        case .commandFinished(let r):
            var text = "\(r.status.rawValue)"
            if let rc = r.result?.status { text += " (rc=\(rc))" }
            if let e = r.error { text += ": \(e)" }
            say(r.host, TerminalSafe.escape(text) + String(format: " in %.2fs", r.duration))
        case .execFinished, .playbook:
            break
        case .detail(let host, let message, let lvl):
            if level >= lvl { say(host, TerminalSafe.escape(message)) }
        }
    }

    private func say(_ host: String?, _ message: String) {
        output.write((host.map { "[" + TerminalSafe.escape($0) + "] " } ?? "") + message + "\n")
    }
}
