import Foundation

/// The `.sources` file Ansible's `deb822_repository` writes: one deb822 paragraph with a
/// field per given argument, in the order of the argument names (`components` before `name`
/// before `signed_by`…), named as Ansible names them (`name` → `X-Repolib-Name`, `uris` →
/// `URIs`, else title-cased with `-` for `_`); booleans `yes`/`no`, lists space-separated, a
/// multi-line value (an inline key) on indented continuation lines with `.` for blank ones.
enum Deb822Source {
    /// A field's value before formatting.
    enum Field {
        case bool(Bool)
        case int(Int)
        case list([String])
        case text(String)
    }

    /// The file name Ansible derives from `name`: lower case, runs of `_` and white space to
    /// `-`, anything but `a-z0-9-` dropped.
    static func slug(_ name: String) -> String {
        var dashed = ""
        var inRun = false
        for c in name.lowercased() {
            if c == "_" || c.isWhitespace {
                if !inRun { dashed.append("-") }
                inRun = true
            } else {
                dashed.append(c)
                inRun = false
            }
        }
        return String(dashed.unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }.map(Character.init))
    }

    static func fieldName(_ key: String) -> String {
        if key == "name" { return "X-Repolib-Name" }
        if key == "uris" { return "URIs" }
        // Python's str.title(): a letter after a non-letter is upper case, the rest lower.
        var out = ""
        var prevLetter = false
        for c in key.replacingOccurrences(of: "_", with: "-") {
            out += prevLetter ? c.lowercased() : c.uppercased()
            prevLetter = c.isLetter
        }
        return out
    }

    /// Continuation lines for a multi-line value: each line stripped, a blank one as `.`,
    /// indented by four spaces, after a line break.
    static func multiline(_ v: String) -> String {
        let lines = v.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n")
        return "\n" + lines.map { l -> String in
            let t = l.trimmingCharacters(in: .whitespaces)
            return "    " + (t.isEmpty ? "." : t)
        }.joined(separator: "\n")
    }

    /// The paragraph for `fields` (argument name → value).
    static func render(_ fields: [String: Field]) -> String {
        var out = ""
        for key in fields.keys.sorted() {
            guard let f = fields[key] else { continue }
            var value: String
            switch f {
            case .bool(let b): value = b ? "yes" : "no"
            case .int(let i): value = String(i)
            case .list(let l): value = l.joined(separator: " ")
            case .text(let t): value = t
            }
            if value.contains("\n") { value = multiline(value) }
            out += fieldName(key) + (value.isEmpty || value.hasPrefix("\n") ? ":" : ": ") + value + "\n"
        }
        return out
    }

    /// True when Python's `urlparse` finds a scheme in `v` (`https:`, `file:`): the text
    /// before the first `:` (tabs and line breaks removed) starts with an ASCII letter and
    /// holds only letters, digits, `+`, `-` and `.`.
    static func hasURLScheme(_ v: String) -> Bool {
        let s = v.filter { $0 != "\t" && $0 != "\r" && $0 != "\n" }
        guard let colon = s.firstIndex(of: ":"), colon != s.startIndex else { return false }
        let scheme = s[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }
}
