import CLibSSH2
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libssh2 session over one socket, in non-blocking mode.
///
/// Not thread-safe: its owner (an `SSHTransport`'s serial queue, or a tunnel's pump thread)
/// is the only caller. Every wait is a `poll` on the socket in the directions libssh2 reports
/// blocked, bounded by a deadline; keepalives go out while waiting, and a host that answers
/// nothing for three keepalive intervals ends the wait as lost.
final class SSHSession {
    /// A wait ran past its deadline.
    struct DeadlineExceeded: Error {}

    let host: String
    let raw: OpaquePointer
    let socket: Int32
    let keepaliveInterval: Int
    /// Reused for every channel read, so commands do not allocate per chunk.
    let readBuffer: UnsafeMutableRawBufferPointer
    private var lastActivity = Date()
    private var freed = false
    /// Keepalives start once the session is authenticated: a global request in the middle of
    /// key exchange breaks the handshake.
    var keepalivesActive = false

    /// Takes ownership of `socket` (closed in `free()`).
    init(host: String, socket: Int32, keepaliveInterval: Int,
         abstract: UnsafeMutableRawPointer? = nil) throws {
        LibSSH2.ensureInitialized()
        guard let session = libssh2_session_init_ex(nil, nil, nil, abstract) else {
            _ = close(socket)
            throw LibSSH2Error(code: LIBSSH2_ERROR_ALLOC, message: "cannot allocate a session",
                               call: "libssh2_session_init_ex", host: host)
        }
        self.host = host
        self.raw = session
        self.socket = socket
        self.keepaliveInterval = keepaliveInterval
        self.readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        libssh2_session_set_blocking(session, 0)
        if keepaliveInterval > 0 {
            libssh2_keepalive_config(session, 1, UInt32(keepaliveInterval))
        }
    }

    deinit { free() }

    /// The last error libssh2 recorded on this session, as a `LibSSH2Error` for `call`.
    func lastError(_ call: String, code: Int32? = nil) -> LibSSH2Error {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let last = libssh2_session_last_error(raw, &message, &length, 0)
        let text = message.map { String(cString: $0) } ?? "unknown error"
        return LibSSH2Error(code: code ?? last, message: text.isEmpty ? "error \(last)" : text,
                            call: call, host: host)
    }

    /// Marks the start of an operation: silence is measured from here, not from idle time
    /// between tasks.
    func beginOperation() { lastActivity = Date() }

    /// Runs `body` until it stops returning `LIBSSH2_ERROR_EAGAIN`; negative results throw.
    @discardableResult
    func call(_ name: String, until deadline: Date?, _ body: () -> Int32) throws -> Int32 {
        while true {
            let rc = body()
            if rc == LIBSSH2_ERROR_EAGAIN {
                try wait(until: deadline)
                continue
            }
            if rc < 0 { throw lastError(name, code: rc) }
            return rc
        }
    }

    /// Runs `body` until it returns a pointer or fails with something other than EAGAIN.
    func pointer(_ name: String, until deadline: Date?,
                 _ body: () -> OpaquePointer?) throws -> OpaquePointer {
        while true {
            if let result = body() { return result }
            let code = libssh2_session_last_errno(raw)
            guard code == LIBSSH2_ERROR_EAGAIN else { throw lastError(name, code: code) }
            try wait(until: deadline)
        }
    }

    /// Blocks in `poll` until the socket is ready in the direction libssh2 waits for, the
    /// deadline passes (`DeadlineExceeded`), or the host has been silent too long.
    func wait(until deadline: Date?) throws {
        let directions = libssh2_session_block_directions(raw)
        var events: Int16 = 0
        if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        if events == 0 { events = Int16(POLLIN) }
        try poll(events: events, until: deadline)
    }

    /// Polls for `events` (used directly when a channel waits for peer data).
    func poll(events: Int16, until deadline: Date?) throws {
        var timeoutMS: Int32 = -1
        var keepaliveDue = false
        if keepaliveInterval > 0 && keepalivesActive {
            var next: Int32 = 0
            _ = libssh2_keepalive_send(raw, &next)
            timeoutMS = max(1, next) * 1000
            keepaliveDue = true
        }
        if let deadline {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { throw DeadlineExceeded() }
            let ms = Int32(min(Double(Int32.max / 2), (left * 1000).rounded(.up)))
            timeoutMS = timeoutMS < 0 ? ms : min(timeoutMS, ms)
        }
        var pfd = pollfd(fd: socket, events: events, revents: 0)
        let ready = sysPoll(&pfd, timeoutMS)
        let now = Date()
        if ready > 0 {
            lastActivity = now
            return
        }
        if ready < 0 && errno != EINTR {
            throw LibSSH2Error(code: LIBSSH2_ERROR_SOCKET_RECV, message: SocketConnector.errnoText(),
                               call: "poll", host: host)
        }
        if let deadline, deadline <= now { throw DeadlineExceeded() }
        let silentFor = now.timeIntervalSince(lastActivity)
        if keepaliveDue && silentFor > Double(keepaliveInterval * 3) + 0.5 {
            throw LibSSH2Error(code: LIBSSH2_ERROR_SOCKET_TIMEOUT,
                               message: "host stopped answering: no reply to 3 keepalives "
                                   + "in \(Int(silentFor)) s",
                               call: "keepalive", host: host)
        }
    }

    /// Ends the session politely when the peer is still there, then frees everything.
    func free() {
        guard !freed else { return }
        freed = true
        let deadline = Date().addingTimeInterval(1)
        while libssh2_session_disconnect_ex(raw, SSH_DISCONNECT_BY_APPLICATION, "closed", "")
            == LIBSSH2_ERROR_EAGAIN {
            if (try? wait(until: deadline)) == nil { break }
        }
        while libssh2_session_free(raw) == LIBSSH2_ERROR_EAGAIN {
            if (try? wait(until: deadline)) == nil { break }
        }
        _ = close(socket)
        readBuffer.deallocate()
    }
}
