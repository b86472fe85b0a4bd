import CLibSSH2
import Foundation

extension SSHSession {
    /// Host-key algorithms libssh2 offers here, in its default order.
    func supportedHostKeyAlgorithms() -> [String] {
        var algs: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        let count = libssh2_session_supported_algs(raw, LIBSSH2_METHOD_HOSTKEY, &algs)
        guard count > 0, let algs else { return [] }
        defer { libssh2_free(raw, algs) }
        return (0..<Int(count)).compactMap { algs[$0].map { String(cString: $0) } }
    }

    /// Prefers the key types already known for this host, as OpenSSH does, so a host with
    /// several keys is checked against the one on file instead of reading as "changed".
    func preferHostKeyTypes(_ knownTypes: [String]) {
        guard !knownTypes.isEmpty else { return }
        let supported = supportedHostKeyAlgorithms()
        var order: [String] = []
        for type in knownTypes {
            // An RSA key on file may be presented as rsa-sha2-512/256 or ssh-rsa.
            let names = type == "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [type]
            for name in names where supported.contains(name) && !order.contains(name) {
                order.append(name)
            }
        }
        guard !order.isEmpty else { return }
        order += supported.filter { !order.contains($0) }
        _ = libssh2_session_method_pref(raw, LIBSSH2_METHOD_HOSTKEY, order.joined(separator: ","))
    }

    /// Exchanges banners and keys; throws `DeadlineExceeded` or `LibSSH2Error`.
    func handshake(until deadline: Date) throws {
        try call("libssh2_session_handshake", until: deadline) {
            libssh2_session_handshake(raw, libssh2_socket_t(socket))
        }
    }

    /// The server's host key blob (SSH wire format), after the handshake.
    func hostKeyBlob() -> Data? {
        var length = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(raw, &length, &type), length > 0 else { return nil }
        return Data(bytes: key, count: length)
    }
}
