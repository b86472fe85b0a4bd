import Foundation

/// Python's `str()`/`repr()` of template values: what Jinja writes when a list or dict lands
/// in text (`['a', 1, True, None]`), and what Ansible's non-native templating reads back with
/// `ast.literal_eval`.
enum PythonRepr {
    /// `str(value)`: strings as they are, everything else as `repr`.
    static func str(_ value: Value) -> String {
        if case .string(let s) = value { return s }
        return repr(value)
    }

    static func repr(_ value: Value) -> String {
        switch value {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return float(d)
        case .string(let s): return string(s)
        case .list(let l): return "[" + l.map(repr).joined(separator: ", ") + "]"
        case .tuple(let t): return "(" + t.map(repr).joined(separator: ", ") + (t.count == 1 ? ",)" : ")")
        case .dict(let d): return "{" + d.typedPairs.map { repr($0.key) + ": " + repr($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// Python's float repr: shortest round-trip digits, `.0` on integral values, exponent
    /// form below 1e-4 and from 1e16.
    static func float(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        let a = abs(d)
        if a != 0, a < 1e-4 || a >= 1e16 {
            // Swift writes 1e-05 / 1e+16 as Python does.
            var s = "\(d)"
            if !s.contains("e") { s = String(format: "%e", d) }
            return s
        }
        if d == d.rounded() { return String(format: "%.1f", d) }
        return "\(d)"
    }

    /// Python's string repr: single quotes unless the text has a `'` and no `"`.
    static func string(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(u) == quote { out += "\\" + String(quote) }
                else if u.value < 0x20 || u.value == 0x7F { out += String(format: "\\x%02x", u.value) }
                else if (0x80..<0xA0).contains(u.value) { out += String(format: "\\x%02x", u.value) }
                else { out.unicodeScalars.append(u) }
            }
        }
        out.append(quote)
        return out
    }
}
