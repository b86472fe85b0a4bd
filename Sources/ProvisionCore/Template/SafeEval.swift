import Foundation

/// Ansible 2.14's `safe_eval` step of non-native templating (not the INI inventory's stricter
/// `ast.literal_eval`, `PythonLiteral`): a rendered text that starts
/// with `{` or `[`, or is `True`/`False`, is read back as a Python literal (JSON's
/// `true`/`false`/`null` too); when it is not one, the text stays text. Covers what
/// `repr` of template values produces: lists, tuples, dicts, strings, numbers,
/// True/False/None.
struct SafeEval {
    private let s: [Unicode.Scalar]
    private var i = 0

    /// The value `text` reads as, or nil when it is not a literal (the caller keeps the text).
    static func parse(_ text: String) -> Value? {
        var p = SafeEval(s: Array(text.unicodeScalars))
        p.space()
        guard let v = p.value(depth: 0) else { return nil }
        p.space()
        // Not `? v : nil`: Value is ExpressibleByNilLiteral, so that nil would be `.null`.
        guard p.i == p.s.count else { return Optional<Value>.none }
        return v
    }

    private init(s: [Unicode.Scalar]) { self.s = s }

    private mutating func space() { while i < s.count, s[i] == " " || s[i] == "\n" || s[i] == "\t" || s[i] == "\r" { i += 1 } }

    private mutating func value(depth: Int) -> Value? {
        guard depth < 200, i < s.count else { return nil }
        switch s[i] {
        case "[", "(":
            let close: Unicode.Scalar = s[i] == "[" ? "]" : ")"
            i += 1
            var out: [Value] = []
            var comma = false
            // `(1)` is the number 1; `(1,)` and `()` are tuples.
            func closed() -> Value {
                guard close == ")" else { return .list(out) }
                return out.count == 1 && !comma ? out[0] : .tuple(out)
            }
            while true {
                space()
                if i < s.count, s[i] == close { i += 1; return closed() }
                guard let v = value(depth: depth + 1) else { return nil }
                out.append(v)
                space()
                guard i < s.count else { return nil }
                if s[i] == "," { i += 1; comma = true; continue }
                if s[i] == close { i += 1; return closed() }
                return nil
            }
        case "{":
            i += 1
            var out = ValueDict()
            while true {
                space()
                if i < s.count, s[i] == "}" { i += 1; return .dict(out) }
                guard let k = value(depth: depth + 1) else { return nil }
                // Keys keep their type, as literal_eval gives them (`{1: 'a'}` has the int 1).
                switch k {
                case .string, .int, .bool, .double, .null: break
                default: return nil
                }
                space()
                guard i < s.count, s[i] == ":" else { return nil }
                i += 1
                space()
                guard let v = value(depth: depth + 1) else { return nil }
                out[typedKey: k] = v
                space()
                guard i < s.count else { return nil }
                if s[i] == "," { i += 1; continue }
                if s[i] == "}" { i += 1; return .dict(out) }
                return nil
            }
        case "'", "\"": return string()
        default:
            return word() ?? number()
        }
    }

    private mutating func word() -> Value? {
        for (w, v) in [("True", Value.bool(true)), ("False", .bool(false)), ("None", .null),
                       ("true", .bool(true)), ("false", .bool(false)), ("null", .null)] {
            let u = Array(w.unicodeScalars)
            if i + u.count <= s.count, Array(s[i..<(i + u.count)]) == u {
                let next = i + u.count
                if next < s.count, s[next].properties.isAlphabetic || s[next] == "_" || ("0"..."9").contains(s[next]) { continue }
                i = next
                return v
            }
        }
        return nil
    }

    private mutating func number() -> Value? {
        let start = i
        if i < s.count, s[i] == "-" || s[i] == "+" { i += 1 }
        while i < s.count, ("0"..."9").contains(s[i]) || s[i] == "." || s[i] == "e" || s[i] == "E" || s[i] == "_"
                || ((s[i] == "-" || s[i] == "+") && (s[i - 1] == "e" || s[i - 1] == "E")) { i += 1 }
        let text = String(String.UnicodeScalarView(s[start..<i])).replacingOccurrences(of: "_", with: "")
        if let n = Int(text) { return .int(n) }
        if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let d = Double(text) { return .double(d) }
        i = start
        return nil
    }

    private mutating func string() -> Value? {
        let quote = s[i]
        i += 1
        var out = String.UnicodeScalarView()
        while i < s.count {
            let c = s[i]
            if c == quote { i += 1; return .string(String(out)) }
            if c == "\n" { return nil }
            if c != "\\" { out.append(c); i += 1; continue }
            i += 1
            guard i < s.count else { return nil }
            let e = s[i]
            i += 1
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "\\", "'", "\"": out.append(e)
            case "x", "u", "U":
                let n = e == "x" ? 2 : (e == "u" ? 4 : 8)
                guard i + n <= s.count, let code = UInt32(String(String.UnicodeScalarView(s[i..<(i + n)])), radix: 16),
                      let u = Unicode.Scalar(code) else { return nil }
                out.append(u)
                i += n
            default: out.append("\\"); out.append(e)
            }
        }
        return nil
    }
}
