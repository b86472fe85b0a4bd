import Foundation

/// Python's `fnmatch.fnmatch` on POSIX (case-sensitive): `*`, `?`, `[seq]`, `[!seq]`, the whole
/// name must match, and `*` also matches a leading dot or `/`. Used where Ansible filters names
/// with shell patterns (`find`'s `patterns`/`excludes`).
struct PythonFnmatch {
    let regex: NSRegularExpression

    init(_ pattern: String) throws {
        var out = "^(?s:"
        let p = Array(pattern)
        var i = 0
        while i < p.count {
            let c = p[i]
            i += 1
            switch c {
            case "*": out += ".*"
            case "?": out += "."
            case "[":
                var j = i
                if j < p.count, p[j] == "!" { j += 1 }
                if j < p.count, p[j] == "]" { j += 1 }
                while j < p.count, p[j] != "]" { j += 1 }
                if j >= p.count { out += "\\["; continue }
                var stuff = String(p[i..<j]).replacingOccurrences(of: "\\", with: "\\\\")
                i = j + 1
                if stuff.hasPrefix("!") { stuff = "^" + stuff.dropFirst() } else if stuff.hasPrefix("^") { stuff = "\\" + stuff }
                stuff = stuff.replacingOccurrences(of: "[", with: "\\[")
                out += "[" + stuff + "]"
            default: out += NSRegularExpression.escapedPattern(for: String(c))
            }
        }
        out += ")$"
        do { regex = try NSRegularExpression(pattern: out) } catch {
            throw ModuleError("invalid pattern '\(pattern)'")
        }
    }

    func matches(_ name: String) -> Bool {
        regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
    }
}
