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
        if parts.count > 1, let precision = Int(parts[1]) { t = PythonString.string(t.unicodeScalars.prefix(precision)) }
        let width = parts.first.flatMap { Int($0) } ?? 0
        let pad = String(repeating: " ", count: max(0, width - t.unicodeScalars.count))
        return left ? t + pad : pad + t
    }

    /// `%d`/`%x`/`%X`/`%o` as Python writes them: the sign before any `0x`/`0o` (`#`) and the
    /// digits of the magnitude (`'%x' % -255` is `-ff`, not C's two's complement), precision as
    /// a minimum digit count, `0` padding between the prefix and the digits.
    private static func integer(_ n: Int, conversion: Character, spec: String) -> String {
        let flags = spec.prefix { "-+ #0".contains($0) }
        let numbers = spec.dropFirst(flags.count).split(separator: ".", omittingEmptySubsequences: false)
        let width = numbers.first.flatMap { Int($0) } ?? 0
        let precision = numbers.count > 1 ? Int(numbers[1]) ?? 0 : 0
        let radix = conversion == "x" || conversion == "X" ? 16 : (conversion == "o" ? 8 : 10)
        var digits = String(n.magnitude, radix: radix, uppercase: conversion == "X")
        if digits.count < precision { digits = String(repeating: "0", count: precision - digits.count) + digits }
        let sign = n < 0 ? "-" : (flags.contains("+") ? "+" : (flags.contains(" ") ? " " : ""))
        let prefix = flags.contains("#") && radix != 10 ? "0" + String(conversion) : ""
        let body = sign + prefix + digits
        guard body.count < width else { return body }
        if flags.contains("-") { return body + String(repeating: " ", count: width - body.count) }
        if flags.contains("0") { return sign + prefix + String(repeating: "0", count: width - body.count) + digits }
        return String(repeating: " ", count: width - body.count) + body
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
            do { try PythonString.checkSpecNumbers(spec) } catch let e as TemplateError { throw Failure(e.message) }
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
                let whole: Int
                switch try number() {
                case .int(let i): whole = i
                case .double where conversion != "d" && conversion != "i":
                    throw Failure("%\(conversion) format: an integer is required, not float")
                case .double(let d):
                    guard d.isFinite else { throw Failure("cannot convert float \(d > 0 ? "infinity" : (d < 0 ? "-infinity" : "NaN")) to integer") }
                    guard abs(d) < 9.2e18 else { throw Failure("\(d) does not fit in 64 bits: Python's integers have no limit, provision's do") }
                    whole = Int(d.rounded(.towardZero))
                }
                out += integer(whole, conversion: conversion, spec: spec)
            case "f", "F", "e", "E", "g", "G":
                out += String(format: "%\(spec)\(conversion)", try number().double)
            default: throw Failure("unsupported format character '\(conversion)'")
            }
        }
        if next < values.count { throw Failure("not all arguments converted during string formatting") }
        return out
    }
}
