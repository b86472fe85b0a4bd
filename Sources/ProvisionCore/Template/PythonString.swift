/// Python's `str` methods that templates use, with Python's edge cases (`split()` with no
/// separator drops empty fields; `strip()` with no argument strips whitespace).
enum PythonString {
    /// Python's str is a sequence of code points, not of Swift's grapheme clusters: `len`,
    /// indexes, slices and searches count Unicode scalars (`'e\u0301'` has length 2).
    static func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

    static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// The most characters a width, precision or padding a template asks for may add: past it
    /// an error, so `'{:99999999999}'` or `indent(10**12)` cannot exhaust the controller.
    static let maxWidth = 10_000_000

    /// `n` as a padding count (negative is none, as Python's `' ' * -1`), or an error past `maxWidth`.
    static func width(_ n: Int, _ what: String) throws -> Int {
        guard n <= maxWidth else { throw TemplateError.evaluation("\(what) \(n) is past provision's limit of \(maxWidth) characters", at: nil) }
        return max(0, n)
    }

    /// Every number in a format spec (`%-10.3f`, `{:>20,.2f}`) within `maxWidth`.
    static func checkSpecNumbers(_ spec: String) throws {
        for run in spec.split(whereSeparator: { !$0.isASCII || !$0.isNumber }) where (Int(run) ?? Int.max) > maxWidth {
            throw TemplateError.evaluation("the width or precision \(run) is past provision's limit of \(maxWidth) characters", at: nil)
        }
    }

    /// `str.ljust`/`rjust`/`center` (`method`) to `width` code points; center puts the odd
    /// fill character on the left when the width is odd, as Python does.
    static func justify(_ method: String, _ s: String, width: Int, fill: String) -> String {
        let pad = max(0, width - s.unicodeScalars.count)
        switch method {
        case "ljust": return s + String(repeating: fill, count: pad)
        case "rjust": return String(repeating: fill, count: pad) + s
        default:
            let left = pad / 2 + (pad & width & 1)
            return String(repeating: fill, count: left) + s + String(repeating: fill, count: pad - left)
        }
    }

    /// `str.count(sub)`: non-overlapping occurrences, counted over code points.
    static func count(_ s: String, _ sub: String) -> Int {
        let a = scalars(s), b = scalars(sub)
        guard !b.isEmpty else { return a.count + 1 }
        var n = 0, i = 0
        while i + b.count <= a.count {
            if a[i..<(i + b.count)].elementsEqual(b) { n += 1; i += b.count } else { i += 1 }
        }
        return n
    }

    /// The scalar offset of the first (or last) occurrence of `sub` in `s`, as `str.find`.
    static func find(_ s: String, _ sub: String, last: Bool = false) -> Int? {
        let a = scalars(s), b = scalars(sub)
        guard b.count <= a.count else { return nil }
        let candidates = Array(0...(a.count - b.count))
        return (last ? candidates.reversed() : candidates).first { a[$0..<($0 + b.count)].elementsEqual(b) }
    }

    static func split(_ s: String, separator: String?, maxSplits: Int = -1) -> [String] {
        guard let separator, !separator.isEmpty else {
            var out: [String] = []
            var rest = Substring(s)
            while true {
                rest = rest.drop { $0.isWhitespace }
                if rest.isEmpty { return out }
                if maxSplits >= 0, out.count == maxSplits { out.append(String(rest)); return out }
                let word = rest.prefix { !$0.isWhitespace }
                out.append(String(word))
                rest = rest.dropFirst(word.count)
            }
        }
        var out: [String] = []
        var rest = Substring(s)
        while maxSplits < 0 || out.count < maxSplits, let r = rest.range(of: separator) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }

    static func strip(_ s: String, _ chars: String?, leading: Bool = true, trailing: Bool = true) -> String {
        let set: (Character) -> Bool = chars.map { cs in { cs.contains($0) } } ?? { $0.isWhitespace }
        var sub = Substring(s)
        if leading { sub = sub.drop(while: set) }
        if trailing { while let last = sub.last, set(last) { sub = sub.dropLast() } }
        return String(sub)
    }

    static func replace(_ s: String, _ old: String, _ new: String, count: Int = -1) -> String {
        if count < 0 { return old.isEmpty ? s : s.replacingOccurrences(of: old, with: new) }
        var out = ""
        var rest = Substring(s)
        var done = 0
        while done < count, !old.isEmpty, let r = rest.range(of: old) {
            out += rest[..<r.lowerBound] + new
            rest = rest[r.upperBound...]
            done += 1
        }
        return out + rest
    }

    static func capitalize(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst().lowercased()
    }

    static func title(_ s: String) -> String {
        var out = ""
        var previousIsLetter = false
        for c in s {
            out += previousIsLetter ? c.lowercased() : c.uppercased()
            previousIsLetter = c.isLetter
        }
        return out
    }

    static func splitLines(_ s: String) -> [String] {
        var lines = s.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
