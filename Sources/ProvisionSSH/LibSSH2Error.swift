import CLibSSH2
import Foundation
import ProvisionCore

/// A failed libssh2 call: its return code, libssh2's own message, the call and the host.
///
/// `SSHSession.check` is the one funnel that turns return codes into this; the transport
/// turns it into a `TransportError` with the kind that fits where it happened.
struct LibSSH2Error: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var call: String
    var host: String

    var description: String { "\(call): \(message) (libssh2 error \(code))" }

    /// The error a caller of `Transport` sees.
    func transportError(_ kind: TransportError.Kind, context: String? = nil) -> TransportError {
        let prefix = context.map { "\($0): " } ?? ""
        return TransportError(kind, host: host, prefix + description)
    }

    /// True when the connection itself is gone (socket closed, timeout, protocol breakdown).
    var connectionLost: Bool {
        [LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_SOCKET_RECV,
         LIBSSH2_ERROR_SOCKET_TIMEOUT, LIBSSH2_ERROR_TIMEOUT, LIBSSH2_ERROR_BANNER_RECV,
         LIBSSH2_ERROR_BANNER_SEND, LIBSSH2_ERROR_KEX_FAILURE, LIBSSH2_ERROR_DECRYPT,
         LIBSSH2_ERROR_PROTO].contains(code)
    }
}
