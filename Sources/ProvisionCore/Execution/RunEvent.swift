import Foundation

/// Something that happened during a run, for reporters. Events reach reporters one at a time,
/// in order, from one serial queue (`ReporterQueue`), so output never interleaves.
///
/// No event carries a secret: command lines are the user's own, passwords travel in `Become`
/// and `ConnectionTarget`, which events never include.
public enum RunEvent: Sendable {
    /// A connection to the host is being opened (detail for `-v`).
    case hostConnecting(host: String, endpoint: String)
    case hostConnected(host: String, duration: TimeInterval)
    /// The host cannot be used for the rest of the run.
    case hostUnreachable(host: String, error: TransportError)
    /// A command is about to run on the host (detail for `-vv`).
    case commandStarted(host: String, command: String)
    /// `exec`: one host's command finished (or could not run).
    case commandFinished(ExecResult)
    /// `exec`: every selected host is done, or the run was interrupted.
    case execFinished(ExecSummary)
    /// Free-form detail for verbose output; `level` 1 is `-v`.
    case detail(host: String?, message: String, level: Int)
}

/// Receives run events. Called only from the `ReporterQueue`'s serial queue, never concurrently.
public protocol Reporter: AnyObject {
    func handle(_ event: RunEvent)
}
