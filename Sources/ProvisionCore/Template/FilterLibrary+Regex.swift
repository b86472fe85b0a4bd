import Foundation

extension FilterLibrary {
    static let regexFilters: [String: Filter] = [
        "regex_replace": plain { call in
            let regex = try compileRegex(try call.args.requiredString(0, "pattern"), call: call, optionIndex: 2)
            let pattern = try call.args.requiredString(0, "pattern")
            let replacement = icuReplacement(try call.args.string(1, "replacement") ?? "", groups: namedGroups(in: pattern))
            let s = try call.text()
            // Ansible 2.14's regex_replace has no `count` (it replaces every match).
            if try call.args.value(-1, "count") != nil { throw call.fail("got an unexpected keyword argument 'count'") }
            let count = 0
            var out = ""
            var last = s.startIndex
            var done = 0
            for match in regex.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
                if count > 0, done == count { break }
                guard let r = Range(match.range, in: s) else { continue }
                out += s[last..<r.lowerBound]
                out += regex.replacementString(for: match, in: s, offset: 0, template: replacement)
                last = r.upperBound
                done += 1
            }
            return .string(out + s[last...])
        },
        "regex_search": plain { call in
            let regex = try compileRegex(try call.args.requiredString(0, "pattern"), call: call, optionIndex: -1)
            let s = try call.text()
            let groups = try call.args.positional.dropFirst().map { try $0.value(at: call.args.offset).renderedString }
            // Ansible reads the group arguments before matching: a bad one fails even without a match.
            for spec in groups where !(spec.hasPrefix("\\g<") && spec.hasSuffix(">")) {
                guard spec.hasPrefix("\\"), Int(spec.dropFirst()) != nil else {
                    throw call.fail("group arguments are written '\\\\1' or '\\\\g<name>' (got '\(spec)')")
                }
            }
            guard let match = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) else { return .null }
            if groups.isEmpty { return group(match, 0, in: s) }
            return .list(try groups.map { spec in
                if spec.hasPrefix("\\g<"), spec.hasSuffix(">") {
                    let name = String(spec.dropFirst(3).dropLast())
                    if let n = Int(name) { return group(match, n, in: s) }
                    let r = match.range(withName: name)
                    return r.location == NSNotFound ? .null : Range(r, in: s).map { .string(String(s[$0])) } ?? .null
                }
                guard spec.hasPrefix("\\"), let n = Int(spec.dropFirst()) else {
                    throw call.fail("group arguments are written '\\\\1' or '\\\\g<name>'")
                }
                return group(match, n, in: s)
            })
        },
        "regex_findall": plain { call in
            let regex = try compileRegex(try call.args.requiredString(0, "pattern"), call: call, optionIndex: -1)
            let s = try call.text()
            return .list(regex.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { m in
                switch m.numberOfRanges {
                case 1: return group(m, 0, in: s)
                case 2: return group(m, 1, in: s)
                default: return .list((1..<m.numberOfRanges).map { group(m, $0, in: s) })
                }
            })
        },
        // Python's re.escape (3.7+): a backslash before each of its special characters only.
        "regex_escape": plain { call in
            .string(String(try call.text().flatMap { "()[]{}?*+-|^$\\.&~# \t\n\r\u{0B}\u{0C}".contains($0) ? ["\\", $0] : [$0] }))
        },
    ]

    private static func group(_ m: NSTextCheckingResult, _ n: Int, in s: String) -> Value {
        guard n < m.numberOfRanges, m.range(at: n).location != NSNotFound, let r = Range(m.range(at: n), in: s) else {
            return n < m.numberOfRanges ? .string("") : .null
        }
        return .string(String(s[r]))
    }

    /// A Python `re` pattern as an ICU regex: `(?P<n>` and `(?P=n)` are rewritten; the
    /// `ignorecase`/`multiline` keywords (or positional flags at `optionIndex`) apply.
    static func compileRegex(_ pattern: String, call: FilterCall?, optionIndex: Int,
                             ignoreCase: Bool = false, multiline: Bool = false) throws -> NSRegularExpression {
        var options: NSRegularExpression.Options = []
        if try ignoreCase || (call?.args.bool(optionIndex, "ignorecase") ?? false) { options.insert(.caseInsensitive) }
        let multi = try multiline || (call?.args.bool(optionIndex < 0 ? -1 : optionIndex + 1, "multiline") ?? false)
        if multi { options.insert(.anchorsMatchLines) }
        // Python 3.11 refuses global flags such as (?i) anywhere but at the start.
        if let r = pattern.range(of: #"\(\?[aiLmsux]+\)"#, options: .regularExpression), r.lowerBound != pattern.startIndex {
            throw TemplateError.evaluation("global flags not at the start of the expression in '\(pattern)'", at: call?.args.offset ?? 0)
        }
        let icu = pattern.replacingOccurrences(of: "(?P<", with: "(?<")
            .replacingOccurrences(of: #"\(\?P=(\w+)\)"#, with: #"\\k<$1>"#, options: .regularExpression)
        do {
            return try NSRegularExpression(pattern: icu, options: options)
        } catch {
            let msg = "invalid regular expression '\(pattern)'"
            throw call?.fail(msg) ?? TemplateError.evaluation(msg)
        }
    }

    /// Capture group numbers by name: ICU templates have no named references, so `\g<name>`
    /// becomes `$n`. Counts opening parentheses that capture, outside character classes.
    static func namedGroups(in pattern: String) -> [String: Int] {
        let chars = Array(pattern)
        var names: [String: Int] = [:]
        var number = 0
        var i = 0
        var inClass = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if inClass { if c == "]" { inClass = false }; i += 1; continue }
            if c == "[" { inClass = true; i += 1; continue }
            if c == "(" {
                let rest = String(chars[(i + 1)...].prefix(3))
                if rest.hasPrefix("?P<") || (rest.hasPrefix("?<") && !rest.hasPrefix("?<=") && !rest.hasPrefix("?<!")) {
                    number += 1
                    let start = i + (rest.hasPrefix("?P<") ? 4 : 3)
                    if let close = chars[start...].firstIndex(of: ">") { names[String(chars[start..<close])] = number }
                } else if !rest.hasPrefix("?") {
                    number += 1
                }
            }
            i += 1
        }
        return names
    }

    /// A Python replacement (`\1`, `\g<1>`, `\g<name>`) as an ICU template (`$1`).
    static func icuReplacement(_ python: String, groups: [String: Int] = [:]) -> String {
        var out = ""
        let chars = Array(python)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "$" { out += "\\$"; i += 1; continue }
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                if next.isNumber {
                    var j = i + 1
                    while j < chars.count, chars[j].isNumber, j - i <= 2 { j += 1 }
                    out += "$" + String(chars[(i + 1)..<j])
                    i = j
                    continue
                }
                if next == "g", i + 2 < chars.count, chars[i + 2] == "<", let close = chars[(i + 3)...].firstIndex(of: ">") {
                    let name = String(chars[(i + 3)..<close])
                    if let n = Int(name) ?? groups[name] { out += "$\(n)" }
                    i = close + 1
                    continue
                }
                if next == "\\" { out += "\\\\"; i += 2; continue }
                if next == "n" { out += "\n"; i += 2; continue }
                if next == "t" { out += "\t"; i += 2; continue }
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
