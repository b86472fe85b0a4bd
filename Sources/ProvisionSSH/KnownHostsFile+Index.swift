import Crypto
import Foundation

extension KnownHostsFile {
    /// Where to look for a name: plain single-name lines by their lowercased name, hashed
    /// lines with salt and hash already decoded, and the few pattern lines, which are tested
    /// one by one. Answers exactly what testing every line with `Entry.matches` would.
    struct Index {
        private var plain: [String: [Int]] = [:]
        private var hashed: [(line: Int, salt: SymmetricKey, hash: Data)] = []
        private var patterns: [Int] = []

        init(_ entries: [Entry]) {
            for (i, entry) in entries.enumerated() {
                let field = entry.hosts
                if field.hasPrefix("|1|") {
                    // An undecodable hashed field never matches (as `hashedField` says).
                    if let (salt, hash) = KnownHostsFile.decodeHashed(field) {
                        hashed.append((i, SymmetricKey(data: salt), hash))
                    }
                } else if KnownHostsFile.isPlainName(field) {
                    plain[field.lowercased(), default: []].append(i)
                } else {
                    patterns.append(i)
                }
            }
        }

        /// Indices into `entries` of the lines naming `name`, ascending.
        func lines(for name: String, in entries: [Entry]) -> [Int] {
            var found = (plain[name.lowercased()] ?? []).filter { entries[$0].matches(name) }
            var extra = patterns.filter { entries[$0].matches(name) }
            if !hashed.isEmpty {
                let bytes = Data(name.utf8)
                for h in hashed
                where Data(HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: h.salt)) == h.hash {
                    extra.append(h.line)
                }
            }
            guard !extra.isEmpty else { return found }
            found += extra
            return found.sorted()
        }
    }

    /// A host field that is one name, without `,`, `*`, `?` or `!`.
    static func isPlainName(_ field: String) -> Bool {
        !field.utf8.contains { $0 == 0x2C || $0 == 0x2A || $0 == 0x3F || $0 == 0x21 }
    }

    /// Salt and hash of `|1|base64(salt)|base64(hash)`, or nil when malformed.
    static func decodeHashed(_ field: String) -> (Data, Data)? {
        let parts = field.split(separator: "|", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0] == "1",
              let salt = Data(base64Encoded: String(parts[1])),
              let hash = Data(base64Encoded: String(parts[2])) else { return nil }
        return (salt, hash)
    }
}
