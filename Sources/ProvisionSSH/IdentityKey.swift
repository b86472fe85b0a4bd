import Foundation

/// What can be learnt about a private key file without its passphrase: its type and whether
/// it is encrypted (OpenSSH's own format keeps the public half in clear).
struct IdentityKey {
    var path: String
    /// "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", … or nil when unknown.
    var type: String?
    var encrypted: Bool
    /// The key itself, for an unencrypted ed25519 key in OpenSSH's format (signed in-process).
    var ed25519: Ed25519Identity?

    var isRSA: Bool { type == "ssh-rsa" }

    /// Files as inspected this run: each is read once, not once per host.
    private static let cache = FileCache<IdentityKey?>(IdentityKey.read)

    /// nil when the file cannot be read. Read once per run while the file is unchanged.
    static func inspect(_ path: String) -> IdentityKey? {
        (try? cache.value(at: path)) ?? nil
    }

    private static func read(_ path: String) -> IdentityKey? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        var key = IdentityKey(path: path, type: nil, encrypted: false)
        if text.contains("BEGIN OPENSSH PRIVATE KEY") {
            let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            if let blob = Data(base64Encoded: body) { key.readOpenSSH(blob) }
        } else if text.contains("BEGIN RSA PRIVATE KEY") {
            key.type = "ssh-rsa"
            key.encrypted = text.contains("ENCRYPTED")
        } else if text.contains("BEGIN EC PRIVATE KEY") {
            key.type = "ecdsa"
            key.encrypted = text.contains("ENCRYPTED")
        } else if text.contains("BEGIN DSA PRIVATE KEY") {
            key.type = "ssh-dss"
            key.encrypted = text.contains("ENCRYPTED")
        } else if text.contains("BEGIN ENCRYPTED PRIVATE KEY") {
            key.encrypted = true
        }
        if key.type == nil, let pub = FileManager.default.contents(atPath: path + ".pub") {
            key.type = String(decoding: pub, as: UTF8.self).split(separator: " ").first.map(String.init)
        }
        return key
    }

    /// The type at the head of a public-key blob (agent identities).
    static func type(ofBlob blob: Data) -> String { HostKey(blob: blob).type }

    /// `openssh-key-v1\0`, string cipher, string kdf, string kdfoptions, uint32 count,
    /// string publickey (whose first string is the key type).
    private mutating func readOpenSSH(_ blob: Data) {
        var reader = WireReader(data: blob)
        let magic = Data("openssh-key-v1\u{0}".utf8)
        guard blob.starts(with: magic) else { return }
        reader.offset = magic.count
        guard let cipher = reader.string(), reader.string() != nil, reader.string() != nil,
              let count = reader.uint32(), let publicKey = reader.bytes() else { return }
        encrypted = String(decoding: cipher, as: UTF8.self) != "none"
        type = HostKey(blob: publicKey).type
        if !encrypted && type == "ssh-ed25519" && count == 1, let section = reader.bytes() {
            ed25519 = Ed25519Identity.decode(privateSection: section, publicBlob: publicKey)
        }
    }
}

/// Reads SSH wire-format fields (big-endian lengths).
struct WireReader {
    var data: Data
    var offset = 0

    mutating func uint32() -> UInt32? {
        guard data.count - offset >= 4 else { return nil }
        let start = data.startIndex + offset
        let value = data[start..<start + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        offset += 4
        return value
    }

    mutating func bytes() -> Data? {
        guard let length = uint32().map(Int.init), data.count - offset >= length else { return nil }
        let start = data.startIndex + offset
        offset += length
        return Data(data[start..<start + length])
    }

    mutating func string() -> Data? { bytes() }
}
