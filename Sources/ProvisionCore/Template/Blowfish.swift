/// Blowfish with bcrypt's expensive key schedule (EksBlowfish, Provos and Mazières 1999):
/// the cipher state bcrypt hashes with. One buffer holds the P-array (words 0–17) and the
/// four S-boxes (256 words each), starting from the digits of pi (`piWords`).
///
/// The loops work on an unsafe pointer: bcrypt's default cost runs about four million block
/// encryptions, which must stay bearable in a debug build too.
struct Blowfish {
    private var state: [UInt32] = Blowfish.piWords

    /// `ExpandKey(state, salt, key)` (`salt` empty: the plain Blowfish key schedule):
    /// the key's bytes, cycled, are XORed into P; then P and the S-boxes are replaced by the
    /// running encryption of the salt's words, cycled. `firstWordFlip` is XORed into P[0]
    /// with the key (crypt_blowfish's `$2a$` countermeasure; 0 otherwise).
    mutating func expand(key: [UInt8], salt: [UInt8], firstWordFlip: UInt32 = 0) {
        var k = 0
        let keyWords = (0..<18).map { _ in Self.word(key, &k) }
        var j = 0
        let saltWords = salt.isEmpty ? [] : (0..<4).map { _ in Self.word(salt, &j) }
        state.withUnsafeMutableBufferPointer { buffer in
            guard let s = buffer.baseAddress else { return }
            for i in 0..<18 { s[i] ^= keyWords[i] }
            s[0] ^= firstWordFlip
            var l: UInt32 = 0, r: UInt32 = 0
            var i = 0, w = 0
            while i < 1042 {
                if !saltWords.isEmpty {
                    l ^= saltWords[w]
                    r ^= saltWords[w + 1]
                    w ^= 2
                }
                Self.encipher(s, &l, &r)
                s[i] = l
                s[i + 1] = r
                i += 2
            }
        }
    }

    /// Encrypts the 64-bit blocks (pairs of words) in place, ECB.
    mutating func encrypt(_ blocks: inout [UInt32]) {
        state.withUnsafeMutableBufferPointer { buffer in
            guard let s = buffer.baseAddress else { return }
            var i = 0
            while i + 1 < blocks.count {
                var l = blocks[i], r = blocks[i + 1]
                Self.encipher(s, &l, &r)
                blocks[i] = l
                blocks[i + 1] = r
                i += 2
            }
        }
    }

    /// The next four bytes of `data`, cycled, as a big-endian word.
    private static func word(_ data: [UInt8], _ at: inout Int) -> UInt32 {
        var w: UInt32 = 0
        for _ in 0..<4 {
            if at >= data.count { at = 0 }
            w = w << 8 | UInt32(data[at])
            at += 1
        }
        return w
    }

    /// Sixteen rounds, two per turn, with the final swap folded in; Blowfish's F written out
    /// (a call per round costs a debug build dearly).
    @inline(__always)
    private static func encipher(_ p: UnsafeMutablePointer<UInt32>, _ left: inout UInt32, _ right: inout UInt32) {
        let s0 = p + 18, s1 = p + 274, s2 = p + 530, s3 = p + 786
        var l = left ^ p[0], r = right
        var n = 1
        while n < 17 {
            r ^= (((s0[Int(l >> 24)] &+ s1[Int((l >> 16) & 0xFF)]) ^ s2[Int((l >> 8) & 0xFF)]) &+ s3[Int(l & 0xFF)]) ^ p[n]
            l ^= (((s0[Int(r >> 24)] &+ s1[Int((r >> 16) & 0xFF)]) ^ s2[Int((r >> 8) & 0xFF)]) &+ s3[Int(r & 0xFF)]) ^ p[n + 1]
            n += 2
        }
        left = r ^ p[17]
        right = l
    }
}
