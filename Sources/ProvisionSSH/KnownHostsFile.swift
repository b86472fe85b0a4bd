import Crypto
import Foundation

/// A known_hosts file read the way OpenSSH reads it: plain and hashed (`|1|salt|hash`) names,
/// `[host]:port`, comma-separated patterns with `*`, `?` and `!`, comments, `@revoked` and
/// `@cert-authority` markers. Lines it cannot parse are skipped, not the rest of the file.
struct KnownHostsFile {
    /// One usable line of the file.
    struct Entry {
        enum Marker { case none, revoked, certAuthority }
        var line: Int
        var marker: Marker
        var hosts: String
        var key: HostKey

        /// Whether this line names `name` (already in known_hosts form).
        func matches(_ name: String) -> Bool { KnownHostsFile.hostField(hosts, matches: name) }
    }

    var path: String
    var entries: [Entry]

    /// Reads `path`; a missing file is an empty one.
    static func load(_ path: String) throws -> KnownHostsFile {
        guard FileManager.default.fileExists(atPath: path) else {
            return KnownHostsFile(path: path, entries: [])
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return KnownHostsFile(path: path, text: String(decoding: data, as: UTF8.self))
    }

    init(path: String, entries: [Entry]) {
        self.path = path
        self.entries = entries
    }

    init(path: String, text: String) {
        self.path = path
        var entries: [Entry] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var marker = Entry.Marker.none
            if first.hasPrefix("@") {
                switch first {
                case "@revoked": marker = .revoked
                case "@cert-authority": marker = .certAuthority
                default: continue
                }
                fields.removeFirst()
            }
            guard fields.count >= 3, let blob = Data(base64Encoded: fields[2]) else { continue }
            let key = HostKey(blob: blob)
            guard key.type == fields[1] else { continue }
            entries.append(Entry(line: lineNumber, marker: marker, hosts: fields[0], key: key))
        }
        self.entries = entries
    }

    /// Lines that name `name` (known_hosts form, e.g. `[10.0.0.5]:2222`).
    func entries(for name: String) -> [Entry] { entries.filter { $0.matches(name) } }

    /// OpenSSH's host-field match: a hashed name, or patterns where any negated match wins.
    static func hostField(_ field: String, matches name: String) -> Bool {
        if field.hasPrefix("|1|") { return hashedField(field, matches: name) }
        var matched = false
        for pattern in field.split(separator: ",") {
            if pattern.hasPrefix("!") {
                if wildcard(String(pattern.dropFirst()).lowercased(), name) { return false }
            } else if wildcard(String(pattern).lowercased(), name) {
                matched = true
            }
        }
        return matched
    }

    /// `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`.
    static func hashedField(_ field: String, matches name: String) -> Bool {
        let parts = field.split(separator: "|", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0] == "1",
              let salt = Data(base64Encoded: String(parts[1])),
              let hash = Data(base64Encoded: String(parts[2])) else { return false }
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data(name.utf8),
                                                          using: SymmetricKey(data: salt))
        return Data(code) == hash
    }

    /// Glob match with `*` and `?` (OpenSSH's `match_pattern`).
    static func wildcard(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                starP = pi; starT = ti; pi += 1
            } else if starP >= 0 {
                pi = starP + 1; starT += 1; ti = starT
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
