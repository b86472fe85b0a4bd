/// Ansible's `passlib_or_crypt` as ansible-core 2.14 runs it with passlib installed (what
/// `password_hash` and the password lookup's `encrypt=` call): passlib's checks of the secret,
/// salt, salt size, rounds and ident, Ansible's implicit rounds and bcrypt ident, then the
/// scheme itself. Every check that passlib fails is an error here too.
enum PasswordHash {
    struct Failure: Error {
        let message: String
    }

    /// The schemes provision computes, by passlib's names.
    enum Scheme: String {
        case md5Crypt = "md5_crypt", sha256Crypt = "sha256_crypt", sha512Crypt = "sha512_crypt", bcrypt

        /// `BaseHash.algorithms`' salt size: the random salt's length and the longest one.
        var saltSize: Int {
            switch self {
            case .md5Crypt: return 8
            case .sha256Crypt, .sha512Crypt: return 16
            case .bcrypt: return 22
            }
        }

        /// The rounds Ansible passes when none are given (passlib's defaults vary by version).
        var implicitRounds: Int? {
            switch self {
            case .md5Crypt: return nil
            case .sha256Crypt: return 535_000
            case .sha512Crypt: return 656_000
            case .bcrypt: return 12
            }
        }

        var roundsRange: ClosedRange<Int> { self == .bcrypt ? 4...31 : 1000...999_999_999 }
    }

    /// passlib's `MAX_PASSWORD_SIZE`.
    static let maxSecretBytes = 4096

    /// The hash of `secret`. `salt`, `saltSize` and `rounds` count only when truthy, as
    /// Ansible reads them; `ident` only for bcrypt (Ansible drops it for the others).
    static func hash(_ secret: String, scheme: Scheme, salt: String?, saltSize: Int?, rounds: Int?, ident: String?) throws -> String {
        let bytes = Array(secret.utf8)
        guard bytes.count <= maxSecretBytes else { throw Failure(message: "password exceeds maximum allowed size") }
        if bytes.contains(0) {
            throw Failure(message: scheme == .bcrypt ? "bcrypt does not allow NULL bytes in password" : "null character in secret")
        }
        if let saltSize {
            if scheme == .bcrypt, saltSize != 22 { throw Failure(message: "bcrypt: salt_size (\(saltSize)) must be exactly 22") }
            if saltSize < 0 { throw Failure(message: "\(scheme.rawValue): salt_size (\(saltSize)) below min_salt_size (0)") }
            if saltSize > scheme.saltSize {
                throw Failure(message: "\(scheme.rawValue): salt_size (\(saltSize)) above max_salt_size (\(scheme.saltSize))")
            }
        }
        let theSalt = try checkedSalt(salt, scheme) ?? randomSalt(scheme, size: saltSize ?? scheme.saltSize)
        if scheme == .md5Crypt {
            if rounds != nil { throw Failure(message: "md5_crypt takes no rounds") }
            return MD5Crypt.crypt(secret, salt: theSalt)
        }
        let n = rounds ?? scheme.implicitRounds ?? 0
        guard n >= scheme.roundsRange.lowerBound else {
            throw Failure(message: "\(scheme.rawValue): min_desired_rounds (\(n)) is too low, must be at least \(scheme.roundsRange.lowerBound)")
        }
        guard n <= scheme.roundsRange.upperBound else {
            throw Failure(message: "\(scheme.rawValue): min_desired_rounds (\(n)) is too large, cannot be more than \(scheme.roundsRange.upperBound)")
        }
        switch scheme {
        case .bcrypt:
            let id = try ident.map { given in
                guard let id = BCrypt.idents[given] else { throw Failure(message: "invalid ident: '\(given)'") }
                return id
            } ?? "2b"
            let cost = n < 10 ? "0\(n)" : "\(n)"
            return "$\(id)$\(cost)$\(theSalt)" + BCrypt.checksum(bytes, ident: id, cost: n, salt: theSalt)
        case .sha256Crypt: return SHACrypt.crypt(secret, salt: theSalt, rounds: n, variant: .sha256)
        default: return SHACrypt.crypt(secret, salt: theSalt, rounds: n, variant: .sha512)
        }
    }

    /// A given salt as passlib takes it: ASCII, the scheme's alphabet, at most its size
    /// (bcrypt: exactly 22, the last character's unused bits cleared).
    private static func checkedSalt(_ salt: String?, _ scheme: Scheme) throws -> String? {
        guard let salt, !salt.isEmpty else { return nil }
        let alphabet = scheme == .bcrypt ? BCrypt.alphabet : SHACrypt.alphabet
        guard salt.utf8.allSatisfy({ alphabet.contains($0) }) else {
            throw Failure(message: "invalid characters in \(scheme.rawValue) salt")
        }
        let count = salt.utf8.count
        if scheme == .bcrypt {
            guard count == 22 else {
                throw Failure(message: "salt too \(count < 22 ? "small" : "large") (bcrypt requires exactly 22 chars)")
            }
            return BCrypt.repairedSalt(salt)
        }
        guard count <= scheme.saltSize else {
            throw Failure(message: "salt too large (\(scheme.rawValue) requires <= \(scheme.saltSize) chars)")
        }
        return salt
    }

    /// passlib's generated salt: `size` characters of the scheme's alphabet.
    private static func randomSalt(_ scheme: Scheme, size: Int) -> String {
        let alphabet = scheme == .bcrypt ? BCrypt.alphabet : SHACrypt.alphabet
        var rng = SystemRandomNumberGenerator()
        let salt = String(decoding: (0..<size).map { _ in alphabet[Int(rng.next(upperBound: UInt(alphabet.count)))] }, as: UTF8.self)
        return scheme == .bcrypt ? BCrypt.repairedSalt(salt) : salt
    }
}
