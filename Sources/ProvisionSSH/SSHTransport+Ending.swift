import Foundation
import ProvisionCore

extension SSHTransport: CommandEndingTransport {
    /// Opens a second session to the host (the first is busy waiting for the command) and
    /// signals every process carrying the running command's token.
    public func endRunningCommand(timeout: TimeInterval) {
        guard let (token, become) = inFlight.current else { return }
        endThroughFreshSession(token, become: become, timeout: timeout)
    }

    /// Ends `token`'s processes through a new session of their own: after a second Ctrl-C
    /// (this session is busy), or when this session was lost mid-command (its shell may run on,
    /// orphaned, on a host that is still up). Gives up after `timeout` when the host is gone.
    func endThroughFreshSession(_ token: String, become: Become?, timeout: TimeInterval) {
        guard let connector else { return }
        var target = self.target
        target.connectTimeout = min(target.connectTimeout, timeout)
        let helper = SSHTransport(target: target)
        do {
            try helper.open(with: connector)
            _ = try helper.run(RemoteCommand(RemoteScript.endProcesses(token), timeout: timeout, become: become))
        } catch {
            // The host may be gone: nothing more can be done from here.
        }
        helper.close()
    }

    /// Ends a command's processes over this transport's own session (on its queue), after the
    /// command's channel was given up: a client-side timeout, or sudo that never let it start.
    func endOnSession(_ token: String, become: Become?) {
        // Never for the ending script itself (its own sudo may be refused too).
        guard session != nil, !ending else { return }
        ending = true
        defer { ending = false }
        _ = try? runOnQueue(RemoteCommand(RemoteScript.endProcesses(token), timeout: 15, become: become))
    }
}

/// The token and become of the command a transport runs now, shared with other threads.
final class InFlightCommand: @unchecked Sendable {
    private let lock = NSLock()
    private var token: String?
    private var become: Become?

    func set(_ token: String?, _ become: Become?) { lock.withLock { self.token = token; self.become = become } }

    var current: (String, Become?)? { lock.withLock { token.map { ($0, become) } } }
}
