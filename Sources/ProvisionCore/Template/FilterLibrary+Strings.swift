import Foundation

extension FilterLibrary {
    static let stringFilters: [String: Filter] = [
        "lower": plain { .string(try $0.text().lowercased()) },
        "upper": plain { .string(try $0.text().uppercased()) },
        "capitalize": plain { .string(PythonString.capitalize(try $0.text())) },
        "title": plain { .string(PythonString.title(try $0.text())) },
        "string": plain { .string(try $0.text()) },
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
        "quote": plain { .string(Shell.quote(try $0.text())) },
        "basename": plain { .string(basename(try $0.text())) },
        "dirname": plain { .string(dirname(try $0.text())) },
        "indent": plain(indent),
        "format": plain(format),
        "center": plain { call in
            let s = try call.text(), width = try call.args.int(0, "width") ?? 80
            let pad = max(0, width - s.count)
            return .string(String(repeating: " ", count: pad / 2) + s + String(repeating: " ", count: pad - pad / 2))
        },
        "wordcount": plain { .int(PythonString.split(try $0.text(), separator: nil).count) },
        "splitlines": plain { .list(PythonString.splitLines(try $0.text()).map(Value.string)) },
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
        else { prefix = String(repeating: " ", count: try call.args.int(0, "width") ?? 4) }
        let first = try call.args.bool(1, "first") ?? false
        let blank = try call.args.bool(2, "blank") ?? false
        var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in lines.indices where (i > 0 || first) && (blank || !lines[i].isEmpty) {
            lines[i] = prefix + lines[i]
        }
        return .string(lines.joined(separator: "\n"))
    }

    /// `%s` with `-`, width and `.precision` applied by hand (Foundation's `%@` ignores them).
    private static func padded(_ text: String, spec: String) -> String {
        let left = spec.contains("-")
        let parts = spec.filter { $0.isNumber || $0 == "." }.split(separator: ".", omittingEmptySubsequences: false)
        var t = text
        if parts.count > 1, let precision = Int(parts[1]) { t = String(t.prefix(precision)) }
        let width = parts.first.flatMap { Int($0) } ?? 0
        let pad = String(repeating: " ", count: max(0, width - t.count))
        return left ? t + pad : pad + t
    }

    /// Python's `%` formatting: `%s`, `%r`, `%d`/`%i`, `%f`/`%e`/`%g`, `%x`/`%o`, `%%`, with
    /// flags, width and precision (`%-10s`, `%05.2f`).
    private static func format(_ call: FilterCall) throws -> Value {
        let pattern = Array(try call.text())
        let values = try call.args.positional.map { try $0.value(at: call.args.offset) }
        var out = ""
        var next = 0
        var i = 0
        while i < pattern.count {
            let c = pattern[i]
            i += 1
            guard c == "%" else { out.append(c); continue }
            var spec = ""
            while i < pattern.count, "-+ #0123456789.".contains(pattern[i]) { spec.append(pattern[i]); i += 1 }
            guard i < pattern.count else { throw call.fail("incomplete format") }
            let conversion = pattern[i]
            i += 1
            if conversion == "%" { out.append("%"); continue }
            guard next < values.count else { throw call.fail("not enough arguments for format string") }
            let v = values[next]
            next += 1
            func number() throws -> TemplateNumber {
                guard let n = v.lenientNumber else { throw call.fail("%\(conversion) format: a number is required, not \(v.typeName)") }
                return n
            }
            switch conversion {
            case "s", "r":
                let text = conversion == "r" ? (v.stringValue.map { "'\($0)'" } ?? v.renderedString) : v.renderedString
                out += padded(text, spec: spec)
            case "d", "i", "x", "X", "o":
                let n = try number()
                let whole = n.double.isFinite ? Int(n.double.rounded(.towardZero)) : 0
                out += String(format: "%\(spec)l\(conversion == "i" ? "d" : String(conversion))", whole)
            case "f", "F", "e", "E", "g", "G":
                out += String(format: "%\(spec)\(conversion)", try number().double)
            default: throw call.fail("unsupported format character '\(conversion)'")
            }
        }
        if next < values.count { throw call.fail("not all arguments converted during string formatting") }
        return .string(out)
    }
}
