import Foundation
import Yams

/// Reads YAML files for the loaders: parse errors and duplicate keys become `Diagnostic`s with
/// file:line:column, and nodes convert to `Value` with Ansible's scalar rules.
public enum YAMLFile {
    /// Most nodes one document may expand to (aliases included): a bound against alias bombs.
    public static let maxNodes = 200_000

    /// Most bytes of scalar text one document may hold once its aliases are expanded
    /// (`PROVISION_MAX_YAML_BYTES`, default 64 MiB): 100,000 aliases of one 10 KB string are
    /// 1 GB, though the file is small and the node count modest.
    public static let maxExpandedBytes = limit("PROVISION_MAX_YAML_BYTES", default: 64 * 1024 * 1024)

    /// Largest YAML file read (`PROVISION_MAX_FILE_BYTES`, default 64 MiB).
    public static let maxFileBytes = limit("PROVISION_MAX_FILE_BYTES", default: 64 * 1024 * 1024)

    /// libyaml's nesting limit (levels of mappings and sequences in one another).
    public static let maxNesting = 1000

    static func limit(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) }.map { max(1, $0) } ?? value
    }

    /// Reads and parses `path`. A missing file, a syntax error and a duplicate key throw a
    /// `LoadError` naming the position. An empty document gives nil.
    public static func load(_ path: String) throws -> Node? {
        guard FileManager.default.fileExists(atPath: path) else {
            throw LoadError(Diagnostic("file not found", at: SourceLocation(file: path),
                                       hint: "check the path, or pass another with -i/--inventory"))
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue,
           size > maxFileBytes {
            throw LoadError(Diagnostic("the file is \(size) bytes, more than the limit of \(maxFileBytes) bytes for a YAML file",
                                       at: SourceLocation(file: path),
                                       hint: "split it (group_vars/, host_vars/), or raise the limit with PROVISION_MAX_FILE_BYTES=BYTES"))
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LoadError(Diagnostic("cannot read the file as UTF-8 text", at: SourceLocation(file: path)))
        }
        return try parse(text, file: path)
    }

    /// Parses YAML text; `file` names it in diagnostics.
    public static func parse(_ text: String, file: String) throws -> Node? {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw LoadError(diagnostic(for: error, text: text, file: file))
        }
        if let node { try checkExpandedSize(node, file: file, nodeLimit: max(maxNodes, text.utf8.count)) }
        return node
    }

    /// Walks the composed document (aliases expanded) once, iteratively, and stops at the first
    /// node past `nodeLimit` or the first byte past `maxExpandedBytes`: every reader after this
    /// sees a document of bounded size, whatever its aliases multiply. Without aliases a node
    /// takes at least a byte of the file, so `nodeLimit` (the larger of `maxNodes` and the
    /// file's length) only stops documents that aliases multiply.
    static func checkExpandedSize(_ root: Node, file: String, nodeLimit: Int) throws {
        var nodes = 0, bytes = 0
        var stack = [root]
        while let node = stack.popLast() {
            nodes += 1
            if nodes > nodeLimit {
                throw LoadError(Diagnostic("the document expands to more than \(nodeLimit) nodes (YAML aliases repeat their anchor)",
                                           at: location(of: node, in: file),
                                           hint: "use fewer aliases of large anchors; this limit cannot be raised"))
            }
            switch node {
            case .scalar(let scalar):
                bytes += scalar.string.utf8.count
                if bytes > maxExpandedBytes {
                    throw LoadError(Diagnostic("the document expands to more than \(maxExpandedBytes) bytes of text once its "
                                               + "YAML aliases are expanded",
                                               at: location(of: node, in: file),
                                               hint: "use fewer aliases of large anchors, or raise the limit with PROVISION_MAX_YAML_BYTES=BYTES"))
                }
            case .sequence(let seq):
                stack.append(contentsOf: seq)
            case .mapping(let map):
                for (k, v) in map { stack.append(k); stack.append(v) }
            case .alias:
                break
            }
        }
    }

    static func diagnostic(for error: YamlError, text: String, file: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var msg = "YAML syntax error: \(problem)"
            if let context { msg += " (\(context.text) at line \(context.mark.line))" }
            if (context?.text ?? "").contains("Maximum nesting level") || problem.contains("Maximum nesting level") {
                return Diagnostic("YAML nested deeper than \(maxNesting) levels of mappings and sequences",
                                  at: SourceLocation(file: file, line: mark.line, column: mark.column),
                                  hint: "flatten the structure; this limit (libyaml's) cannot be raised")
            }
            return Diagnostic(msg, at: SourceLocation(file: file, line: mark.line, column: mark.column),
                              hint: "fix the YAML at this position (indentation, a missing ':' or an unclosed quote are the usual causes)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let loc = secondOccurrence(of: key, after: context.mark, in: text)
                ?? SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
            return Diagnostic("duplicate key '\(key)' in this mapping (first at line \(context.mark.line))",
                              at: SourceLocation(file: file, line: loc.line, column: loc.column),
                              hint: "remove one of the two '\(key)' entries")
        case let .reader(problem, _, _, _):
            return Diagnostic("cannot read YAML: \(problem)", at: SourceLocation(file: file))
        default:
            return Diagnostic("YAML error: \(error)", at: SourceLocation(file: file))
        }
    }

    /// Finds the repeat of a duplicated key: the next line, at the same column as the first,
    /// that starts with `key:`.
    static func secondOccurrence(of key: String, after mark: Mark, in text: String) -> SourceLocation? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // A mark past the text's last line (libyaml counts `\r` and other breaks as lines too)
        // has no repeat to find.
        guard mark.line >= 1, mark.line < lines.count else { return nil }
        for i in mark.line..<lines.count {
            let line = lines[i]
            let indent = line.prefix { $0 == " " || $0 == "-" }.count
            let rest = line.dropFirst(indent)
            if indent + 1 == mark.column,
               rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
                return SourceLocation(file: "", line: i + 1, column: indent + 1)
            }
        }
        return nil
    }

    /// Where `node` starts, in `file`.
    public static func location(of node: Node, in file: String) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: file) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    /// Converts a node to a Value with Ansible's rules: quoted scalars are strings; plain
    /// scalars follow PyYAML's YAML 1.1 resolvers (`yaml11Scalar`). Throws when the
    /// document expands past `maxNodes` (alias bombs).
    public static func value(of node: Node, file: String) throws -> Value {
        var budget = maxNodes
        return try convert(node, file: file, budget: &budget)
    }

    /// What a `!unsafe` string becomes: its text inside `{%raw+%}…{%endraw%}`, so that the
    /// rendering every user value goes through gives the text back untouched, as Ansible never
    /// templates an unsafe value. This exact spelling (no spaces) marks the value as unsafe for
    /// `type_debug`; an `endraw` in the text closes and reopens the raw block around it.
    public static func unsafeText(_ s: String) -> String {
        unsafeMarker + s.replacingOccurrences(of: "endraw", with: "endr" + unsafeEnd + unsafeMarker + "aw") + unsafeEnd
    }

    /// `+`: no trim_blocks after the tag, so a leading newline of the text stays.
    public static let unsafeMarker = "{%raw+%}"
    static let unsafeEnd = "{%endraw%}"

    private static func convert(_ node: Node, file: String, budget: inout Int, unsafe inherited: Bool = false) throws -> Value {
        // `!unsafe` on a scalar makes its text an unsafe string (`!unsafe 5` is '5'); on a list
        // or mapping, every string inside is unsafe and other scalars keep their types.
        let tagged = node.tag.rawValue == "!unsafe"
        let unsafe = inherited || tagged
        budget -= 1
        if budget < 0 {
            throw LoadError(Diagnostic("document expands to more than \(maxNodes) nodes (alias expansion?)",
                                       at: location(of: node, in: file),
                                       hint: "reduce the use of YAML aliases"))
        }
        switch node {
        case .scalar(let scalar):
            if tagged { return .string(unsafeText(scalar.string)) }
            let v = scalarValue(scalar)
            if unsafe, case .string(let text) = v { return .string(unsafeText(text)) }
            return v
        case .sequence(let seq):
            var out: [Value] = []
            out.reserveCapacity(seq.count)
            for item in seq { out.append(try convert(item, file: file, budget: &budget, unsafe: unsafe)) }
            return .list(out)
        case .mapping(let map):
            var out = ValueDict()
            for (k, v) in map {
                // A plain `1:`, `true:` or `null:` key keeps its type, as PyYAML's does.
                let key: Value
                if let scalar = k.scalar { key = scalarValue(scalar) }
                else { key = .string(try convert(k, file: file, budget: &budget).jsonString) }
                out[typedKey: key] = try convert(v, file: file, budget: &budget, unsafe: unsafe)
            }
            return .dict(out)
        case .alias:
            throw LoadError(Diagnostic("unresolved YAML alias", at: location(of: node, in: file)))
        }
    }

    /// A scalar's Value by the rules above; `!!str` and other explicit tags are honoured.
    public static func scalarValue(_ scalar: Node.Scalar) -> Value {
        let s = scalar.string
        if scalar.style != .plain && scalar.style != .any { return .string(s) }
        let tag = scalar.tag.rawValue
        switch tag {
        case Tag.Name.str.rawValue: return .string(s)
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.implicit.rawValue, Tag.Name.nonSpecific.rawValue: break
        default: if !tag.hasPrefix("tag:yaml.org,2002:") { return .string(s) }
        }
        return yaml11Scalar(s)
    }

    /// PyYAML's implicit resolvers (YAML 1.1), as Ansible reads plain scalars: null, the
    /// yes/no/on/off booleans, ints with `_`, `0b`, leading-0 octal (`0644` is 420), `0x`
    /// and sexagesimal (`1:30` is 90), and floats that have a dot or a signed exponent
    /// (`1.10` is 1.1; `1e3` stays a string). Anything else is a string.
    static func yaml11Scalar(_ s: String) -> Value {
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        guard let first = s.unicodeScalars.first, "+-.0123456789".unicodeScalars.contains(first) else { return .string(s) }
        func matches(_ pattern: String) -> Bool { s.range(of: pattern, options: .regularExpression) != nil }
        var sign = 1
        var body = Substring(s)
        if body.hasPrefix("-") { sign = -1; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        let digits = body.replacingOccurrences(of: "_", with: "")
        if matches(#"^[-+]?0b[0-1_]+$"#), let v = Int(digits.dropFirst(2), radix: 2) { return .int(sign * v) }
        if matches(#"^[-+]?0x[0-9a-fA-F_]+$"#), let v = Int(digits.dropFirst(2), radix: 16) { return .int(sign * v) }
        if matches(#"^[-+]?0[0-7_]+$"#), let v = Int(digits, radix: 8) { return .int(sign * v) }
        if matches(#"^[-+]?(0|[1-9][0-9_]*)$"#), let v = Int(digits) { return .int(sign * v) }
        if matches(#"^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$"#) {
            var v = 0
            for part in digits.split(separator: ":") { v = v * 60 + (Int(part) ?? 0) }
            return .int(sign * v)
        }
        if matches(#"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$"#) || matches(#"^[-+]?[0-9][0-9_]*[eE][-+][0-9]+$"#),
           digits != ".", let v = Double(digits.hasPrefix(".") ? "0" + digits : digits) {
            return .double(Double(sign) * v)
        }
        if matches(#"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$"#) {
            var v = 0.0
            for part in digits.split(separator: ":") { v = v * 60 + (Double(part) ?? 0) }
            return .double(Double(sign) * v)
        }
        return .string(s)
    }
}
