import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process with three pipes, driven by `poll` on the calling thread.
///
/// Used by `LocalTransport`: no extra threads per command, stdout and stderr never deadlock
/// each other, and a timeout kills the whole process group.
final class LocalProcess {
    struct Output {
        var status: Int32
        var signal: String?
        var result: CommandResult
        var timedOut: Bool
        /// sudo did not let the command run (`SudoHandshake`'s reason).
        var becomeRefused: String?
    }

    private let pid: pid_t
    private var stdinFD: Int32
    private var stdoutFD: Int32
    private var stderrFD: Int32
    private let host: String

    /// A child that exits before reading all its stdin must give EPIPE, not kill the controller.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
    private static let spawnLock = NSLock()

    init(argv: [String], host: String) throws {
        Self.ignoreSIGPIPE
        self.host = host
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        // Close-on-exec, set under the spawn lock: a child spawned meanwhile for another host
        // must not inherit these pipes, or this command's EOF waits for that child to exit
        // (dup2 in the child clears the flag on 0, 1 and 2).
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw TransportError(.failed, host: host, "pipe failed: \(String(cString: strerror(errno)))")
        }
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attr, 0)

        let cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, argv[0], &actions, &attr, cArgs, environ)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw TransportError(.failed, host: host, "cannot start \(argv[0]): \(String(cString: strerror(rc)))")
        }
        pid = child
        stdinFD = inPipe[1]
        stdoutFD = outPipe[0]
        stderrFD = errPipe[0]
        for fd in [stdinFD, stdoutFD, stderrFD] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    /// Feeds stdin, collects output until both pipes close, then reaps the child.
    ///
    /// With `sudo`, the command's stdin is held back until the handshake sees sudo let the
    /// command run (the password, if sudo prompts, goes first), so a sudo that needs no
    /// password never swallows the command's input as one.
    /// Output streams into `stdout` and `stderr` (bounded); when `stdout` overflows (a module
    /// reads it as data) the group is killed and `overflow` is thrown.
    func communicate(stdin: Data, sudo: inout SudoHandshake?, timeout: TimeInterval?,
                     stdout: OutputCapture, stderr: OutputCapture, overflow: () -> Error) throws -> Output {
        var pending = [UInt8]()
        var stdinReleased = sudo == nil
        if stdinReleased { pending.append(contentsOf: stdin) }
        // sudo's preamble stays here for the handshake; the command's output streams on.
        var out = Data(), err = Data()
        var timedOut = false
        var overflowed = false
        var refused: String?
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        if pending.isEmpty && stdinReleased { closeStdin() }

        while stdoutFD >= 0 || stderrFD >= 0 {
            var fds: [pollfd] = []
            if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if stdinFD >= 0 && !pending.isEmpty { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            var wait: Int32 = -1
            if let deadline {
                let left = deadline.timeIntervalSinceNow
                if left <= 0 { timedOut = true; break }
                wait = Int32(min(left * 1000, 1000)) + 1
            }
            let n = poll(&fds, nfds_t(fds.count), wait)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { continue }
            for p in fds where p.revents != 0 {
                if p.fd == stdinFD {
                    let w = pending.withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
                    if w > 0 { pending.removeFirst(w) }
                    if w < 0 && errno != EAGAIN { pending.removeAll() }
                    if pending.isEmpty && stdinReleased { closeStdin() }
                    continue
                }
                let r = read(p.fd, &buffer, buffer.count)
                if r > 0 {
                    if !stdinReleased {
                        if p.fd == stdoutFD { out.append(buffer, count: r) } else { err.append(buffer, count: r) }
                    } else {
                        buffer.withUnsafeBytes { bytes in
                            let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<r])
                            if p.fd == stdoutFD { stdout.append(chunk) } else { stderr.append(chunk) }
                        }
                        if stdout.overflowed { overflowed = true }
                    }
                } else if r == 0 || (r < 0 && errno != EAGAIN) {
                    if p.fd == stdoutFD { close(stdoutFD); stdoutFD = -1 } else { close(stderrFD); stderrFD = -1 }
                }
            }
            if !stdinReleased, var handshake = sudo {
                let step = handshake.advance(stdout: &out, stderr: &err)
                sudo = handshake
                switch step {
                case .waiting: break
                case .answer(let line): pending.append(contentsOf: line)
                case .started:
                    stdinReleased = true
                    stdout.append(out)
                    stderr.append(err)
                    out = Data()
                    err = Data()
                    if stdout.overflowed { overflowed = true }
                    pending.append(contentsOf: stdin)
                    if pending.isEmpty { closeStdin() }
                case .refused(let why): refused = why
                }
            }
            if refused != nil || overflowed { break }
        }
        if let handshake = sudo, !handshake.isStarted, refused == nil {
            refused = timedOut ? handshake.timedOut(after: String(Int(timeout ?? 0))) : handshake.failure(stderr: err)
        }
        if timedOut || refused != nil || overflowed {
            kill(-pid, SIGTERM)
            let grace = Date().addingTimeInterval(2)
            while Date() < grace, !reaped() { usleep(20_000) }
            kill(-pid, SIGKILL)
        }
        closeStdin()
        if stdoutFD >= 0 { close(stdoutFD); stdoutFD = -1 }
        if stderrFD >= 0 { close(stderrFD); stderrFD = -1 }
        let (status, signal) = reap()
        if overflowed { throw overflow() }
        return Output(status: status, signal: signal,
                      result: CommandResult(status: status, signal: signal, stdout: stdout, stderr: stderr),
                      timedOut: timedOut, becomeRefused: refused)
    }

    private var reapedStatus: Int32?

    private func reaped() -> Bool {
        if reapedStatus != nil { return true }
        var st: Int32 = 0
        if waitpid(pid, &st, WNOHANG) == pid { reapedStatus = st; return true }
        return false
    }

    private func reap() -> (Int32, String?) {
        var st: Int32 = reapedStatus ?? 0
        if reapedStatus == nil {
            while waitpid(pid, &st, 0) < 0 && errno == EINTR {}
        }
        let sig = st & 0x7f
        if sig == 0 { return ((st >> 8) & 0xff, nil) }
        return (-1, SignalName.name(sig))
    }

    private func closeStdin() {
        if stdinFD >= 0 { close(stdinFD); stdinFD = -1 }
    }
}

/// Signal numbers to the names OpenSSH uses in exit-signal messages ("TERM", "KILL", …).
public enum SignalName {
    public static func name(_ sig: Int32) -> String {
        switch sig {
        case SIGHUP: return "HUP"
        case SIGINT: return "INT"
        case SIGQUIT: return "QUIT"
        case SIGILL: return "ILL"
        case SIGABRT: return "ABRT"
        case SIGFPE: return "FPE"
        case SIGKILL: return "KILL"
        case SIGSEGV: return "SEGV"
        case SIGPIPE: return "PIPE"
        case SIGALRM: return "ALRM"
        case SIGTERM: return "TERM"
        case SIGUSR1: return "USR1"
        case SIGUSR2: return "USR2"
        default: return "SIG\(sig)"
        }
    }
}
