import Foundation
import ProvisionCore

extension SSHTransport: ReconnectableTransport {
    /// Pause between connection attempts, so a host that refuses at once is not hammered.
    static let reconnectPause: TimeInterval = 0.5

    /// Drops the current session, then opens a new one in place exactly as the first was
    /// opened (same target, ssh_config, known_hosts policy and credentials), so later calls on
    /// this object use it.
    ///
    /// Runs on the transport's queue: calls from other threads wait until it is done. A dead
    /// peer costs at most the 1 s that `SSHSession.free` allows for a polite disconnect.
    /// Attempts that are refused, dropped, unanswered or refused at login (a booting host
    /// refuses logins until `/run/nologin` is gone) are retried until `timeout` seconds have
    /// passed, then it throws `.unreachable` with the last reason. A host key that does not
    /// match ends it at once: waiting does not make a wrong key right.
    public func reconnect(timeout: TimeInterval) throws {
        try queue.sync { try reconnectOnQueue(timeout: timeout) }
    }
}

extension SSHTransport {
    /// The body of `reconnect`; on `queue` only.
    private func reconnectOnQueue(timeout: TimeInterval) throws {
        guard !closed else { throw TransportError(.failed, host: hostName, "the SSH session is closed") }
        guard let connector else {
            throw TransportError(.failed, host: hostName, "the SSH transport was never connected")
        }
        session?.free()
        session = nil
        tunnel = nil
        lostReason = "reconnecting"
        let started = Date()
        let deadline = started.addingTimeInterval(max(0, timeout))
        var lastReason = "no attempt was made"
        repeat {
            // Each attempt gets what is left of the time (at least half a second, so a short
            // remainder still allows one real try); a stalled handshake can overrun it a little.
            var attempt = target
            attempt.connectTimeout = max(0.5, min(target.connectTimeout, deadline.timeIntervalSinceNow))
            do {
                let (newSession, newTunnel) = try connector.open(attempt)
                session = newSession
                tunnel = newTunnel
                lostReason = nil
                return
            } catch let error as TransportError where error.kind == .hostKey {
                lostReason = error.message
                throw error
            } catch let error as TransportError {
                lastReason = error.message
            } catch {
                lastReason = String(describing: error)
            }
            let pause = min(Self.reconnectPause, deadline.timeIntervalSinceNow)
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
        } while Date() < deadline
        let waited = String(format: "%.1f", Date().timeIntervalSince(started))
        let message = "could not reconnect to \(hostName) within \(SocketConnector.format(timeout)) s "
            + "(waited \(waited) s); last attempt: \(lastReason)"
        lostReason = message
        throw TransportError(.unreachable, host: hostName, message)
    }
}
