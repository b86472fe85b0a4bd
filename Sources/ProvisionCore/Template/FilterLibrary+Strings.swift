import Foundation

extension FilterLibrary {
    static let stringFilters: [String: Filter] = [
        "lower": plain { .string(try $0.text().lowercased()) },
        "upper": plain { .string(try $0.text().uppercased()) },
        "capitalize": plain { .string(PythonString.capitalize(try $0.text())) },
        "title": plain { .string(jinjaTitle(try $0.text())) },
        "string": plain { .string(PythonRepr.str(try $0.value())) },
        "trim": plain { .string(PythonString.strip(try $0.text(), try $0.args.string(0, "chars"))) },
        "strip": plain { .string(PythonString.strip(try $0.text(), try $0.args.string(0, "chars"))) },
        "replace": plain { call in
            .string(PythonString.replace(try call.text(), try call.args.requiredString(0, "old"),
                                         try call.args.requiredString(1, "new"), count: try call.args.int(2, "count") ?? -1))
        },
        "split": plain { call in
            let parts = PythonString.split(try call.text(), separator: try call.args.string(0, "sep"),
                                           maxSplits: try call.args.int(1, "maxsplit") ?? -1)
            return .list(parts.map(Value.string))
        },
        "quote": plain { .string(pythonShellQuote(try $0.text())) },
        "basename": plain { .string(basename(try $0.text())) },
        "dirname": plain { .string(dirname(try $0.text())) },
        "indent": plain(indent),
        "format": plain(format),
        "center": plain { call in
            .string(PythonString.justify("center", try call.text(), width: try PythonString.width(try call.args.int(0, "width") ?? 80, "center width"), fill: " "))
        },
        "wordcount": plain { .int(PythonString.split(try $0.text(), separator: nil).count) },
        "safe": { call in call.input },
        "path_join": plain { call in
            let parts = try call.list().map(\.renderedString)
            return .string(parts.reduce("") { path, part in
                if part.hasPrefix("/") || path.isEmpty { return part }
                return path.hasSuffix("/") ? path + part : path + "/" + part
            })
        },
        "splitext": plain { call in
            let path = try call.text()
            let base = basename(path)
            guard let dot = base.lastIndex(of: "."), dot != base.startIndex,
                  base[base.startIndex..<dot].contains(where: { $0 != "." }) else { return .tuple([.string(path), ""]) }
            let ext = String(base[dot...])
            return .tuple([.string(String(path.dropLast(ext.count))), .string(ext)])
        },
    ]

    /// Python's `os.path.basename`: what follows the last `/` (empty for `a/`).
    static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Python's `os.path.dirname`: what precedes the last `/`, trailing slashes removed
    /// unless it is the root.
    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        let head = String(path[...slash])
        let trimmed = PythonString.strip(head, "/", leading: false)
        return trimmed.isEmpty ? String(head.prefix { $0 == "/" }) : trimmed
    }

    /// Jinja's `indent(width=4, first=False, blank=False)`.
    private static func indent(_ call: FilterCall) throws -> Value {
        let s = try call.text()
        let prefix: String
        if case .string(let p)? = try call.args.value(0, "width") { prefix = p }
        else { prefix = String(repeating: " ", count: try PythonString.width(try call.args.int(0, "width") ?? 4, "indent width")) }
        let first = try call.args.bool(1, "first") ?? false
        let blank = try call.args.bool(2, "blank") ?? false
        var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in lines.indices where (i > 0 || first) && (blank || !lines[i].isEmpty) {
            lines[i] = prefix + lines[i]
        }
        return .string(lines.joined(separator: "\n"))
    }

    private static func format(_ call: FilterCall) throws -> Value {
        let values = try call.args.positional.map { try $0.value(at: call.args.offset) }
        do {
            return .string(try PythonFormat.format(try call.text(), values))
        } catch let failure as PythonFormat.Failure {
            throw call.fail(failure.message)
        }
    }

    /// Python's `shlex.quote`, which Ansible's `quote` filter is: safe text as is, `''` for
    /// empty, otherwise single quotes with `'` written `'"'"'`.
    static func pythonShellQuote(_ s: String) -> String {
        if s.isEmpty { return "''" }
        let safe = s.unicodeScalars.allSatisfy { u in
            u.isASCII && (CharacterSet.alphanumerics.contains(u) || "_@%+=:,./-".unicodeScalars.contains(u))
        }
        if safe { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\"'\"'") + "'"
    }

    /// Jinja's `title` filter (not str.title): words start after '-', whitespace or an opening
    /// bracket; the first letter of each is upper-cased, the rest lower-cased.
    static func jinjaTitle(_ s: String) -> String {
        var out = "", atStart = true
        for c in s {
            if c == "-" || c.isWhitespace || "({[<".contains(c) {
                out.append(c); atStart = true
            } else if atStart {
                out += c.uppercased(); atStart = false
            } else {
                out += c.lowercased()
            }
        }
        return out
    }
}
