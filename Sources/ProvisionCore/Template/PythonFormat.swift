import Foundation

/// Python's `%` string formatting, for the `format` filter and the `'%s:%s' % (a, b)` operator.
enum PythonFormat {
    /// Why a format failed, in Python's words.
    struct Failure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// `%s` with `-`, width and `.precision` applied by hand (Foundation's `%@` ignores them).
    private static func padded(_ text: String, spec: String) -> String {
        let left = spec.contains("-")
        let parts = spec.filter { $0.isNumber || $0 == "." }.split(separator: ".", omittingEmptySubsequences: false)
        var t = text
        if parts.count > 1, let precision = Int(parts[1]) { t = String(t.prefix(precision)) }
        let width = parts.first.flatMap { Int($0) } ?? 0
        let pad = String(repeating: " ", count: max(0, width - t.count))
        return left ? t + pad : pad + t
    }

    /// Python's `%` formatting: `%s`, `%r`, `%d`/`%i`, `%f`/`%e`/`%g`, `%x`/`%o`, `%%`, with
    /// flags, width and precision (`%-10s`, `%05.2f`).
    static func format(_ text: String, _ values: [Value]) throws -> String {
        let pattern = Array(text)
        var out = ""
        var next = 0
        var i = 0
        while i < pattern.count {
            let c = pattern[i]
            i += 1
            guard c == "%" else { out.append(c); continue }
            var spec = ""
            while i < pattern.count, "-+ #0123456789.".contains(pattern[i]) { spec.append(pattern[i]); i += 1 }
            guard i < pattern.count else { throw Failure("incomplete format") }
            let conversion = pattern[i]
            i += 1
            if conversion == "%" { out.append("%"); continue }
            guard next < values.count else { throw Failure("not enough arguments for format string") }
            let v = values[next]
            next += 1
            func number() throws -> TemplateNumber {
                // As Python: a string is never a number here (`'%d' % '5'` fails).
                guard let n = v.strictNumber else { throw Failure("%\(conversion) format: a real number is required, not \(v.typeName)") }
                return n
            }
            switch conversion {
            case "s", "r":
                // Python's str()/repr(): None is 'None' here (only a template's finalize blanks it).
                let text = conversion == "r" ? PythonRepr.repr(v) : PythonRepr.str(v)
                out += padded(text, spec: spec)
            case "d", "i", "x", "X", "o":
                let n = try number()
                let whole = n.double.isFinite ? Int(n.double.rounded(.towardZero)) : 0
                out += String(format: "%\(spec)l\(conversion == "i" ? "d" : String(conversion))", whole)
            case "f", "F", "e", "E", "g", "G":
                out += String(format: "%\(spec)\(conversion)", try number().double)
            default: throw Failure("unsupported format character '\(conversion)'")
            }
        }
        if next < values.count { throw Failure("not all arguments converted during string formatting") }
        return out
    }
}
