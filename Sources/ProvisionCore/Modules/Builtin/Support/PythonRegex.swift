import Foundation

/// A regular expression written for Ansible (Python's `re`), run with Foundation's ICU engine.
///
/// The two syntaxes agree on what playbooks use (classes, anchors, groups, `\s`, `\d`, lazy
/// quantifiers, inline flags); Python's named-group spellings `(?P<n>…)` and `(?P=n)` are
/// translated. `search` has Python's `re.search` meaning: a match anywhere in the text.
struct PythonRegex {
    let pattern: String
    let regex: NSRegularExpression

    init(_ pattern: String) throws { try self.init(pattern, options: []) }

    init(_ pattern: String, options: NSRegularExpression.Options) throws {
        self.pattern = pattern
        var p = pattern.replacingOccurrences(of: "(?P<", with: "(?<")
        if let named = try? NSRegularExpression(pattern: #"\(\?P=(\w+)\)"#) {
            p = named.stringByReplacingMatches(in: p, range: NSRange(p.startIndex..., in: p), withTemplate: #"\\k<$1>"#)
        }
        do {
            regex = try NSRegularExpression(pattern: p, options: options)
        } catch {
            throw ModuleError("invalid regular expression '\(pattern)'")
        }
    }

    /// True when `(?m)` or `(?s)`-style flags make the pattern span lines.
    var isMultiline: Bool { pattern.range(of: #"^\(\?[a-zA-Z]*m"#, options: .regularExpression) != nil }

    func search(_ text: String) -> NSTextCheckingResult? {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
    }

    /// Python's `match.expand(template)`: `\1`…`\99`, `\g<1>`, `\g<name>`, and `\n`, `\t`, `\\`.
    func expand(_ template: String, match: NSTextCheckingResult, in text: String) -> String {
        func group(_ i: Int) -> String {
            guard i < match.numberOfRanges, let r = Range(match.range(at: i), in: text) else { return "" }
            return String(text[r])
        }
        func named(_ name: String) -> String {
            if let i = Int(name) { return group(i) }
            guard let r = Range(match.range(withName: name), in: text) else { return "" }
            return String(text[r])
        }
        var out = ""
        var chars = Array(template)
        var i = 0
        chars.append("\0")
        while i < chars.count - 1 {
            let c = chars[i]
            guard c == "\\" else { out.append(c); i += 1; continue }
            let n = chars[i + 1]
            if n.isASCII, n.isNumber {
                var digits = String(n)
                if chars[i + 2].isASCII, chars[i + 2].isNumber { digits.append(chars[i + 2]) }
                out += group(Int(digits) ?? 0)
                i += 1 + digits.count
            } else if n == "g", chars[i + 2] == "<", let close = chars[(i + 3)...].firstIndex(of: ">") {
                out += named(String(chars[(i + 3)..<close]))
                i = close + 1
            } else if n == "n" { out += "\n"; i += 2
            } else if n == "t" { out += "\t"; i += 2
            } else if n == "\\" { out += "\\"; i += 2
            } else { out.append(c); i += 1 }
        }
        return out
    }
}
