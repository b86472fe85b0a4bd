import CLibSSH2
import Foundation
import ProvisionCore

/// Runs one command line on an exec channel of a session: feeds stdin, keeps stdout and
/// stderr apart, answers sudo's prompt, enforces the command's deadline, and collects the exit
/// status or signal.
///
/// Called only on the owning session's queue. Waits are `poll`s on the session socket; no
/// busy-waiting.
struct ChannelExec {
    struct Output {
        var status: Int32
        var signal: String?
        var result: CommandResult
        /// Seconds between the command starting (after sudo) and its channel closing.
        var elapsed: TimeInterval
    }

    /// Thrown by `run` when the command outlived its client-side deadline; the channel is gone.
    struct ClientDeadline: Error {}

    let session: SSHSession
    let line: String
    let stdin: Data?
    /// sudo's side of the run, when the command runs as another user.
    var become: SudoHandshake?
    /// Client-side limit once the command runs (the remote `timeout` fires before it).
    let limit: TimeInterval?
    /// Limit for opening the channel and for sudo to decide.
    let setupTimeout: TimeInterval
    /// Where the command's output goes as it arrives: memory stays bounded by these.
    let stdoutCapture: OutputCapture
    let stderrCapture: OutputCapture
    /// The error when `stdoutCapture` overflows (a module reads the output as data).
    let overflow: () -> Error

    /// Most bytes sudo and the shell may print before the become marker shows.
    static let becomePreambleLimit = 1024 * 1024

