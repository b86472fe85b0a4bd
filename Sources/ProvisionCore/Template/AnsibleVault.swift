import Crypto
import _CryptoExtras
import Foundation

/// Ansible Vault's text (format 1.1, AES256; 1.2 when it names a vault id) as ansible-core's
/// `VaultLib` and `VaultAES256` write and read it: PBKDF2-HMAC-SHA256 (10000 iterations) of
/// the password and salt gives 80 bytes, split into the AES-256 key, the HMAC-SHA256 key and
/// the CTR counter; the PKCS#7-padded data is encrypted in CTR mode and authenticated; salt,
/// HMAC and ciphertext are hex, joined by newlines, hexed again and cut into 80-column lines
/// under the `$ANSIBLE_VAULT;…` header.
enum AnsibleVault {
    struct Failure: Error {
        let message: String
    }

    static let header = "$ANSIBLE_VAULT"

    /// `is_encrypted`: ASCII text starting with the header.
    static func isEncrypted(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 } && text.hasPrefix(header)
    }

    /// The vault text of `plaintext`; `salt` nil draws 32 random bytes. A vault id other than
    /// "default" makes the header 1.2 and is written in it.
    static func encrypt(_ plaintext: String, password: String, salt: [UInt8]?, vaultID: String?) throws -> String {
        if isEncrypted(plaintext) { throw Failure(message: "input is already encrypted") }
        let saltBytes: [UInt8]
        if let salt {
            guard !salt.isEmpty else { throw Failure(message: "Empty or invalid salt passed to encrypt()") }
            saltBytes = salt
        } else {
            var rng = SystemRandomNumberGenerator()
            saltBytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        let keys = try Keys(password: Array(password.utf8), salt: saltBytes)
        var data = Array(plaintext.utf8)
        let pad = 16 - data.count % 16
        data += [UInt8](repeating: UInt8(pad), count: pad)
        let ciphertext = try keys.crypt(data)
        let mac = Array(HMAC<SHA256>.authenticationCode(for: ciphertext, using: keys.hmacKey))
        let inner = hex(saltBytes) + "\n" + hex(mac) + "\n" + hex(ciphertext)
        let body = hex(Array(inner.utf8))

        let id = vaultID ?? ""
        var parts = [header, id.isEmpty || id == "default" ? "1.1" : "1.2", "AES256"]
        if parts[1] == "1.2" { parts.append(id) }
        var lines = [parts.joined(separator: ";")]
        var rest = Substring(body)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(80)))
            rest = rest.dropFirst(80)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The data of a vault text (any vault id: Ansible does not require it to match). A wrong
    /// password fails as Ansible's does, with no secret that could decrypt.
    static func decrypt(_ text: String, password: String) throws -> [UInt8] {
        // bytes.splitlines: \n, \r\n and \r.
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "\r", omittingEmptySubsequences: false) }
        let fields = (lines.first ?? "").trimmingCharacters(in: .whitespaces).split(separator: ";", omittingEmptySubsequences: false)
        guard fields.count >= 3 else { throw Failure(message: "Vault envelope format error: list index out of range") }
        let cipher = fields[2].trimmingCharacters(in: .whitespaces)
        guard cipher == "AES256" else { throw Failure(message: "\(cipher) cipher could not be found") }
        guard let inner = unhex(lines.dropFirst().joined()) else { throw Failure(message: "Vault format unhexlify error: Non-hexadecimal digit found") }
        let parts = inner.split(separator: 0x0A, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw Failure(message: "Vault vaulttext format error: not enough values to unpack") }
        guard let salt = unhex(String(decoding: parts[0], as: UTF8.self)),
              let mac = unhex(String(decoding: parts[1], as: UTF8.self)),
              let ciphertext = unhex(String(decoding: parts[2], as: UTF8.self)) else {
            throw Failure(message: "Vault format unhexlify error: Non-hexadecimal digit found")
        }
        let keys = try Keys(password: Array(password.utf8), salt: salt)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: ciphertext, using: keys.hmacKey) else {
            throw Failure(message: "Decryption failed (no vault secrets were found that could decrypt)")
        }
        let padded = try keys.crypt(ciphertext)
        guard let pad = padded.last, padded.count % 16 == 0, (1...16).contains(pad),
              padded.suffix(Int(pad)).allSatisfy({ $0 == pad }) else { throw Failure(message: "Invalid padding bytes.") }
        return Array(padded.dropLast(Int(pad)))
    }

    /// The three keys PBKDF2 derives from the password and salt.
    private struct Keys {
        let aesKey: SymmetricKey
        let hmacKey: SymmetricKey
        let counter: [UInt8]

        init(password: [UInt8], salt: [UInt8]) throws {
            let derived = try KDF.Insecure.PBKDF2.deriveKey(from: password, salt: salt, using: .sha256,
                                                           outputByteCount: 80, unsafeUncheckedRounds: 10_000)
            let bytes = derived.withUnsafeBytes { Array($0) }
            aesKey = SymmetricKey(data: bytes[0..<32])
            hmacKey = SymmetricKey(data: bytes[32..<64])
            counter = Array(bytes[64..<80])
        }

        /// AES-256-CTR with the whole 16 bytes as the big-endian counter (both directions).
        func crypt(_ data: [UInt8]) throws -> [UInt8] {
            Array(try AES._CTR.encrypt(data, using: aesKey, nonce: AES._CTR.Nonce(nonceBytes: counter)))
        }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// binascii.unhexlify: an even number of hex digits, either case; nil otherwise.
    private static func unhex(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            case 0x41...0x46: return c - 0x41 + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
