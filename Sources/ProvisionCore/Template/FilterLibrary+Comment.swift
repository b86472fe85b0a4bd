/// Ansible's `comment` filter (`{{ ansible_managed | comment }}` heads most role templates):
/// every line of the text behind a decoration, between a prefix and a postfix line, with the
/// styles plain, erlang, c, cblock and xml and each part settable by keyword.
extension FilterLibrary {
    static let commentFilters: [String: Filter] = ["comment": plain(comment)]

    private static let commentStyles: [String: [String: String]] = [
        "plain": ["decoration": "# "],
        "erlang": ["decoration": "% "],
        "c": ["decoration": "// "],
        "cblock": ["beginning": "/*", "decoration": " * ", "end": " */"],
        "xml": ["beginning": "<!--", "decoration": " - ", "end": "-->"],
    ]

    private static func comment(_ call: FilterCall) throws -> Value {
        guard case .string(let text) = try call.value() else {
            throw call.fail("expects a string, got \(try call.value().typeName)")
        }
        let style = try call.args.string(0, "style") ?? "plain"
        guard let styleParams = commentStyles[style] else {
            throw call.fail("unknown style '\(style)' (plain, erlang, c, cblock or xml)")
        }
        func keyword(_ name: String) throws -> String? {
            guard let v = try call.args.operand(-1, name)?.value(at: call.args.offset) else { return nil }
            switch v {
            case .string(let s): return s
            case .int, .bool, .double, .null: return v.renderedString
            default: throw call.fail("'\(name)' must be a string, got \(v.typeName)")
            }
        }
        func count(_ name: String) throws -> Int {
            guard let v = try call.args.operand(-1, name)?.value(at: call.args.offset) else { return 1 }
            switch v {
            case .int(let i): return i
            case .string(let s):
                guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else { throw call.fail("'\(name)' must be an integer, got '\(s)'") }
                return i
            default: throw call.fail("'\(name)' must be an integer, got \(v.typeName)")
            }
        }
        let prepostfix = try keyword("decoration") ?? styleParams["decoration"] ?? ""
        let trimmed = PythonString.strip(prepostfix, nil, leading: false)
        let newline = try keyword("newline") ?? "\n"
        // Python's replace of an empty string inserts between every character; nobody means that.
        if newline.isEmpty { throw call.fail("'newline' must not be empty") }
        let beginning = try keyword("beginning") ?? styleParams["beginning"] ?? ""
        let prefix = try keyword("prefix") ?? trimmed
        let decoration = try keyword("decoration") ?? styleParams["decoration"] ?? ""
        let postfix = try keyword("postfix") ?? trimmed
        let end = try keyword("end") ?? styleParams["end"] ?? ""
        let prefixCount = try PythonString.width(try count("prefix_count"), "prefix_count")
        let postfixCount = try PythonString.width(try count("postfix_count"), "postfix_count")

        var out = beginning.isEmpty ? "" : beginning + newline
        if !prefix.isEmpty {
            out += String(repeating: prefix == newline ? newline : prefix + newline, count: max(0, prefixCount))
        }
        let decorated = decoration + text.replacingOccurrences(of: newline, with: newline + decoration)
        // A line holding only the decoration loses its trailing spaces.
        out += decorated.replacingOccurrences(of: decoration + newline,
                                              with: PythonString.strip(decoration, nil, leading: false) + newline)
        out += ([""] + Array(repeating: postfix, count: max(0, postfixCount))).joined(separator: newline)
        if !end.isEmpty { out += newline + end }
        return .string(out)
    }
}
