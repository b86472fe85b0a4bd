import Foundation

/// The Jinja environment options a template may set for itself on its first line, as Ansible
/// reads them: `#jinja2: trim_blocks: False, lstrip_blocks: True` (the line is removed).
/// An option provision does not implement is an error naming it, never ignored.
struct TemplateOptions {
    var trimBlocks = true
    var lstripBlocks = false
    var keepTrailingNewline = false
    var delimiters = TemplateDelimiters()

    static let header = "#jinja2:"

    /// The options and the text without its header line.
    static func read(_ text: String) throws -> (TemplateOptions, String) {
        var options = TemplateOptions()
        guard text.hasPrefix(header) else { return (options, text) }
        let line: Substring, body: String
        if let eol = text.firstIndex(of: "\n") {
            line = text[text.index(text.startIndex, offsetBy: header.count)..<eol]
            body = String(text[text.index(after: eol)...])
        } else {
            line = text.dropFirst(header.count)
            body = ""
        }
        for pair in line.split(separator: ",") {
            let kv = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { throw TemplateError.syntax("bad '#jinja2:' option '\(pair)' (write key: value)", at: 0) }
            if TemplateDelimiters.optionNames.contains(kv[0]) {
                guard let text = pythonString(kv[1]) else {
                    throw TemplateError.syntax("'#jinja2:' option \(kv[0]) needs a quoted string (got \(kv[1]))", at: 0)
                }
                try options.delimiters.set(kv[0], text)
                continue
            }
            guard let flag = literalTruth(kv[1]) else {
                throw TemplateError.syntax("'#jinja2:' option \(kv[0]) needs True or False (got \(kv[1]))", at: 0)
            }
            switch kv[0] {
            case "trim_blocks": options.trimBlocks = flag
            case "lstrip_blocks": options.lstripBlocks = flag
            case "keep_trailing_newline": options.keepTrailingNewline = flag
            default: throw TemplateError.syntax("'#jinja2:' option '\(kv[0])' is not supported by provision (trim_blocks, lstrip_blocks, keep_trailing_newline and the six delimiter strings are)", at: 0)
            }
        }
        return (options, try options.delimiters.translate(body))
    }

    /// A Python string literal as `ast.literal_eval` reads it: quoted, with backslash escapes
    /// of the quote, the backslash, `\n` and `\t`.
    private static func pythonString(_ text: String) -> String? {
        guard text.count >= 2, let q = text.first, q == "'" || q == "\"", text.last == q else { return nil }
        var out = "", escaped = false
        for c in text.dropFirst().dropLast() {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\\", "'", "\"": out.append(c)
                default: out.append("\\"); out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == q {
                return nil
            } else {
                out.append(c)
            }
        }
        return escaped ? nil : out
    }

    /// The delimiter options a module or lookup was given (`value(name)`), as `#jinja2:` line
    /// options; a delimiter holding `,` cannot be written there and is refused.
    static func delimiterHeaderOptions(_ value: (String) throws -> String?) throws -> [String] {
        try TemplateDelimiters.optionNames.compactMap { name -> String? in
            guard let v = try value(name) else { return nil }
            guard !v.contains(","), !v.contains("\n") else {
                throw TemplateError.evaluation("\(name) '\(v)': a delimiter holding ',' or a newline is not supported by provision", at: 0)
            }
            return name + ": " + PythonRepr.string(v)
        }
    }

    /// `source` with `options` (`key: value` texts) in its `#jinja2:` line, ahead of any the
    /// file sets itself so that the file's own win; the source itself when there are none.
    static func withHeader(_ source: String, options: [String]) -> String {
        if options.isEmpty { return source }
        if source.hasPrefix(header) {
            let rest = source.dropFirst(header.count)
            let own = rest.prefix { $0 != "\n" }.trimmingCharacters(in: .whitespaces)
            return header + " " + options.joined(separator: ", ") + (own.isEmpty ? "" : ",") + rest
        }
        return header + " " + options.joined(separator: ", ") + "\n" + source
    }

    /// The truth of an option's value as Ansible reads it (Python's `ast.literal_eval`, then
    /// Jinja's truthiness): True/False/None, an integer, a quoted string (true when not empty);
    /// nil for anything else, where Ansible fails too.
    private static func literalTruth(_ text: String) -> Bool? {
        switch text {
        case "True": return true
        case "False", "None": return false
        default: break
        }
        if let n = Int(text) { return n != 0 }
        if text.count >= 2, let q = text.first, q == "'" || q == "\"", text.last == q { return text.count > 2 }
        return nil
    }
}
