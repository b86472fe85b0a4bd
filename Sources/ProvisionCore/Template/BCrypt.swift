/// The bcrypt password scheme (`$2b$12$<22 salt chars><31 hash chars>`) as OpenBSD,
/// crypt_blowfish/libxcrypt and passlib write it: `password_hash('bcrypt')` and the password
/// lookup's `encrypt=bcrypt`.
enum BCrypt {
    /// bcrypt's own base64 alphabet (not crypt's `./0-9A-Za-z` order).
    static let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// The variants passlib accepts, by the names Ansible's `ident` may give
    /// (`2x`, crypt_blowfish's emulation of an old sign bug, is refused by passlib too).
    static let idents: [String: String] = ["2": "2", "2a": "2a", "2b": "2b", "2y": "2y",
                                           "$2$": "2", "$2a$": "2a", "$2b$": "2b", "$2y$": "2y"]

    /// The 31-character checksum of `password` under `ident` ("2", "2a", "2b" or "2y"),
    /// `cost` (log2 of the rounds, 4–31) and a 22-character salt whose unused bits are clear.
    static func checksum(_ password: [UInt8], ident: String, cost: Int, salt: String) -> String {
        let saltBytes = Array(decode(Array(salt.utf8)).prefix(16))
        var key: [UInt8]
        if ident == "2" {
            // The original `$2$` left the NUL out; passlib gets it from `$2a$` by repeating
            // the password to bcrypt's 72 bytes.
            key = password.isEmpty ? [0] : (0..<72).map { password[$0 % password.count] }
        } else {
            key = Array(password.prefix(72))
            if key.count < 72 { key.append(0) }
        }
        let flip = ident == "2a" || ident == "2" ? signExtensionFlip(key) : 0
        var bf = Blowfish()
        bf.expand(key: key, salt: saltBytes, firstWordFlip: flip)
        for _ in 0..<(1 << cost) {
            bf.expand(key: key, salt: [])
            bf.expand(key: saltBytes, salt: [])
        }
        var text: [UInt32] = stride(from: 0, to: 24, by: 4).map { i in
            Array("OrpheanBeholderScryDoubt".utf8)[i..<i + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        for _ in 0..<64 { bf.encrypt(&text) }
        let bytes = text.flatMap { w in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: w >> $0) } }
        return encode(Array(bytes.prefix(23)))
    }

    /// crypt_blowfish's `$2a$` safety measure: when a key with 8-bit bytes would expand the
    /// same with and without the old sign-extension bug, bit 16 of P[0] is flipped so the
    /// `$2a$` hash cannot collide with a `$2x$` one. Never for UTF-8 text (it needs 0xFF bytes).
    private static func signExtensionFlip(_ key: [UInt8]) -> UInt32 {
        var sign: UInt32 = 0, diff: UInt32 = 0, at = 0
        for _ in 0..<18 {
            var correct: UInt32 = 0, buggy: UInt32 = 0
            for j in 0..<4 {
                let byte = key[at % key.count]
                at += 1
                correct = correct << 8 | UInt32(byte)
                buggy = buggy << 8 | UInt32(bitPattern: Int32(Int8(bitPattern: byte)))
                if j > 0 { sign |= buggy & 0x80 }
            }
            diff |= correct ^ buggy
        }
        diff |= diff >> 16
        diff &= 0xFFFF
        diff &+= 0xFFFF
        return (sign << 9) & ~diff & 0x10000
    }

    /// The salt with the unused low bits of its last character cleared (passlib's
    /// `repair_unused`): `…v` and `…u` are one salt, written `…u`.
    static func repairedSalt(_ salt: String) -> String {
        var chars = Array(salt.utf8)
        guard chars.count == 22, let last = chars.last, let i = alphabet.firstIndex(of: last) else { return salt }
        chars[21] = alphabet[i & 0x30]
        return String(decoding: chars, as: UTF8.self)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            if i + 1 < bytes.count { out.append(alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)]) }
            if i + 2 < bytes.count { out.append(alphabet[Int(b2 & 0x3F)]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes characters of `alphabet` (others count as 0), dropping incomplete bits.
    static func decode(_ chars: [UInt8]) -> [UInt8] {
        let values = chars.map { c in UInt32(alphabet.firstIndex(of: c) ?? 0) }
        var out: [UInt8] = []
        var acc: UInt32 = 0, bits = 0
        for v in values {
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }
}
