import Foundation

/// The text edit `replace` makes, with Ansible's semantics, as a pure function: every match of
/// `regexp` (multi-line mode: `^`/`$` at each line) replaced by `replace` (with `\1`,
/// `\g<name>` references), only within the part of the file between `after` and `before`
/// when those are given (each a regex; the section is searched with `.` matching newlines).
struct ReplaceEdit {
    var regexp: String
    var replacement: String
    var after: String?
    var before: String?

    struct Result: Equatable {
        var text: String
        var count: Int
        var changed: Bool
        var message: String
    }

    func apply(_ contents: String) throws -> Result {
        var section = contents
        var sectionRange: Range<String.Index>?
        if after != nil || before != nil {
            let pattern: String
            switch (after, before) {
            case let (a?, b?): pattern = "\(a)(?P<subsection>.*?)\(b)"
            case let (a?, nil): pattern = "\(a)(?P<subsection>.*)"
            case let (nil, b?): pattern = "(?P<subsection>.*)\(b)"
            default: pattern = ""
            }
            let re = try PythonRegex(pattern, options: [.dotMatchesLineSeparators])
            guard let m = re.search(contents), let r = Range(m.range(withName: "subsection"), in: contents) else {
                return Result(text: contents, count: 0, changed: false,
                              message: "Pattern for before/after params did not match the given file: \(pattern)")
            }
            section = String(contents[r])
            sectionRange = r
        }
        let re = try PythonRegex(regexp, options: [.anchorsMatchLines])
        let matches = re.regex.matches(in: section, range: NSRange(section.startIndex..., in: section))
        var out = ""
        var last = section.startIndex
        for m in matches {
            guard let r = Range(m.range, in: section) else { continue }
            out += section[last..<r.lowerBound]
            out += re.expand(replacement, match: m, in: section)
            last = r.upperBound
        }
        out += section[last...]
        guard !matches.isEmpty, out != section else {
            return Result(text: contents, count: 0, changed: false, message: "")
        }
        var text = out
        if let r = sectionRange { text = String(contents[..<r.lowerBound]) + out + String(contents[r.upperBound...]) }
        return Result(text: text, count: matches.count, changed: true, message: "\(matches.count) replacements made")
    }
}
