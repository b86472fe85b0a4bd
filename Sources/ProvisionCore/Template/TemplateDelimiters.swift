/// Jinja's delimiter options (`variable_start_string`, `block_end_string`, …), which a
/// template's `#jinja2:` line, the template module and the template lookup may set: the text is
/// rewritten to Jinja's usual delimiters before it is parsed. Text between tags that holds a
/// `{{`, `{%` or `{#` keeps it as text (each such `{` is written as an expression), a tag's
/// `-`/`+` whitespace marks are kept, and a raw block stays raw.
struct TemplateDelimiters: Equatable {
    var variable = ("{{", "}}")
    var block = ("{%", "%}")
    var comment = ("{#", "#}")

    static func == (a: Self, b: Self) -> Bool {
        a.variable == b.variable && a.block == b.block && a.comment == b.comment
    }

    var isDefault: Bool { self == TemplateDelimiters() }

    static let optionNames = ["variable_start_string", "variable_end_string", "block_start_string",
                              "block_end_string", "comment_start_string", "comment_end_string"]

    mutating func set(_ option: String, _ value: String) throws {
        guard !value.isEmpty else { throw TemplateError.syntax("'\(option)' must not be empty", at: 0) }
        switch option {
        case "variable_start_string": variable.0 = value
        case "variable_end_string": variable.1 = value
        case "block_start_string": block.0 = value
        case "block_end_string": block.1 = value
        case "comment_start_string": comment.0 = value
        case "comment_end_string": comment.1 = value
        default: throw TemplateError.syntax("unknown delimiter option '\(option)'", at: 0)
        }
    }

    private enum Kind { case variable, block, comment }

    /// The text with Jinja's usual delimiters.
    func translate(_ text: String) throws -> String {
        if isDefault { return text }
        let s = Array(text)
        // Jinja tries the longer start delimiters first.
        let starts: [(Kind, [Character])] = [(Kind.variable, Array(variable.0)), (.block, Array(block.0)), (.comment, Array(comment.0))]
            .sorted { $0.1.count > $1.1.count }
        func matches(_ d: [Character], at i: Int) -> Bool {
            i + d.count <= s.count && Array(s[i..<(i + d.count)]) == d
        }
        func nextTag(from i: Int) -> (Int, Kind, [Character])? {
            var j = i
            while j < s.count {
                for (kind, d) in starts where matches(d, at: j) { return (j, kind, d) }
                j += 1
            }
            return nil
        }
        /// The end delimiter's position after `from`, skipping quoted strings in expressions.
        func findEnd(_ end: [Character], from: Int, skipStrings: Bool) -> Int? {
            var j = from
            var quote: Character?
            while j < s.count {
                if let q = quote {
                    if s[j] == "\\" { j += 2; continue }
                    if s[j] == q { quote = nil }
                } else if skipStrings, s[j] == "'" || s[j] == "\"" {
                    quote = s[j]
                } else if matches(end, at: j) {
                    return j
                }
                j += 1
            }
            return nil
        }
        var out = ""
        /// Literal text: a `{` that would start a tag under the usual delimiters is an expression.
        func emitText(_ t: ArraySlice<Character>, tagFollows: Bool) {
            let chars = Array(t)
            for (k, c) in chars.enumerated() {
                let next: Character? = k + 1 < chars.count ? chars[k + 1] : nil
                if c == "{", next.map({ "{%#".contains($0) }) ?? tagFollows {
                    out += "{{ '{' }}"
                } else {
                    out.append(c)
                }
            }
        }
        var i = 0
        while let (start, kind, open) = nextTag(from: i) {
            emitText(s[i..<start], tagFollows: true)
            let bodyStart = start + open.count
            let close: [Character]
            switch kind {
            case .variable: close = Array(variable.1)
            case .block: close = Array(block.1)
            case .comment: close = Array(comment.1)
            }
            guard let end = findEnd(close, from: bodyStart, skipStrings: kind != .comment) else {
                throw TemplateError.syntax("unterminated tag opened by '\(String(open))'", at: start)
            }
            let body = String(s[bodyStart..<end])
            i = end + close.count
            switch kind {
            case .variable:
                out += "{{" + body + "}}"
            case .comment:
                // Only the whitespace marks matter: the comment's text may hold `#}`.
                let lead = body.first.map { "-+".contains($0) ? String($0) : "" } ?? ""
                let trail = body.count > lead.count && body.last == "-" ? "-" : ""
                out += "{#" + lead + " " + trail + "#}"
            case .block:
                out += "{%" + body + "%}"
                let word = body.trimmingCharacters(in: .whitespacesAndNewlines.union(["-", "+"]))
                if word == "raw" {
                    // Everything up to `endraw` (in this template's delimiters) is text.
                    var j = i
                    var found: (Int, Int, String)?
                    while let tag = nextTag(from: j) {
                        guard tag.1 == .block, let e = findEnd(Array(block.1), from: tag.0 + tag.2.count, skipStrings: false) else {
                            j = tag.0 + 1
                            continue
                        }
                        let inner = String(s[(tag.0 + tag.2.count)..<e])
                        if inner.trimmingCharacters(in: .whitespacesAndNewlines.union(["-", "+"])) == "endraw" {
                            found = (tag.0, e + block.1.count, inner)
                            break
                        }
                        j = tag.0 + 1
                    }
                    guard let (rawEnd, after, inner) = found else {
                        throw TemplateError.syntax("'raw' block without 'endraw'", at: start)
                    }
                    let content = String(s[i..<rawEnd])
                    if content.contains("{% endraw") || content.contains("{%- endraw") {
                        throw TemplateError.syntax("a raw block holding '{% endraw' under other delimiters is not supported by provision", at: start)
                    }
                    out += content + "{%" + inner + "%}"
                    i = after
                }
            }
        }
        emitText(s[i...], tagFollows: false)
        return out
    }
}
