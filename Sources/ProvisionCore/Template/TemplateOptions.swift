import Foundation

/// The Jinja environment options a template may set for itself on its first line, as Ansible
/// reads them: `#jinja2: trim_blocks: False, lstrip_blocks: True` (the line is removed).
/// An option provision does not implement is an error naming it, never ignored.
struct TemplateOptions {
    var trimBlocks = true
    var lstripBlocks = false
    var keepTrailingNewline = false

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
            guard let flag = literalTruth(kv[1]) else {
                throw TemplateError.syntax("'#jinja2:' option \(kv[0]) needs True or False (got \(kv[1]))", at: 0)
            }
            switch kv[0] {
            case "trim_blocks": options.trimBlocks = flag
            case "lstrip_blocks": options.lstripBlocks = flag
            case "keep_trailing_newline": options.keepTrailingNewline = flag
            default: throw TemplateError.syntax("'#jinja2:' option '\(kv[0])' is not supported by provision (trim_blocks, lstrip_blocks, keep_trailing_newline are)", at: 0)
            }
        }
        return (options, body)
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