    mutating func run() throws -> Output {
        let host = session.host
        session.beginOperation()
        let setupDeadline = Date().addingTimeInterval(setupTimeout)
        let channel = try session.pointer("libssh2_channel_open_ex", until: setupDeadline) {
            libssh2_channel_open_ex(session.raw, "session", 7, UInt32(512 * 1024), 32768, nil, 0)
        }
        var freed = false
        defer { if !freed { abandon(channel) } }
        try session.call("libssh2_channel_process_startup", until: setupDeadline) {
            libssh2_channel_process_startup(channel, "exec", 4, line, UInt32(line.utf8.count))
        }

        // Until sudo lets the command start, output is sudo's (prompts, refusals) and stays
        // here for the handshake; afterwards it streams into the captures.
        var stdout = Data(), stderr = Data()
        var outgoing = Data(), sent = 0
        var stdinReleased = become == nil
        var stdinQueued = false, eofSent = false
        var started = Date()
        var deadline: Date? = become == nil ? limit.map { started.addingTimeInterval($0) } : setupDeadline
        let buffer = session.readBuffer

        while true {
            var progressed = false
            for stream: Int32 in [0, SSH_EXTENDED_DATA_STDERR] {
                while true {
                    let n = libssh2_channel_read_ex(channel, stream, buffer.baseAddress, buffer.count)
                    if n > 0 {
                        let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                        if !stdinReleased {
                            if stream == 0 { stdout.append(contentsOf: chunk) } else { stderr.append(contentsOf: chunk) }
                            if stdout.count + stderr.count > Self.becomePreambleLimit {
                                throw TransportError(.become, host: host, "sudo printed more than \(Self.becomePreambleLimit) bytes before the command started")
                            }
                        } else if stream == 0 {
                            stdoutCapture.append(chunk)
                            if stdoutCapture.overflowed { throw overflow() }
                        } else {
                            stderrCapture.append(chunk)
                        }
                        progressed = true
                        continue
                    }
                    if n < 0 && n != Int(LIBSSH2_ERROR_EAGAIN) {
                        throw lost(session.lastError("libssh2_channel_read_ex", code: Int32(n)))
                    }
                    break
                }
            }

            if !stdinReleased, var handshake = become {
                let step = handshake.advance(stdout: &stdout, stderr: &stderr)
                become = handshake
                switch step {
                case .waiting: break
                case .answer(let line):
                    outgoing = line
                    sent = 0
                case .started:
                    stdinReleased = true
                    stdoutCapture.append(stdout)
                    stderrCapture.append(stderr)
                    stdout = Data()
                    stderr = Data()
                    if stdoutCapture.overflowed { throw overflow() }
                    started = Date()
                    deadline = limit.map { started.addingTimeInterval($0) }
                    progressed = true
                case .refused(let why):
                    throw TransportError(.become, host: host, why)
                }
            }

            if stdinReleased && !stdinQueued && sent == outgoing.count {
                stdinQueued = true
                outgoing = stdin ?? Data()
                sent = 0
            }
            while sent < outgoing.count {
                let n = outgoing.withUnsafeBytes { bytes -> Int in
                    guard let base = bytes.baseAddress else { return 0 }
                    return libssh2_channel_write_ex(channel, 0, base + sent, min(bytes.count - sent, 256 * 1024))
                }
                if n > 0 { sent += n; progressed = true; continue }
                if n == Int(LIBSSH2_ERROR_EAGAIN) { break }
                if n < 0 {
                    // The command closed its stdin early: the rest of our input is moot.
                    if libssh2_channel_eof(channel) != 0 { sent = outgoing.count; break }
                    throw lost(session.lastError("libssh2_channel_write_ex", code: Int32(n)))
                }
                break
            }
            if stdinQueued && sent == outgoing.count && !eofSent {
                let rc = libssh2_channel_send_eof(channel)
                if rc == 0 {
                    eofSent = true
                    progressed = true
                } else if rc != LIBSSH2_ERROR_EAGAIN {
                    eofSent = true // the peer already closed its side; nothing left to tell it
                }
            }

            if libssh2_channel_eof(channel) != 0 && !progressed { break }
            if progressed { continue }
            do {
                try session.wait(until: deadline)
            } catch is SSHSession.DeadlineExceeded {
                if let become, !stdinReleased {
                    throw TransportError(.become, host: host, become.timedOut(after: SocketConnector.format(setupTimeout)))
                }
                throw ClientDeadline()
            } catch let error as LibSSH2Error {
                throw lost(error)
            }
        }

        if let become, !stdinReleased {
            throw TransportError(.become, host: host, become.failure(stderr: stderr))
        }
        let closeDeadline = Date().addingTimeInterval(setupTimeout)
        try session.call("libssh2_channel_close", until: closeDeadline) { libssh2_channel_close(channel) }
        try session.call("libssh2_channel_wait_closed", until: closeDeadline) { libssh2_channel_wait_closed(channel) }
        let elapsed = Date().timeIntervalSince(started)
        let status = libssh2_channel_get_exit_status(channel)
        let signal = exitSignal(channel)
        freed = true
        _ = libssh2_channel_free(channel)
        let result = CommandResult(status: signal == nil ? status : -1, signal: signal,
                                   stdout: stdoutCapture, stderr: stderrCapture)
        return Output(status: result.status, signal: signal, result: result, elapsed: elapsed)
    }

    private func exitSignal(_ channel: OpaquePointer) -> String? {
        var name: UnsafeMutablePointer<CChar>?
        var length = 0
        guard libssh2_channel_get_exit_signal(channel, &name, &length, nil, nil, nil, nil) == 0,
              let name else { return nil }
        defer { libssh2_free(session.raw, name) }
        let text = String(cString: name)
        return text.isEmpty ? nil : text
    }

    /// Closes a channel we stop caring about without waiting long for the peer.
    private func abandon(_ channel: OpaquePointer) {
        let deadline = Date().addingTimeInterval(1)
        while libssh2_channel_close(channel) == LIBSSH2_ERROR_EAGAIN {
            if (try? session.wait(until: deadline)) == nil { break }
        }
        while libssh2_channel_free(channel) == LIBSSH2_ERROR_EAGAIN {
            if (try? session.wait(until: deadline)) == nil { break }
        }
    }

    private func lost(_ error: LibSSH2Error) -> TransportError {
        error.transportError(error.connectionLost ? .unreachable : .failed, context: "connection lost")
    }
}
