import Crypto
import Foundation

/// The `$1$` MD5-crypt scheme (Poul-Henning Kamp's, as glibc and passlib's md5_crypt compute
/// it), for `password_hash('md5')`: 1000 rounds of MD5 over the password and a salt of at most
/// 8 characters.
enum MD5Crypt {
    static func crypt(_ password: String, salt saltText: String) -> String {
        let pw = Array(password.utf8), salt = Array(saltText.utf8.prefix(8)), magic = Array("$1$".utf8)
        func md5(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.MD5.hash(data: bytes)) }
        let alternate = md5(pw + salt + pw)
        var ctx = pw + magic + salt
        var left = pw.count
        while left > 0 {
            ctx += alternate.prefix(min(16, left))
            left -= 16
        }
        var bits = pw.count
        while bits > 0 {
            ctx.append(bits & 1 == 1 ? 0 : (pw.first ?? 0))
            bits >>= 1
        }
        var final = md5(ctx)
        for i in 0..<1000 {
            var round: [UInt8] = i & 1 == 1 ? pw : final
            if i % 3 != 0 { round += salt }
            if i % 7 != 0 { round += pw }
            round += i & 1 == 1 ? final : pw
            final = md5(round)
        }
        var out = "$1$" + String(decoding: salt, as: UTF8.self) + "$"
        func put(_ value: Int, _ count: Int) {
            var v = value
            for _ in 0..<count {
                out.append(Character(UnicodeScalar(SHACrypt.alphabet[v & 0x3f])))
                v >>= 6
            }
        }
        for (a, b, c) in [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)] {
            put(Int(final[a]) << 16 | Int(final[b]) << 8 | Int(final[c]), 4)
        }
        put(Int(final[11]), 2)
        return out
    }
}
