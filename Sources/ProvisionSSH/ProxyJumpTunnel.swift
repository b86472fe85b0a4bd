import CLibSSH2
import Foundation
import ProvisionCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `ProxyJump` through one jump host: a session to the jump host, a direct-tcpip channel to
/// the target, and a socketpair whose other end the target's session uses as its socket.
///
/// After `open`, the jump session belongs to the tunnel's own pump thread, which moves bytes
/// both ways with `poll`; it ends (and frees the jump session) when the target session closes
/// its end or the channel ends.
final class ProxyJumpTunnel: @unchecked Sendable {
    /// The end handed to the target's `SSHSession` (which closes it).
    let localSocket: Int32
    private let pumpSocket: Int32
    private let jump: SSHSession
    private let channel: OpaquePointer

    private init(localSocket: Int32, pumpSocket: Int32, jump: SSHSession, channel: OpaquePointer) {
        self.localSocket = localSocket
        self.pumpSocket = pumpSocket
        self.jump = jump
        self.channel = channel
    }

    /// Parses `[user@]host[:port]` (the first hop only, as this tool supports one jump host).
    static func parse(_ spec: String) -> (user: String?, host: String, port: Int?) {
        var rest = Substring(spec.split(separator: ",").first ?? Substring(spec))
        if rest.hasPrefix("ssh://") { rest = rest.dropFirst(6) }
        var user: String?
        if let at = rest.lastIndex(of: "@") { user = String(rest[..<at]); rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            let host = String(rest[rest.index(after: rest.startIndex)..<close])
            let port = rest[close...].split(separator: ":").last.flatMap { Int($0) }
            return (user, host, port)
        }
        let parts = rest.split(separator: ":")
        if parts.count == 2, let port = Int(parts[1]) { return (user, String(parts[0]), port) }
        return (user, String(rest), nil)
    }

    static func open(through spec: String, to resolved: ResolvedTarget, for target: ConnectionTarget,
                     connector: SSHConnector) throws -> ProxyJumpTunnel {
        let hop = parse(spec)
        var jumpTarget = ConnectionTarget(name: hop.host, port: hop.port, user: hop.user,
                                          passphrase: target.passphrase,
                                          hostKeyChecking: target.hostKeyChecking,
                                          knownHostsFile: target.knownHostsFile,
                                          connectTimeout: target.connectTimeout,
                                          keepaliveInterval: target.keepaliveInterval,
                                          useSSHConfig: target.useSSHConfig)
        // The target's keys are offered too (after the jump host's own from ssh_config): one
        // key usually opens both, and an inventory cannot name keys for the jump host.
        jumpTarget.identityFiles = resolved.identityFiles
        let jump: SSHSession, nested: ProxyJumpTunnel?
        do {
            (jump, nested) = try connector.open(jumpTarget)
        } catch let error as TransportError {
            // Reported against the target (the host the user asked for), naming the jump host.
            throw TransportError(error.kind, host: target.name, "jump host \(hop.host): \(error.message)")
        }
        guard nested == nil else {
            throw TransportError(.unreachable, host: target.name, "ProxyJump through more than one host is not supported")
        }
        let deadline = Date().addingTimeInterval(target.connectTimeout)
        let channel: OpaquePointer
        do {
            channel = try jump.pointer("libssh2_channel_direct_tcpip_ex", until: deadline) {
                libssh2_channel_direct_tcpip_ex(jump.raw, resolved.hostName, Int32(resolved.port), "127.0.0.1", 22)
            }
        } catch is SSHSession.DeadlineExceeded {
            throw TransportError(.unreachable, host: target.name, "jump host \(hop.host) did not open a tunnel in time")
        } catch let error as LibSSH2Error {
            throw error.transportError(.unreachable, context: "jump host \(hop.host) cannot reach \(resolved.hostName):\(resolved.port)")
        }
        var pair: [Int32] = [0, 0]
        #if canImport(Glibc)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, type, 0, &pair) == 0 else {
            throw TransportError(.unreachable, host: target.name, "socketpair: \(SocketConnector.errnoText())")
        }
        for fd in pair { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        let tunnel = ProxyJumpTunnel(localSocket: pair[0], pumpSocket: pair[1], jump: jump, channel: channel)
        let thread = Thread { tunnel.pump() }
        thread.name = "provision.ssh.jump.\(hop.host)"
        thread.start()
        return tunnel
    }

