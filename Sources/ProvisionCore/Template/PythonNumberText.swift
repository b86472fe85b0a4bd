import Foundation

/// Python's `int(text, base)` and `float(text)`, which the `int` and `float` filters call:
/// surrounding whitespace, one sign, `_` between digits, `0x`/`0o`/`0b` prefixes (for their
/// base or base 0), Unicode decimal digits; `inf`/`nan`/`infinity` for floats.
enum PythonNumberText {
    enum IntResult { case value(Int), invalid, tooLarge }

    static func int(_ text: String, base requested: Int) -> IntResult {
        guard requested == 0 || (2...36).contains(requested) else { return .invalid }
        var s = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        var negative = false
        if let f = s.first, f == "-" || f == "+" { negative = f == "-"; s = s.dropFirst() }
        var base = requested
        let lower = s.lowercased()
        var prefixed = false
        for (prefix, b) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) && (base == b || base == 0) {
            base = b
            s = s.dropFirst(2)
            prefixed = true
        }
        if base == 0 { base = 10 }
        if prefixed, s.first == "_" { s = s.dropFirst() }
        var digits: [Int] = []
        var previousUnderscore = true
        for u in s.unicodeScalars {
            if u == "_" {
                if previousUnderscore { return .invalid }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            guard let d = digitValue(u), d < base else { return .invalid }
            digits.append(d)
        }
        if digits.isEmpty || previousUnderscore { return .invalid }
        // Base 0 reads a decimal like Python source: no leading zeros but for zero itself.
        if requested == 0, !prefixed, digits.count > 1, digits[0] == 0, digits.contains(where: { $0 != 0 }) { return .invalid }
        var n = 0
        for d in digits {
            let (m, o1) = n.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return .tooLarge }
            n = a
        }
        return .value(negative ? -n : n)
    }

    private static func digitValue(_ u: Unicode.Scalar) -> Int? {
        switch u {
        case "0"..."9": return Int(u.value - 48)
        case "a"..."z": return Int(u.value - 97 + 10)
        case "A"..."Z": return Int(u.value - 65 + 10)
        default:
            guard u.properties.numericType == .decimal, let v = u.properties.numericValue else { return nil }
            return Int(v)
        }
    }

    static func float(_ text: String) -> Double? {
        var s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var sign = 1.0
        if let f = s.first, f == "-" || f == "+" { sign = f == "-" ? -1 : 1; s.removeFirst() }
        switch s.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        // Digits with `_` only between them, an optional fraction and exponent.
        let pattern = "^(\\d(_?\\d)*)?(\\.(\\d(_?\\d)*)?)?([eE][+-]?\\d(_?\\d)*)?$"
        guard !s.isEmpty, s.unicodeScalars.allSatisfy({ $0.isASCII }), s.range(of: pattern, options: .regularExpression) != nil,
              s.contains(where: \.isNumber), !(s.hasPrefix(".") && s.count == 1) else {
            // Unicode decimal digits: Python reads them as their values.
            let mapped = String(String.UnicodeScalarView(s.unicodeScalars.map { u in
                u.isASCII ? u : (digitValue(u).flatMap { Unicode.Scalar(UInt8(48 + $0)) } ?? u)
            }))
            guard mapped != s, mapped.unicodeScalars.allSatisfy({ $0.isASCII }) else { return nil }
            return float((sign < 0 ? "-" : "") + mapped)
        }
        guard s.first != "e", s.first != "E", let d = Double(s.replacingOccurrences(of: "_", with: "")) else { return nil }
        return sign * d
    }
}
