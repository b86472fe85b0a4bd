/// A Python package version, ordered as PEP 440 orders the common forms: epoch, release
/// numbers (trailing zeros ignored), then pre-release (`a`, `b`, `rc`) < release < post
/// (`.postN`); dev releases sort before their pre/release. Local labels (`+x`) are ignored.
struct PipVersion: Comparable, Equatable {
    var epoch = 0
    var release: [Int] = []
    /// (rank, number): rank 0 a, 1 b, 2 rc; nil for a final release.
    var pre: (Int, Int)?
    var post: Int?
    var dev: Int?

    init?(_ raw: String) {
        var s = Substring(raw.lowercased().trimmingCharacters(in: .whitespaces))
        if s.hasPrefix("v") { s = s.dropFirst() }
        if let plus = s.firstIndex(of: "+") { s = s[..<plus] }
        if let bang = s.firstIndex(of: "!") {
            guard let e = Int(s[..<bang]) else { return nil }
            epoch = e
            s = s[s.index(after: bang)...]
        }
        var digits = ""
        while let c = s.first, c.isNumber || c == "." {
            digits.append(c)
            s = s.dropFirst()
        }
        // A dot before a label (`1.0.dev1`) belongs to the label.
        while digits.hasSuffix(".") { digits.removeLast(); s = "." + s }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard !digits.isEmpty, parts.allSatisfy({ Int($0) != nil }) else { return nil }
        release = parts.compactMap { Int($0) }
        func number(_ t: inout Substring) -> Int {
            while let c = t.first, c == "." || c == "-" || c == "_" { t = t.dropFirst() }
            var n = ""
            while let c = t.first, c.isNumber { n.append(c); t = t.dropFirst() }
            return Int(n) ?? 0
        }
        while !s.isEmpty {
            while let c = s.first, c == "." || c == "-" || c == "_" { s = s.dropFirst() }
            let labels: [(String, Int)] = [("alpha", 0), ("beta", 1), ("preview", 2), ("pre", 2), ("rc", 2), ("a", 0), ("b", 1), ("c", 2)]
            if let (label, rank) = labels.first(where: { s.hasPrefix($0.0) }) {
                s = s.dropFirst(label.count)
                pre = (rank, number(&s))
            } else if s.hasPrefix("post") || s.hasPrefix("rev") || s.hasPrefix("r") {
                s = s.dropFirst(s.hasPrefix("post") ? 4 : s.hasPrefix("rev") ? 3 : 1)
                post = number(&s)
            } else if s.hasPrefix("dev") {
                s = s.dropFirst(3)
                dev = number(&s)
            } else {
                return nil
            }
        }
    }

    private var trimmed: [Int] {
        var r = release
        while r.count > 1 && r.last == 0 { r.removeLast() }
        return r
    }

    /// The sort key: pre-release of a dev-only version sorts first, a final release after
    /// every pre-release, post releases after it.
    private var key: [Int] {
        var k = [epoch] + trimmed + [-1_000_000]
        if let (rank, n) = pre { k += [rank, n] } else if dev != nil && post == nil { k += [-1, 0] } else { k += [3, 0] }
        k += [post.map { $0 + 1 } ?? 0]
        k += [dev ?? Int.max]
        return k
    }

    static func == (a: PipVersion, b: PipVersion) -> Bool { a.key == b.key }
    static func < (a: PipVersion, b: PipVersion) -> Bool { a.key.lexicographicallyPrecedes(b.key) }
}
