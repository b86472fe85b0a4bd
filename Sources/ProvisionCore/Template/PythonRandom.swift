import Crypto
import Foundation

/// Python's `random.Random(seed)` (CPython 3's Mersenne Twister, MT19937, seeded as
/// `random.seed` version 2 does), so `{{ 59 | random(seed=inventory_hostname) }}` and
/// `shuffle(seed=…)` pick what Ansible picks on every host. Only the parts those filters use:
/// `getrandbits`, `_randbelow`, `randrange`, `choice`, `shuffle`.
struct PythonRandom {
    private var mt = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// A str seed is hashed as Python does (its UTF-8 bytes followed by their SHA-512, read as
    /// one big-endian integer); an int seed is its absolute value.
    /// Python's `hash(x)` of a float: x = n·2^e as a residue modulo the Mersenne prime
    /// 2^61 − 1 (where 2^61 ≡ 1, so dividing by 2 is a rotation), signed, −1 made −2.
    static func pythonHash(_ x: Double) -> Int64 {
        if x.isInfinite { return x > 0 ? 314_159 : -314_159 }
        let modulus: UInt64 = (1 << 61) - 1
        let mantissa = x.magnitude.significandBitPattern | (x.magnitude.isNormal ? 1 << 52 : 0)
        var e = Int(x.magnitude.exponent) - 52
        if !x.magnitude.isNormal { e = -1074 }
        if x == 0 { return 0 }
        var h = mantissa % modulus
        let shift = ((e % 61) + 61) % 61
        for _ in 0..<shift {  // h · 2 mod (2^61 − 1): a 61-bit rotation
            h = ((h << 1) & modulus) | (h >> 60)
        }
        var signed = Int64(h)
        if x < 0 { signed = -signed }
        return signed == -1 ? -2 : signed
    }

    init(seed: Value) throws {
        var magnitude: [UInt8]  // big-endian bytes of the seed integer
        switch seed {
        case .string(let s):
            let bytes = Array(s.utf8)
            magnitude = bytes + Array(SHA512.hash(data: bytes))
        case .int(let i):
            var m = i.magnitude
            magnitude = []
            while m > 0 { magnitude.insert(UInt8(m & 0xff), at: 0); m >>= 8 }
        case .bool(let b):
            magnitude = b ? [1] : []
        case .double(let d) where !d.isNaN:
            // Python seeds with hash(float) cast to an unsigned size_t (not its absolute value).
            var m = UInt64(bitPattern: Self.pythonHash(d))
            magnitude = []
            while m > 0 { magnitude.insert(UInt8(m & 0xff), at: 0); m >>= 8 }
        default:
            throw TemplateError.evaluation("a seed must be a string or an integer to pick as Python's random does")
        }
        while magnitude.first == 0 { magnitude.removeFirst() }
        // The integer as 32-bit words, least significant first (at least one word).
        var key: [UInt32] = []
        var bytes = Array(magnitude.reversed())
        while bytes.count % 4 != 0 { bytes.append(0) }
        for w in stride(from: 0, to: bytes.count, by: 4) {
            key.append(UInt32(bytes[w]) | UInt32(bytes[w + 1]) << 8 | UInt32(bytes[w + 2]) << 16 | UInt32(bytes[w + 3]) << 24)
        }
        if key.isEmpty { key = [0] }
        initByArray(key)
    }

    private mutating func initGenrand(_ s: UInt32) {
        mt[0] = s
        for i in 1..<624 { mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i) }
        index = 624
    }

    private mutating func initByArray(_ key: [UInt32]) {
        initGenrand(19_650_218)
        var i = 1, j = 0
        for _ in 0..<max(624, key.count) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(truncatingIfNeeded: j)
            i += 1; j += 1
            if i >= 624 { mt[0] = mt[623]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 { mt[0] = mt[623]; i = 1 }
        }
        mt[0] = 0x8000_0000
    }

    private mutating func nextWord() -> UInt32 {
        if index >= 624 {
            func twist(_ a: UInt32, _ b: UInt32, _ c: UInt32) -> UInt32 {
                let y = (a & 0x8000_0000) | (b & 0x7fff_ffff)
                return c ^ (y >> 1) ^ ((y & 1) == 1 ? 0x9908_b0df : 0)
            }
            for k in 0..<(624 - 397) { mt[k] = twist(mt[k], mt[k + 1], mt[k + 397]) }
            for k in (624 - 397)..<623 { mt[k] = twist(mt[k], mt[k + 1], mt[k + 397 - 624]) }
            mt[623] = twist(mt[623], mt[0], mt[396])
            index = 0
        }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `getrandbits(k)` for k ≤ 64: words least significant first, the last one shifted.
    mutating func getrandbits(_ k: Int) -> UInt64 {
        if k <= 0 { return 0 }
        if k <= 32 { return UInt64(nextWord() >> UInt32(32 - k)) }
        var result: UInt64 = 0, shift: UInt64 = 0, left = k
        while left > 0 {
            var r = nextWord()
            if left < 32 { r >>= UInt32(32 - left) }
            result |= UInt64(r) << shift
            shift += 32
            left -= 32
        }
        return result
    }

    /// `_randbelow(n)`: rejection sampling over n's bit length.
    mutating func below(_ n: Int) -> Int {
        guard n > 0 else { return 0 }
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = getrandbits(k)
        while r >= UInt64(n) { r = getrandbits(k) }
        return Int(r)
    }

    /// `randrange(start, stop, step)`; nil for an empty range.
    mutating func randrange(_ start: Int, _ stop: Int, _ step: Int) throws -> Int? {
        // In 128 bits: far-apart ends would overflow an Int.
        let (a, b, c) = (Int128(start), Int128(stop), Int128(step))
        guard c != 0 else { return nil }
        let n = c > 0 ? (b - a + c - 1) / c : (b - a + c + 1) / c
        guard n > 0 else { return nil }
        guard n <= Int128(Int.max) else {
            throw TemplateError.evaluation("random: a range of \(n) values is past what provision draws from", at: nil)
        }
        return Int(a + c * Int128(below(Int(n))))
    }

    /// `shuffle(x)`: Fisher–Yates from the end, as Python's.
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, through: 1, by: -1) { items.swapAt(i, below(i + 1)) }
    }
}
