import Foundation

/// Reads a value the way Ansible's INI inventory does: as a Python literal (`ast.literal_eval`:
/// numbers, quoted strings, `True`/`False`/`None`, lists, tuples, dicts and sets of literals).
///
/// Text that is not such a literal is not an error: the INI plugin then keeps it as a plain
/// string, so `parse` returns nil and the caller keeps the text.
enum PythonLiteral {
    /// The value `text` stands for, or nil when Python would refuse it as a literal.
    static func parse(_ text: String) -> Value? {
        var p = Parser(Array(text.unicodeScalars))
        p.skipBlanks()
        guard let v = p.expression() else { return nil }
        p.skipBlanks()
        guard p.atEnd else { return nil }
        return v
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        /// Brackets open: newlines are plain white space inside them.
        var depth = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { i >= s.count }
        var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }

        mutating func skipBlanks() {
            while let c = peek {
                if c == " " || c == "\t" || c == "\u{0C}" || (depth > 0 && (c == "\n" || c == "\r")) {
                    i += 1
                } else if c == "\\", i + 1 < s.count, s[i + 1] == "\n" {
                    i += 2
                } else if c == "#" {
                    while let d = peek, d != "\n" { _ = d; i += 1 }
                } else {
                    return
                }
            }
        }

        mutating func eat(_ c: Unicode.Scalar) -> Bool {
            skipBlanks()
            if peek == c { i += 1; return true }
            return false
        }

        mutating func expression() -> Value? {
            skipBlanks()
            guard let c = peek else { return nil }
            switch c {
            case "[": return sequence(close: "]")
            case "(": return sequence(close: ")")
            case "{": return braces()
            case "+", "-":
                i += 1
                skipBlanks()
                guard let n = number() else { return nil }
                if c == "+" { return n }
                switch n {
                case .int(let v): return .int(-v)
                case .double(let d): return .double(-d)
                default: return nil
                }
            case "0"..."9", ".": return number()
            default:
                if let str = strings() { return .string(str) }
                return name()
            }
        }

        mutating func name() -> Value? {
            var word = ""
            while let c = peek, c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c) {
                word.unicodeScalars.append(c)
                i += 1
            }
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .null
            default: return nil
            }
        }

        mutating func sequence(close: Unicode.Scalar) -> Value? {
            i += 1
            depth += 1
            defer { depth -= 1 }
            var items: [Value] = []
            var sawComma = false
            while true {
                if eat(close) { break }
                guard let v = expression() else { return nil }
                items.append(v)
                if eat(",") { sawComma = true; continue }
                guard eat(close) else { return nil }
                break
            }
            // `(1)` is the number 1; `(1,)` and `()` are tuples.
            if close == ")", items.count == 1, !sawComma { return items[0] }
            return .list(items)
        }

        mutating func braces() -> Value? {
            i += 1
            depth += 1
            defer { depth -= 1 }
            if eat("}") { return .dict([:]) }
            guard let first = expression() else { return nil }
            if eat(":") {
                var dict: [String: Value] = [:]
                var key = first
                while true {
                    guard let v = expression() else { return nil }
                    dict[Self.keyText(key)] = v
                    if eat("}") { return .dict(dict) }
                    guard eat(",") else { return nil }
                    if eat("}") { return .dict(dict) }
                    guard let k = expression(), eat(":") else { return nil }
                    key = k
                }
            }
            // A set: kept as a list (JSON has no sets).
            var items = [first]
            while true {
                if eat("}") { return .list(items) }
                guard eat(",") else { return nil }
                if eat("}") { return .list(items) }
                guard let v = expression() else { return nil }
                if !items.contains(v) { items.append(v) }
            }
        }

        /// How JSON writes a non-string key, as `json.dumps` does.
        static func keyText(_ v: Value) -> String {
            switch v {
            case .string(let s): return s
            case .bool(let b): return b ? "true" : "false"
            case .null: return "null"
            default: return v.renderedString
            }
        }

        mutating func number() -> Value? {
            let start = i
            var text = ""
            while let c = peek, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "."
                || ((c == "+" || c == "-") && (text.last == "e" || text.last == "E") && !text.lowercased().hasPrefix("0x")) {
                text.unicodeScalars.append(c)
                i += 1
            }
            guard !text.isEmpty, !text.hasSuffix("_"), !text.contains("__") else { i = start; return nil }
            let digits = text.replacingOccurrences(of: "_", with: "")
            let lower = digits.lowercased()
            for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
                return Int(lower.dropFirst(2), radix: radix).map(Value.int)
            }
            if digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                // Python refuses leading zeros in a decimal int, except for zero itself.
                if digits.count > 1, digits.hasPrefix("0"), digits.contains(where: { $0 != "0" }) { return nil }
                return Int(digits).map(Value.int)
            }
            guard lower.range(of: #"^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$"#, options: .regularExpression) != nil,
                  let d = Double(lower) else { return nil }
            return .double(d)
        }

        /// One or more adjacent string literals (`'a' "b"` is `'ab'`), or nil.
        mutating func strings() -> String? {
            var out: String?
            while true {
                let save = i
                skipBlanks()
                guard let piece = stringLiteral() else { i = save; return out }
                out = (out ?? "") + piece
            }
        }

        mutating func stringLiteral() -> String? {
            let start = i
            var prefix = ""
            while let c = peek, "rRuUbB".unicodeScalars.contains(c), prefix.count < 2 {
                prefix.unicodeScalars.append(c)
                i += 1
            }
            guard let q = peek, q == "'" || q == "\"" else { i = start; return nil }
            let raw = prefix.lowercased().contains("r")
            let triple = i + 2 < s.count && s[i + 1] == q && s[i + 2] == q
            i += triple ? 3 : 1
            var out = String.UnicodeScalarView()
            while i < s.count {
                let c = s[i]
                if c == q {
                    if !triple { i += 1; return String(out) }
                    if i + 2 < s.count, s[i + 1] == q, s[i + 2] == q { i += 3; return String(out) }
                }
                if !triple && c == "\n" { i = start; return nil }
                if c == "\\", i + 1 < s.count {
                    if raw {
                        out.append(c)
                        out.append(s[i + 1])
                        i += 2
                        continue
                    }
                    i += 1
                    escape(into: &out)
                    continue
                }
                out.append(c)
                i += 1
            }
            i = start
            return nil
        }

        /// Reads the escape after a backslash (the backslash already consumed).
        mutating func escape(into out: inout String.UnicodeScalarView) {
            let c = s[i]
            i += 1
            let simple: [Unicode.Scalar: Unicode.Scalar] = ["n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'",
                                                           "\"": "\"", "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}",
                                                           "v": "\u{0B}", "0": "\0"]
            if c == "\n" { return }
            if c == "x" || c == "u" || c == "U" {
                let n = c == "x" ? 2 : c == "u" ? 4 : 8
                let hex = String(String.UnicodeScalarView(s[i..<min(i + n, s.count)]))
                if hex.count == n, let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) {
                    out.append(u)
                    i += n
                    return
                }
            }
            if ("0"..."7").contains(c) {
                var digits = String(c)
                while digits.count < 3, let d = peek, ("0"..."7").contains(d) { digits.unicodeScalars.append(d); i += 1 }
                if let v = UInt32(digits, radix: 8), let u = Unicode.Scalar(v) { out.append(u) }
                return
            }
            if let e = simple[c] { out.append(e); return }
            out.append("\\")
            out.append(c)
        }
    }
}
