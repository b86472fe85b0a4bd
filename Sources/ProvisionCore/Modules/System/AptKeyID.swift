import Foundation

/// Key ids as Ansible's `apt_key` reads them: the id a user gives (8, 16 or more hex digits,
/// optional `0x`) split into the short id `apt-key del` takes and the 16-digit id compared with
/// the keyring's listing, and the key ids found in `gpg`/`apt-key` listings.
enum AptKeyID {
    struct Parsed: Equatable {
        /// The last 8 hex digits.
        var short: String
        /// The last 16 hex digits (the whole id when shorter).
        var fingerprint: String
        /// The id upper-cased without `0x`.
        var keyID: String
    }

    /// Splits a user's key id; nil when it is not hex or of a length apt-key cannot use.
    static func parse(_ raw: String) -> Parsed? {
        var id = raw.trimmingCharacters(in: .whitespaces).uppercased()
        if id.hasPrefix("0X") { id.removeFirst(2) }
        guard !id.isEmpty, id.allSatisfy(\.isHexDigit) else { return nil }
        guard id.count == 8 || id.count >= 16 else { return nil }
        return Parsed(short: String(id.suffix(8)), fingerprint: String(id.suffix(16)), keyID: id)
    }

    /// The key ids of the `pub`/`sub` lines of a listing that are not expired: the
    /// `TYPE/ID` word of `apt-key adv --list-public-keys --keyid-format=long`, or field 5 of
    /// `gpg --with-colons`. `short` keeps the last 8 digits of each.
    static func listed(in output: String, short: Bool = false) -> [String] {
        var found: [String] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("pub") || line.hasPrefix("sub"), !line.contains("expired") else { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count > 1 {
                let parts = words[1].split(separator: "/", omittingEmptySubsequences: false)
                if parts.count == 2 { found.append(String(parts[1])); continue }
            }
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count > 4 { found.append(String(fields[4])) }
        }
        return short ? found.map { String($0.suffix(8)) } : found
    }
}
