import Foundation

/// Python's `datetime.strptime` (C locale), which Ansible's `to_datetime` calls: the format
/// becomes a regular expression the way `_strptime` builds one (case-insensitive, runs of
/// whitespace match any whitespace, the data must match from its start and leave nothing),
/// and the failures carry Python's messages.
enum PythonStrptime {
    struct Failure: Error { let message: String }

    private static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                                 "october", "november", "december"]
    private static let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// The pattern of each directive Python's TimeRE knows, without capturing groups.
    private static let patterns: [Character: String] = [
        "d": "3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9]",
        "f": "[0-9]{1,6}",
        "H": "2[0-3]|[0-1]\\d|\\d",
        "I": "1[0-2]|0[1-9]|[1-9]",
        "j": "36[0-6]|3[0-5]\\d|[1-2]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9]",
        "m": "1[0-2]|0[1-9]|[1-9]",
        "M": "[0-5]\\d|\\d",
        "S": "6[0-1]|[0-5]\\d|\\d",
        "w": "[0-6]",
        "u": "[1-7]",
        "y": "\\d\\d",
        "Y": "\\d\\d\\d\\d",
        "B": alternatives(months),
        "b": alternatives(months.map { String($0.prefix(3)) }),
        "A": alternatives(days),
        "a": alternatives(days.map { String($0.prefix(3)) }),
        "p": "am|pm",
        "Z": "utc|gmt",
    ]

    /// The C locale's `%c`, `%x` and `%X`, as `_strptime` expands them.
    private static let expansions: [Character: String] = ["c": "%a %b %d %H:%M:%S %Y", "x": "%m/%d/%y", "X": "%H:%M:%S"]

    /// Longest first, as `_strptime` orders them, so `may` never stops `march` short.
    private static func alternatives(_ words: [String]) -> String {
        words.sorted { $0.count > $1.count }.joined(separator: "|")
    }

    static func parse(_ data: String, format: String) throws -> NaiveDateTime {
        let (regex, directives) = try compile(format)
        let ns = data as NSString
        guard let match = regex.firstMatch(in: data, options: [.anchored], range: NSRange(location: 0, length: ns.length)) else {
            throw Failure(message: "time data \(PythonRepr.repr(.string(data))) does not match format \(PythonRepr.repr(.string(format)))")
        }
        if match.range.length != ns.length {
            throw Failure(message: "unconverted data remains: \(ns.substring(from: match.range.length))")
        }
        var year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0, micro = 0
        var yearDay: Int?, pm: Bool?, hour12: Int?
        for (i, d) in directives.enumerated() {
            let text = ns.substring(with: match.range(at: i + 1)).lowercased()
            let n = Int(text.trimmingCharacters(in: .whitespaces)) ?? 0
            switch d {
            case "Y": year = n
            case "y": year = n + (n <= 68 ? 2000 : 1900)
            case "m": month = n
            case "B": month = (months.firstIndex(of: text) ?? 0) + 1
            case "b": month = (months.firstIndex { $0.hasPrefix(text) } ?? 0) + 1
            case "d": day = n
            case "H": hour = n
            case "I": hour12 = n
            case "p": pm = text == "pm"
            case "M": minute = n
            case "S": second = n
            case "f": micro = Int(text.padding(toLength: 6, withPad: "0", startingAt: 0)) ?? 0
            case "j": yearDay = n
            default: break // weekday names and numbers, %Z: checked by the pattern, unused for a date
            }
        }
        if let h = hour12 { hour = pm == true ? (h == 12 ? 12 : h + 12) : (h == 12 ? 0 : h) }
        if let yd = yearDay, !directives.contains(where: { "mBbd".contains($0) }) {
            let (y, m, dd) = NaiveDateTime.civil(fromDays: NaiveDateTime.daysFromCivil(year, 1, 1) + yd - 1)
            (year, month, day) = (y, m, dd)
        }
        guard day <= NaiveDateTime.daysInMonth(year, month) else { throw Failure(message: "day is out of range for month") }
        guard second <= 59 else { throw Failure(message: "second must be in 0..59") }
        guard year >= 1 else { throw Failure(message: "year 0 is out of range") }
        return try NaiveDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, microsecond: micro)
    }

    private static func compile(_ format: String) throws -> (NSRegularExpression, [Character]) {
        var pattern = "", directives: [Character] = []
        var chars = Array(format)[...]
        var inSpace = false
        func expand(_ d: Character) throws {
            if let e = expansions[d] {
                var inner = Array(e)[...]
                while let c = inner.popFirst() {
                    if c == "%", let x = inner.popFirst() { try expand(x) } else if c == " " { pattern += "\\s+" } else { pattern += NSRegularExpression.escapedPattern(for: String(c)) }
                }
                return
            }
            if d == "%" { pattern += "%"; return }
            if d == "z" || "GUVW".contains(d) {
                throw Failure(message: "to_datetime: the %\(d) directive is not supported by provision")
            }
            guard let p = patterns[d] else {
                throw Failure(message: "'\(d)' is a bad directive in format \(PythonRepr.repr(.string(format)))")
            }
            pattern += "(" + p + ")"
            directives.append(d)
        }
        while let c = chars.popFirst() {
            if c.isWhitespace {
                if !inSpace { pattern += "\\s+" }
                inSpace = true
                continue
            }
            inSpace = false
            if c == "%" {
                guard let d = chars.popFirst() else { throw Failure(message: "stray % in format \(PythonRepr.repr(.string(format)))") }
                try expand(d)
            } else {
                pattern += NSRegularExpression.escapedPattern(for: String(c))
            }
        }
        if Set(directives).count != directives.count {
            throw Failure(message: "to_datetime: a directive repeated in the format is not supported by provision")
        }
        do {
            return (try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]), directives)
        } catch {
            throw Failure(message: "to_datetime: cannot use the format \(PythonRepr.repr(.string(format)))")
        }
    }
}
