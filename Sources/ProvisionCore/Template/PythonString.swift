/// Python's `str` methods that templates use, with Python's edge cases (`split()` with no
/// separator drops empty fields; `strip()` with no argument strips whitespace).
enum PythonString {
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
