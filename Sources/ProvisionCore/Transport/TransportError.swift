/// Why a transport could not do what was asked, with the host and a message for the user.
///
/// Messages never contain secrets.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Nothing answered, the connection was refused or dropped, or the handshake failed.
        case unreachable
        /// Every authentication method was refused.
        case authentication
        /// The host's key is unknown under `strict`, or differs from the known one.
        case hostKey
        /// A command did not finish within its timeout and was ended.
        case timeout
        /// sudo refused: wrong or missing password, or the user may not sudo.
        case become
        /// Anything else while running a command or moving a file.
        case failed
    }

    public var kind: Kind
    public var host: String
    public var message: String

    public init(_ kind: Kind, host: String, _ message: String) {
        self.kind = kind
        self.host = host
        self.message = message
    }

    /// True when the host cannot be used at all (recap counts it as unreachable, exit bit 4).
    public var isUnreachable: Bool {
        switch kind {
        case .unreachable, .authentication, .hostKey: return true
        case .timeout, .become, .failed: return false
        }
    }

    public var description: String { "\(host): \(message)" }
}
