import Crypto
import Foundation

/// The SHA-256/SHA-512 crypt schemes (`$5$`, `$6$`, Ulrich Drepper's specification), as glibc's
/// crypt and passlib write them: what `password_hash('sha512', salt)` returns.
enum SHACrypt {
    static let alphabet = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    enum Variant {
        case sha256, sha512
        var id: String { self == .sha256 ? "5" : "6" }
        var size: Int { self == .sha256 ? 32 : 64 }
    }

    static func hash(_ variant: Variant, _ f: [UInt8]) -> [UInt8] {
        switch variant {
        case .sha256: return Array(SHA256.hash(data: f))
        case .sha512: return Array(SHA512.hash(data: f))
        }
    }

    /// `$<id>$[rounds=N$]<salt>$<hash>`; `rounds=` is written unless it is the scheme's
    /// implicit 5000, as passlib and glibc do.
    static func crypt(_ password: String, salt saltText: String, rounds: Int, variant: Variant) -> String {
        let p = Array(password.utf8)
        let s = Array(saltText.utf8.prefix(16))
        let n = variant.size
        let b = hash(variant, p + s + p)
        var a = p + s
        var remaining = p.count
        while remaining > n { a += b; remaining -= n }
        a += b[0..<remaining]
        var bits = p.count
        while bits > 0 {
            a += (bits & 1) == 1 ? b : p
            bits >>= 1
        }
        var digest = hash(variant, a)
        let dp = hash(variant, Array([[UInt8]](repeating: p, count: p.count).joined()))
        let pBytes = repeated(dp, to: p.count)
        let ds = hash(variant, Array([[UInt8]](repeating: s, count: 16 + Int(digest[0])).joined()))
        let sBytes = repeated(ds, to: s.count)
        var c: [UInt8] = []
        c.reserveCapacity(n * 2 + p.count * 3 + s.count)
        for i in 0..<rounds {
            c.removeAll(keepingCapacity: true)
            if i & 1 == 1 { c += pBytes } else { c += digest }
            if i % 3 != 0 { c += sBytes }
            if i % 7 != 0 { c += pBytes }
            if i & 1 == 1 { c += digest } else { c += pBytes }
            digest = hash(variant, c)
        }
        var out = "$\(variant.id)$"
        if rounds != 5000 { out += "rounds=\(rounds)$" }
        out += String(decoding: s, as: UTF8.self) + "$"
        out += encode(digest, variant)
        return out
    }

    private static func repeated(_ block: [UInt8], to count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count { out += block.prefix(count - out.count) }
        return out
    }

    /// The scheme's base64 with its own byte order.
    private static func encode(_ d: [UInt8], _ variant: Variant) -> String {
        var out: [UInt8] = []
        func put(_ b2: UInt8, _ b1: UInt8, _ b0: UInt8, _ count: Int) {
            var w = (UInt32(b2) << 16) | (UInt32(b1) << 8) | UInt32(b0)
            for _ in 0..<count {
                out.append(alphabet[Int(w & 0x3f)])
                w >>= 6
            }
        }
        switch variant {
        case .sha512:
            // Triples (t, t+21, t+42), rotated left by t % 3: (0,21,42), (22,43,1), (44,2,23), …
            for t in 0..<21 {
                let x = [d[t], d[t + 21], d[t + 42]]
                let r = t % 3
                put(x[r], x[(r + 1) % 3], x[(r + 2) % 3], 4)
            }
            put(0, 0, d[63], 2)
        case .sha256:
            var i = 0, j = 10, k = 20
            for _ in 0..<10 {
                put(d[i], d[j], d[k], 4)
                (i, j, k) = ((k + 1) % 30, (i + 1) % 30, (j + 1) % 30)
            }
            put(0, d[31], d[30], 3)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
