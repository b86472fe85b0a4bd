import Foundation

/// The orderings of Ansible's `version` test: `loose` (LooseVersion, the default), `strict`
/// (StrictVersion; also `strict=true`), `semver`/`semantic` (SemanticVersion) and `pep440`.
/// A version the chosen scheme cannot read is an error, as in Ansible.
enum VersionOrdering {
    struct Invalid: Error { let message: String }

    static func compare(_ a: String, _ b: String, type: String) throws -> ComparisonResult {
        switch type {
        case "loose":
            let (x, y) = (looseParts(a), looseParts(b))
            // Python compares the two lists item by item: a number against a word at the same
            // place is a TypeError there ('OpenSSH_8.9p1' against '7.4'), never an order.
            if let i = (0..<min(x.count, y.count)).first(where: { x[$0] != y[$0] }) {
                switch (x[i], y[i]) {
                case (.int, .string), (.string, .int):
                    let names = [x[i], y[i]].map { if case .int = $0 { return "int" } else { return "str" } }
                    throw Invalid(message: "Version comparison failed: '<' not supported between instances of '\(names[0])' and '\(names[1])'")
                default: break
                }
            }
            return compareParts(x, y)
        case "strict": return compareParts(try strictKey(a), try strictKey(b))
        case "semver", "semantic": return try compareSemver(a, b)
        case "pep440": return compareParts(try pep440Key(a), try pep440Key(b))
        default: throw Invalid(message: "unknown version_type '\(type)' (loose, strict, semver, semantic, pep440)")
        }
    }

    /// LooseVersion: runs of digits as numbers, runs of letters as text.
    static func looseParts(_ s: String) -> [Value] {
        var parts: [Value] = [], current = "", currentIsDigit = false
        func flush() {
            guard !current.isEmpty else { return }
            parts.append(currentIsDigit ? (Int(current).map(Value.int) ?? .string(current)) : .string(current))
            current = ""
        }
        for c in s {
            if c.isASCII, c.isNumber {
                if !currentIsDigit { flush() }
                currentIsDigit = true
                current.append(c)
            } else if c.isLetter {
                if currentIsDigit { flush() }
                currentIsDigit = false
                current.append(c)
            } else { flush() }
        }
        flush()
        return parts
    }

    static func compareParts(_ lhs: [Value], _ rhs: [Value]) -> ComparisonResult {
        for i in 0..<max(lhs.count, rhs.count) {
            guard i < lhs.count else { return .orderedAscending }
            guard i < rhs.count else { return .orderedDescending }
            let r = comparePart(lhs[i], rhs[i])
            if r != .orderedSame { return r }
        }
        return .orderedSame
    }

    private static func comparePart(_ a: Value, _ b: Value) -> ComparisonResult {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y ? .orderedAscending : (x > y ? .orderedDescending : .orderedSame)
        case let (.string(x), .string(y)): return x < y ? .orderedAscending : (x > y ? .orderedDescending : .orderedSame)
        case (.int, _): return .orderedDescending
        default: return .orderedAscending
        }
    }

    private static func groups(_ s: String, _ pattern: String) -> [String?]? {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) else { return nil }
        return (0..<m.numberOfRanges).map { i in Range(m.range(at: i), in: s).map { String(s[$0]) } }
    }

    /// StrictVersion: N.N[.N] with an optional aN/bN pre-release, which sorts before the release.
    private static func strictKey(_ s: String) throws -> [Value] {
        guard let g = groups(s, #"^(\d+)\.(\d+)(\.(\d+))?([ab])?(\d+)?$"#), (g[5] == nil) == (g[6] == nil) else {
            throw Invalid(message: "invalid version number '\(s)'")
        }
        let n = { (x: String?) in Value.int(Int(x ?? "0") ?? 0) }
        let pre: [Value] = g[5].map { [.int(0), .string($0), n(g[6])] } ?? [.int(1)]
        return [n(g[1]), n(g[2]), n(g[4])] + pre
    }

    /// PEP 440 (the common forms): release, then dev < aN < bN < rcN < release < postN.
    private static func pep440Key(_ raw: String) throws -> [Value] {
        let s = raw.lowercased()
        guard let g = groups(s, #"^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?(?:[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?$"#),
              let release = g[1] else { throw Invalid(message: "invalid PEP 440 version '\(raw)'") }
        var nums = release.split(separator: ".").map { Int($0) ?? 0 }
        while nums.count > 1, nums.last == 0 { nums.removeLast() }
        var key: [Value] = nums.map(Value.int) + Array(repeating: .int(0), count: max(0, 8 - nums.count))
        let preRank: [String: Int] = ["a": 1, "alpha": 1, "b": 2, "beta": 2, "c": 3, "rc": 3, "pre": 3, "preview": 3]
        if let p = g[2] { key += [.int(preRank[p] ?? 3), .int(Int(g[3] ?? "") ?? 0)] }
        else if g[6] != nil, g[4] == nil { key += [.int(0), .int(0)] }
        else { key += [.int(4), .int(0)] }
        key.append(.int(g[4] != nil ? 1 + (Int(g[5] ?? "") ?? 0) : 0))
        key.append(.int(g[6] != nil ? Int(g[7] ?? "") ?? 0 : Int.max))
        return key
    }

    private static func compareSemver(_ a: String, _ b: String) throws -> ComparisonResult {
        func parse(_ s: String) throws -> ([Int], [String]?) {
            guard let g = groups(s, #"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"#) else {
                throw Invalid(message: "invalid semantic version '\(s)'")
            }
            return ([g[1], g[2], g[3]].map { Int($0 ?? "0") ?? 0 }, g[4].map { $0.split(separator: ".").map(String.init) })
        }
        let (x, xp) = try parse(a), (y, yp) = try parse(b)
        let core = compareParts(x.map(Value.int), y.map(Value.int))
        if core != .orderedSame { return core }
        switch (xp, yp) {
        case (nil, nil): return .orderedSame
        case (nil, _): return .orderedDescending
        case (_, nil): return .orderedAscending
        case let (p?, q?):
            // Numeric identifiers sort below alphanumeric ones.
            let key = { (ids: [String]) in ids.map { Int($0).map(Value.int) ?? .string($0) } }
            let l = key(p), r = key(q)
            for i in 0..<max(l.count, r.count) {
                guard i < l.count else { return .orderedAscending }
                guard i < r.count else { return .orderedDescending }
                let c: ComparisonResult
                switch (l[i], r[i]) {
                case (.int, .string): c = .orderedAscending
                case (.string, .int): c = .orderedDescending
                default: c = comparePart(l[i], r[i])
                }
                if c != .orderedSame { return c }
            }
            return .orderedSame
        }
    }
}
