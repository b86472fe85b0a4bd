import Foundation

/// Runs one shell command on many hosts through a `HostPool` (`provision exec`), emitting a
/// `commandFinished` event per host as it completes and `execFinished` at the end.
public struct ExecRunner {
    public var pool: HostPool
    public var events: ReporterQueue

    public init(pool: HostPool, events: ReporterQueue) {
        self.pool = pool
        self.events = events
    }

    /// Runs the command `commandFor(host)` returns on each of `hosts` (inventory order kept in
    /// the summary), and returns when all are done or the pool was interrupted.
    public func run(on hosts: [String], command commandFor: @escaping (String) -> RemoteCommand) -> ExecSummary {
        let start = Date()
        let events = self.events
        // One command per host: each session is closed once its result is in.
        let steps = pool.run(on: hosts, closingTransports: true, { host, transport -> CommandResult in
            let command = commandFor(host)
            events.emit(.commandStarted(host: host, command: command.line))
            return try transport.run(command)
        }, onFinish: { step in
            events.emit(.commandFinished(Self.result(of: step)))
        })
        let interrupted = pool.isInterrupted
        var results: [ExecResult] = []
        results.reserveCapacity(steps.count)
        for step in steps {
            let r = Self.result(of: step)
            // Hosts that finished were reported live; the rest are reported now.
            switch step.outcome {
            case .interrupted, .skipped: events.emit(.commandFinished(r))
            default: break
            }
            results.append(r)
        }
        let summary = ExecSummary(results: results, duration: Date().timeIntervalSince(start), interrupted: interrupted)
        events.emit(.execFinished(summary))
        return summary
    }

    static func result(of step: HostStep<CommandResult>) -> ExecResult {
        switch step.outcome {
        case .done(let r):
            return ExecResult(host: step.host, status: r.succeeded ? .ok : .failed, result: r, duration: step.duration)
        case .unreachable(let e), .skipped(let e):
            return ExecResult(host: step.host, status: .unreachable, error: e.message, duration: step.duration)
        case .failed(let e):
            let message = (e as? TransportError)?.message ?? String(describing: e)
            return ExecResult(host: step.host, status: .error, error: message, duration: step.duration)
        case .interrupted:
            return ExecResult(host: step.host, status: .interrupted, error: "interrupted", duration: step.duration)
        }
    }
}
