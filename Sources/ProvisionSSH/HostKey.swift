import Crypto
import Foundation

/// A public host key as SSH sends it (wire-format blob), with its type and fingerprint.
struct HostKey: Equatable {
    var blob: Data

    /// The algorithm name at the head of the blob, e.g. "ssh-ed25519".
    var type: String {
        guard blob.count >= 4 else { return "unknown" }
        let length = blob.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        guard length > 0, blob.count >= 4 + length else { return "unknown" }
        return String(decoding: blob.dropFirst(4).prefix(length), as: UTF8.self)
    }

    /// OpenSSH's form: "SHA256:" and unpadded base64 of the SHA-256 of the blob.
    var fingerprint: String {
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    /// The key as a known_hosts line would hold it: type and base64.
    var knownHostsText: String { "\(type) \(blob.base64EncodedString())" }

    /// The name known_hosts uses for a host: the bare name on port 22, else `[name]:port`.
    static func knownHostsName(host: String, port: Int) -> String {
        let name = host.lowercased()
        return port == 22 ? name : "[\(name)]:\(port)"
    }
}
