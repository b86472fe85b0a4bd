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
        case "'", "\"", "u", "U", "r", "R":
            return strings() ?? word() ?? number()
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

    /// A Python number literal, with one optional sign (a unary operator, so spaces may follow
    /// it): decimal ints without leading zeros, `0x`/`0o`/`0b` ints, floats with `.` or an
    /// exponent; `_` only between digits (or after a base prefix).
    private mutating func number() -> Value? {
        let start = i
        var negative = false
        if i < s.count, s[i] == "-" || s[i] == "+" {
            negative = s[i] == "-"
            i += 1
            space()
        }
        let body = i
        func isDigit(_ c: Unicode.Scalar, radix: Int) -> Bool {
            switch radix {
            case 2: return c == "0" || c == "1"
            case 8: return ("0"..."7").contains(c)
            case 16: return ("0"..."9").contains(c) || ("a"..."f").contains(c) || ("A"..."F").contains(c)
            default: return ("0"..."9").contains(c)
            }
        }
        /// Digits with single underscores between them (one may lead, after a base prefix).
        func digits(radix: Int, leadingUnderscore: Bool = false) -> String? {
            var out = ""
            var j = i
            if leadingUnderscore, j < s.count, s[j] == "_" { j += 1 }
            while j < s.count {
                if isDigit(s[j], radix: radix) { out.unicodeScalars.append(s[j]); j += 1; continue }
                if s[j] == "_", !out.isEmpty, j + 1 < s.count, isDigit(s[j + 1], radix: radix) { j += 1; continue }
                break
            }
            guard !out.isEmpty else { return nil }
            i = j
            return out
        }
        func fail() -> Value? { i = start; return nil }
        func finish(_ v: Value) -> Value? {
            // `1j`, `1L`, `1x`: not a literal provision reads (or not one at all).
            if i < s.count, s[i].properties.isAlphabetic || s[i] == "_" || ("0"..."9").contains(s[i]) { return fail() }
            return v
        }
        if i + 1 < s.count, s[i] == "0", let radix = ["x": 16, "X": 16, "o": 8, "O": 8, "b": 2, "B": 2][Character(s[i + 1])] {
            i += 2
            guard let d = digits(radix: radix, leadingUnderscore: true), let n = Int(d, radix: radix) else { return fail() }
            return finish(.int(negative ? -n : n))
        }
        let whole = digits(radix: 10)
        var isFloat = false
        var text = whole ?? ""
        if i < s.count, s[i] == "." {
            i += 1
            let fraction = digits(radix: 10)
            guard whole != nil || fraction != nil else { return fail() }
            text += "." + (fraction ?? "0")
            isFloat = true
        }
        guard !text.isEmpty else { return fail() }
        if i < s.count, s[i] == "e" || s[i] == "E" {
            let mark = i
            i += 1
            var sign = ""
            if i < s.count, s[i] == "-" || s[i] == "+" { sign = String(s[i]); i += 1 }
            if let exponent = digits(radix: 10) {
                text += "e" + sign + exponent
                isFloat = true
            } else {
                i = mark
            }
        }
        if isFloat {
            guard let d = Double(text) else { return fail() }
            return finish(.double(negative ? -d : d))
        }
        // Python 3 has no leading zeros on a decimal int (`01`), except for zero itself.
        if text.count > 1, text.hasPrefix("0"), text.contains(where: { $0 != "0" }) { return fail() }
        guard let n = Int(text) else { return fail() }
        return finish(.int(negative ? -n : n))
    }

    /// One string literal or several side by side (`'a' 'b'` is `'ab'`), each with an
    /// optional `u` or `r` prefix (a bytes literal is not read).
    private mutating func strings() -> Value? {
        var out = ""
        var count = 0
        while i < s.count {
            let mark = i
            var raw = false
            if s[i] == "u" || s[i] == "U" || s[i] == "r" || s[i] == "R" {
                raw = s[i] == "r" || s[i] == "R"
                i += 1
            }
            guard i < s.count, s[i] == "'" || s[i] == "\"", case .string(let part)? = string(raw: raw) else {
                i = mark
                break
            }
            out += part
            count += 1
            let afterString = i
            space()
            if i >= s.count || !["'", "\"", "u", "U", "r", "R"].contains(s[i]) { i = afterString; break }
        }
        return count > 0 ? .string(out) : nil
    }

    private mutating func string(raw: Bool = false) -> Value? {
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
            if raw {
                // A raw string keeps the backslash; it still cannot end the string.
                out.append("\\"); out.append(e)
                continue
            }
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "0"..."7":
                // Up to three octal digits.
                var code = UInt32(e.value - 48)
                var n = 1
                while n < 3, i < s.count, ("0"..."7").contains(s[i]) { code = code * 8 + (s[i].value - 48); i += 1; n += 1 }
                guard let u = Unicode.Scalar(code) else { return nil }
                out.append(u)
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
