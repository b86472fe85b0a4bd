import Crypto
import Foundation

/// A known_hosts file read the way OpenSSH reads it: plain and hashed (`|1|salt|hash`) names,
/// `[host]:port`, comma-separated patterns with `*`, `?` and `!`, comments, `@revoked` and
/// `@cert-authority` markers. Lines it cannot parse are skipped, not the rest of the file, and
/// listed in `unparsedLines` so the operator is told once (`KnownHostsFile+Warning.swift`).
struct KnownHostsFile {
    /// One usable line of the file. The key stays in its base64 text until needed: comparing
    /// text is enough to match, and decoding every line of a large file costs CPU per host.
    struct Entry {
        enum Marker { case none, revoked, certAuthority }
        var line: Int
        var marker: Marker
        var hosts: String
        var keyType: String
        var keyBase64: String

        /// Whether this line names `name` (already in known_hosts form).
        func matches(_ name: String) -> Bool { KnownHostsFile.hostField(hosts, matches: name) }

        /// Whether this line holds `key` (given with its base64 text, computed once by the caller).
        func holds(_ key: HostKey, base64: String) -> Bool { keyBase64 == base64 && keyType == key.type }

        /// The decoded key, for fingerprints in messages.
        var key: HostKey? { Data(base64Encoded: keyBase64).map(HostKey.init(blob:)) }
    }

    var path: String
    var entries: [Entry] { didSet { index = Index(entries) } }
    /// Line numbers (1-based) that are neither blank, a comment nor a usable entry.
    var unparsedLines: [Int] = []
    /// Finds the lines for a name without testing every line: a file is read once per run and
    /// asked once per host, so a scan per host would make a run quadratic in the file size.
    private var index: Index

    /// Reads `path`; a missing file is an empty one.
    static func load(_ path: String) throws -> KnownHostsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            return KnownHostsFile(path: path, entries: [])
        }
        return KnownHostsFile(path: path, bytes: [UInt8](data))
    }

    init(path: String, entries: [Entry]) {
        self.path = path
        self.entries = entries
        self.index = Index(entries)
    }

    init(path: String, text: String) { self.init(path: path, bytes: Array(text.utf8)) }

    /// Parses bytes, not Characters: a known_hosts file is ASCII and this runs once per host.
    init(path: String, bytes: [UInt8]) {
        self.path = path
        var entries: [Entry] = []
        var unparsed: [Int] = []
        var lineNumber = 0
        var index = 0
        var fields: [Range<Int>] = []
        fields.reserveCapacity(5)
        while index < bytes.count {
            lineNumber += 1
            var end = index
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            fields.removeAll(keepingCapacity: true)
            var cursor = index
            while cursor < end && fields.count < 4 {
                while cursor < end && Self.isBlank(bytes[cursor]) { cursor += 1 }
                let start = cursor
                while cursor < end && !Self.isBlank(bytes[cursor]) { cursor += 1 }
                if cursor > start { fields.append(start..<cursor) }
            }
            index = end + 1
            guard let first = fields.first, bytes[first.lowerBound] != UInt8(ascii: "#") else { continue }
            var marker = Entry.Marker.none
            if bytes[first.lowerBound] == UInt8(ascii: "@") {
                switch String(decoding: bytes[first], as: UTF8.self) {
                case "@revoked": marker = .revoked
                case "@cert-authority": marker = .certAuthority
                default: unparsed.append(lineNumber); continue
                }
                fields.removeFirst()
            }
            // Every key blob starts with a 4-byte length below 2^24: base64 "AAAA".
            guard fields.count >= 3, bytes[fields[2]].starts(with: [0x41, 0x41, 0x41, 0x41]) else {
                unparsed.append(lineNumber)
                continue
            }
            entries.append(Entry(line: lineNumber, marker: marker,
                                 hosts: String(decoding: bytes[fields[0]], as: UTF8.self),
                                 keyType: String(decoding: bytes[fields[1]], as: UTF8.self),
                                 keyBase64: String(decoding: bytes[fields[2]], as: UTF8.self)))
        }
        self.entries = entries
        self.index = Index(entries)
        self.unparsedLines = unparsed
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    /// Lines that name `name` (known_hosts form, e.g. `[10.0.0.5]:2222`), in file order.
    func entries(for name: String) -> [Entry] {
        index.lines(for: name, in: entries).map { entries[$0] }
    }

    /// OpenSSH's host-field match: a hashed name, or patterns where any negated match wins.
    static func hostField(_ field: String, matches name: String) -> Bool {
        if field.hasPrefix("|1|") { return hashedField(field, matches: name) }
        // Fast path: a plain single name (the common case) is compared as is.
        if isPlainName(field) {
            return field == name || (field.utf8.count == name.utf8.count && field.lowercased() == name)
        }
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
        guard let (salt, hash) = decodeHashed(field) else { return false }
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
