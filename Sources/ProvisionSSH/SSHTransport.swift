import CLibSSH2
import Foundation
import ProvisionCore

/// A `Transport` over one libssh2 session, reused for every command to its host.
///
/// Thread confinement: the session and its channels are touched only on `queue`, a serial
/// DispatchQueue of this transport; the public methods may be called from any thread (never
/// from Swift's cooperative pool: they block the caller until done) and run there in turn.
public final class SSHTransport: Transport, @unchecked Sendable {
    public let hostName: String
    let target: ConnectionTarget
    let queue: DispatchQueue
    // Owned by `queue` (internal, not private, only for SSHTransport+Reconnect.swift).
    var session: SSHSession?
    var tunnel: ProxyJumpTunnel?
    var closed = false
    /// Why the session was dropped, when the connection was lost (later calls report it).
    var lostReason: String?
    /// How the session was opened; `reconnect` opens the next one the same way.
    var connector: SSHConnector?
    /// The command running now (token and become), read from other threads to end it.
    let inFlight = InFlightCommand()
    /// True while `endOnSession` runs its script (owned by `queue`).
    var ending = false

    init(target: ConnectionTarget) {
        self.hostName = target.name
        self.target = target
        self.queue = DispatchQueue(label: "provision.ssh.\(target.name)")
    }

    /// Connects and authenticates on the transport's queue.
    func open(with connector: SSHConnector) throws {
        try queue.sync {
            self.connector = connector
            let (session, tunnel) = try connector.open(target)
            self.session = session
            self.tunnel = tunnel
        }
    }

    public func run(_ command: RemoteCommand) throws -> CommandResult {
        try queue.sync { try runOnQueue(command) }
    }

    public func upload(_ data: Data, to path: String, mode: Int, become: Become?) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(base).provision-\(UUID().uuidString.prefix(8))"
        let t = Shell.quote(temporary)
        let script = "umask 077; if cat > \(t) && chmod \(String(mode, radix: 8)) \(t) && mv -f \(t) \(Shell.quote(path)); "
            + "then exit 0; else rc=$?; rm -f \(t); exit $rc; fi"
        let result = try run(RemoteCommand(script, stdin: data, become: become))
        guard result.succeeded else {
            throw TransportError(.failed, host: hostName,
                                 "upload to \(path) failed (status \(result.status)): \(Self.firstLine(result.stderrText))")
        }
    }

    public func download(_ path: String, become: Become?) throws -> Data {
        let result = try run(RemoteCommand("cat -- \(Shell.quote(path))", become: become, output: .data))
        guard result.succeeded else {
            throw TransportError(.failed, host: hostName,
                                 "download of \(path) failed (status \(result.status)): \(Self.firstLine(result.stderrText))")
        }
        return result.stdout
    }

    public func close() {
        queue.sync {
            closed = true
            session?.free()
            session = nil
            tunnel = nil
        }
    }

    deinit { session?.free() }

    func runOnQueue(_ command: RemoteCommand) throws -> CommandResult {
        guard !closed, let session else {
            if let lostReason, !closed {
                throw TransportError(.unreachable, host: hostName, "the connection was lost earlier: \(lostReason)")
            }
            throw TransportError(.failed, host: hostName, "the SSH session is closed")
        }
        let timeout = command.timeout ?? target.commandTimeout
        let remote = try RemoteCommandLine(command, timeout: timeout, host: hostName)
        // The client waits a little longer than the remote timeout so the host can report it.
        let limit = timeout.map { $0 + Double(RemoteCommandLine.killGrace) + 5 }
        let captures = try target.output.captures(for: command.output, host: hostName)
        let limits = target.output, host = hostName
        var exec = ChannelExec(session: session, line: remote.line, stdin: remote.stdin,
                               become: remote.become, limit: limit,
                               setupTimeout: max(target.connectTimeout, 10),
                               stdoutCapture: captures.stdout, stderrCapture: captures.stderr,
                               overflow: { limits.dataOverflow(host: host, stream: "stdout") })
        inFlight.set(remote.token, command.become)
        defer { inFlight.set(nil, nil) }
        do {
            let output = try exec.run()
            if let timeout, output.signal == nil, output.status == 124 || output.status == 137,
               output.elapsed >= timeout - 0.05 {
                throw timedOut(timeout)
            }
            return output.result
        } catch is ChannelExec.ClientDeadline {
            // The host did not end it: its processes must not outlive the wait.
            endOnSession(remote.token, become: command.become)
            throw timedOut(timeout ?? 0)
        } catch let error as TransportError {
            if error.kind == .unreachable {
                drop(error.message)
                endThroughFreshSession(remote.token, become: command.become, timeout: 5)
            }
            // sudo that did not let the command start in time is still waiting on the host.
            if error.kind == .become { endOnSession(remote.token, become: command.become) }
            throw error
        } catch let error as LibSSH2Error {
            if error.connectionLost {
                drop(error.description)
                endThroughFreshSession(remote.token, become: command.become, timeout: 5)
            }
            throw error.transportError(error.connectionLost ? .unreachable : .failed, context: "running a command")
        } catch is SSHSession.DeadlineExceeded {
            throw TransportError(.failed, host: hostName, "the host did not open a channel in time")
        }
    }

    private func timedOut(_ seconds: TimeInterval) -> TransportError {
        TransportError(.timeout, host: hostName,
                       "command timed out after \(SocketConnector.format(seconds)) s and was ended")
    }

    /// A lost connection is not reused: later calls fail fast instead of waiting again.
    private func drop(_ reason: String) {
        lostReason = reason
        session?.free()
        session = nil
        tunnel = nil
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? "no message" : line
    }
}
