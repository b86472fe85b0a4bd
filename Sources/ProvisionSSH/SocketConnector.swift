import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a TCP connection with a deadline: non-blocking `connect` then `poll`, for every
/// address the name resolves to, until one answers or the time is spent.
///
/// The returned descriptor is left non-blocking, as libssh2's non-blocking mode expects.
enum SocketConnector {
    struct Failure: Error { var reason: String }

    static func connect(host: String, port: Int, timeout: TimeInterval) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        // No AI_ADDRCONFIG: on a host with only loopback it would hide 127.0.0.1/::1 results.
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let why = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
            throw Failure(reason: "cannot resolve \(host): \(why)")
        }
        defer { freeaddrinfo(list) }
        var reasons: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { reasons.append("timed out after \(format(timeout)) s"); break }
            do {
                return try attempt(info.pointee, remaining: remaining, timeout: timeout)
            } catch let failure as Failure {
                reasons.append(failure.reason)
            }
        }
        let unique = reasons.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        throw Failure(reason: "cannot connect to \(host) port \(port): "
            + (unique.isEmpty ? "no usable address" : unique.joined(separator: "; ")))
    }

    private static func attempt(_ info: addrinfo, remaining: TimeInterval,
                                timeout: TimeInterval) throws -> Int32 {
        let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
        guard fd >= 0 else { throw Failure(reason: "socket: \(errnoText())") }
        var ok = false
        defer { if !ok { _ = close(fd) } }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, socklen_t(MemoryLayout<Int32>.size))
        if sysConnect(fd, info.ai_addr, info.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { throw Failure(reason: errnoText()) }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var waited: Int32
            repeat {
                waited = poll(&pfd, 1, Int32(max(1, remaining * 1000)))
            } while waited < 0 && errno == EINTR
            if waited == 0 { throw Failure(reason: "timed out after \(format(timeout)) s") }
            if waited < 0 { throw Failure(reason: "poll: \(errnoText())") }
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
            if soError != 0 { throw Failure(reason: String(cString: strerror(soError))) }
        }
        ok = true
        return fd
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func format(_ seconds: TimeInterval) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}

/// `connect(2)`, named apart from `SocketConnector.connect`.
private func sysConnect(_ fd: Int32, _ addr: UnsafeMutablePointer<sockaddr>?, _ len: socklen_t) -> Int32 {
    #if canImport(Glibc)
    return Glibc.connect(fd, addr, len)
    #else
    return Darwin.connect(fd, addr, len)
    #endif
}

/// `poll(2)` on one descriptor, named apart from `SSHSession.poll`.
func sysPoll(_ pfd: UnsafeMutablePointer<pollfd>, _ timeoutMS: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.poll(pfd, 1, timeoutMS)
    #else
    return Darwin.poll(pfd, 1, timeoutMS)
    #endif
}