    /// Moves bytes until either side ends; then frees the channel and the jump session.
    private func pump() {
        let buffer = jump.readBuffer
        var toTarget = Data(), toTargetSent = 0
        var toJump = Data(), toJumpSent = 0
        var targetClosed = false, channelClosed = false
        while !(targetClosed && toJumpSent == toJump.count) && !(channelClosed && toTargetSent == toTarget.count) {
            var progressed = false
            if toTargetSent == toTarget.count && !channelClosed {
                let n = libssh2_channel_read_ex(channel, 0, buffer.baseAddress, buffer.count)
                if n > 0 {
                    toTarget = Data(UnsafeRawBufferPointer(rebasing: buffer[0..<n])); toTargetSent = 0; progressed = true
                } else if n == 0 && libssh2_channel_eof(channel) != 0 || (n < 0 && n != Int(LIBSSH2_ERROR_EAGAIN)) {
                    channelClosed = true
                }
            }
            if toTargetSent < toTarget.count {
                let n = toTarget.withUnsafeBytes { write(pumpSocket, $0.baseAddress.map { $0 + toTargetSent }, toTarget.count - toTargetSent) }
                if n > 0 { toTargetSent += n; progressed = true } else if n < 0 && errno != EAGAIN { targetClosed = true; channelClosed = true }
            }
            if toJumpSent == toJump.count && !targetClosed {
                let n = read(pumpSocket, buffer.baseAddress, buffer.count)
                if n > 0 { toJump = Data(UnsafeRawBufferPointer(rebasing: buffer[0..<n])); toJumpSent = 0; progressed = true
                } else if n == 0 || errno != EAGAIN { targetClosed = true }
            }
            if toJumpSent < toJump.count {
                let n = toJump.withUnsafeBytes { bytes -> Int in
                    guard let base = bytes.baseAddress else { return 0 }
                    return libssh2_channel_write_ex(channel, 0, base + toJumpSent, bytes.count - toJumpSent)
                }
                if n > 0 { toJumpSent += n; progressed = true } else if n < 0 && n != Int(LIBSSH2_ERROR_EAGAIN) { break }
            }
            if progressed { continue }
            var fds = [pollfd(fd: jump.socket, events: 0, revents: 0), pollfd(fd: pumpSocket, events: 0, revents: 0)]
            let directions = libssh2_session_block_directions(jump.raw)
            // Wait for the jump socket only when something will read it: while the target is
            // slow to take bytes, a readable jump socket would otherwise wake us in a loop.
            if (toTargetSent == toTarget.count && !channelClosed) || directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 {
                fds[0].events |= Int16(POLLIN)
            }
            if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { fds[0].events |= Int16(POLLOUT) }
            if toJumpSent == toJump.count && !targetClosed { fds[1].events |= Int16(POLLIN) }
            if toTargetSent < toTarget.count { fds[1].events |= Int16(POLLOUT) }
            var next: Int32 = 0
            if jump.keepaliveInterval > 0 { _ = libssh2_keepalive_send(jump.raw, &next) }
            _ = poll(&fds, 2, next > 0 ? next * 1000 : 1000)
        }
        _ = shutdown(pumpSocket, Int32(SHUT_RDWR))
        _ = close(pumpSocket)
        let deadline = Date().addingTimeInterval(1)
        while libssh2_channel_free(channel) == LIBSSH2_ERROR_EAGAIN {
            if (try? jump.wait(until: deadline)) == nil { break }
        }
        jump.free()
    }
}
