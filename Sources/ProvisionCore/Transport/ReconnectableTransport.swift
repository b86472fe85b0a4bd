import Foundation

/// A transport that can drop its connection and open a new one to the same host, in place:
/// what `reboot` needs to wait for a host to come back. The object stays the same, so
/// everything holding it (the host's runner, later tasks) uses the new connection.
public protocol ReconnectableTransport: Transport {
    /// Closes the current connection if any, then connects and authenticates again, giving up
    /// after `timeout` seconds. Throws `TransportError` (usually `.unreachable`) on failure;
    /// the transport may be tried again.
    func reconnect(timeout: TimeInterval) throws
}
