import Foundation

/// What one host did in one `HostPool.run` step.
public struct HostStep<R> {
    /// How the step ended on the host.
    public enum Outcome {
        /// The body returned.
        case done(R)
        /// The body threw something other than an unreachable `TransportError`.
        case failed(Error)
        /// Connecting failed, or the connection was lost during this step.
        case unreachable(TransportError)
        /// The host was found unreachable in an earlier step and was not tried again.
        case skipped(TransportError)
        /// The run was interrupted before this host finished.
        case interrupted
    }

    public var host: String
    public var outcome: Outcome
    /// Seconds this host spent in the step (connecting included); 0 when it did not start.
    public var duration: TimeInterval

    public init(host: String, outcome: Outcome, duration: TimeInterval) {
        self.host = host
        self.outcome = outcome
        self.duration = duration
    }
}
