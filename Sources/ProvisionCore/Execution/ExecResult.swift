import Foundation

/// One host's outcome of `provision exec`.
public struct ExecResult: Sendable, Equatable {
    /// How the host ended; ordered as the report shows them (successes first).
    public enum Status: String, Sendable, Comparable {
        /// The command ran and exited 0.
        case ok
        /// The command ran and exited non-zero or was killed by a signal.
        case failed
        /// The command could not run or finish: timeout, sudo refused, the session broke.
        case error
        /// The host could not be reached or authenticated.
        case unreachable
        /// Ctrl-C came while the host was still running or waiting.
        case interrupted

        /// Display order: successes first, problems last.
        var rank: Int {
            switch self {
            case .ok: return 0
            case .failed: return 1
            case .error: return 2
            case .unreachable: return 3
            case .interrupted: return 4
            }
        }

        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
    }

    public var host: String
    public var status: Status
    /// What the command left (nil when it did not run to the end).
    public var result: CommandResult?
    /// Why the host did not run the command (unreachable, error, interrupted). Never a secret.
    public var error: String?
    /// Seconds from the start of this host's work (connection included) to its end.
    public var duration: TimeInterval

    public init(host: String, status: Status, result: CommandResult? = nil, error: String? = nil,
                duration: TimeInterval = 0) {
        self.host = host
        self.status = status
        self.result = result
        self.error = error
        self.duration = duration
    }
}

/// The outcome of `provision exec` over all selected hosts, in inventory order.
public struct ExecSummary: Sendable {
    public var results: [ExecResult]
    public var duration: TimeInterval
    public var interrupted: Bool

    public init(results: [ExecResult], duration: TimeInterval, interrupted: Bool) {
        self.results = results
        self.duration = duration
        self.interrupted = interrupted
    }

    public func count(_ status: ExecResult.Status) -> Int { results.filter { $0.status == status }.count }

    /// 0 all ok; 2 a command failed or could not run; 4 a host unreachable (or-ed); 130 interrupted.
    public var exitCode: Int32 {
        ExitStatus.forRun(failed: results.contains { $0.status == .failed || $0.status == .error },
                        unreachable: results.contains { $0.status == .unreachable },
                        interrupted: interrupted)
    }
}
