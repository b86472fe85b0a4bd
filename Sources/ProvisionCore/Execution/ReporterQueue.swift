import Dispatch

/// Delivers events to reporters on one serial queue, in the order they were emitted, so that
/// concurrent hosts never interleave half-lines. `emit` never blocks the caller.
public final class ReporterQueue: @unchecked Sendable {
    private let queue = DispatchQueue(label: "provision.reporter")
    // Touched only on `queue`.
    private let reporters: [Reporter]

    public init(_ reporters: [Reporter]) { self.reporters = reporters }

    /// Queues `event` for every reporter.
    public func emit(_ event: RunEvent) {
        queue.async { for r in self.reporters { r.handle(event) } }
    }

    /// Waits until every event emitted so far has been handled.
    public func flush() { queue.sync {} }

    /// Waits at most `timeout` seconds for queued events; false when they were not all handled.
    @discardableResult
    public func flush(timeout: Double) -> Bool {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        return done.wait(timeout: .now() + timeout) == .success
    }
}
