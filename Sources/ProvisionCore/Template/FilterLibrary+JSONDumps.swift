/// `to_json(**kwargs)`: Python's `json.dumps` with the keyword arguments Ansible passes on
/// (`indent`, `sort_keys`, `ensure_ascii`, `separators`); any other one is refused.
extension FilterLibrary {
    struct JSONDumpOptions {
        var indent: String?
        var sortKeys = false
        var ensureASCII = true
        var itemSeparator = ", "
        var keySeparator = ": "
    }

    static func toJSON(_ call: FilterCall) throws -> Value {
        let known: Set<String> = ["indent", "sort_keys", "ensure_ascii", "separators"]
        if let other = call.args.keyword.keys.first(where: { !known.contains($0) }) {
            throw call.fail("the json.dumps option '\(other)' is not supported by provision")
        }
        if !call.args.positional.isEmpty { throw call.fail("to_json takes keyword arguments only") }
        var o = JSONDumpOptions()
        o.sortKeys = try call.args.bool(-1, "sort_keys") ?? false
        o.ensureASCII = try call.args.bool(-1, "ensure_ascii") ?? true
        switch try call.args.value(-1, "indent") {
        case nil, .null?: break
        case .int(let n)?:
            o.indent = String(repeating: " ", count: max(0, n))
            o.itemSeparator = ","
        case .string(let s)?:
            o.indent = s
            o.itemSeparator = ","
        case let v?: throw call.fail("indent must be an integer or a string, not \(v.typeName)")
        }
        if let seps = try call.args.value(-1, "separators"), !seps.isNull {
            guard case .list(let l) = seps, l.count == 2, case .string(let item) = l[0], case .string(let key) = l[1] else {
                throw call.fail("separators must be a pair of strings")
            }
            (o.itemSeparator, o.keySeparator) = (item, key)
        }
        return .string(jsonDumps(try call.value(), o, level: 0))
    }

    static func jsonDumps(_ v: Value, _ o: JSONDumpOptions, level: Int) -> String {
        func quote(_ s: String) -> String { o.ensureASCII ? asciiJSONQuote(s) : Value.jsonQuote(s) }
        let newline = o.indent.map { "\n" + String(repeating: $0, count: level + 1) }
        let closing = o.indent.map { "\n" + String(repeating: $0, count: level) } ?? ""
        let separator = o.itemSeparator + (newline ?? "")
        switch v {
        case .string(let s): return quote(s)
        case .list(let items) where !items.isEmpty:
            return "[" + (newline ?? "") + items.map { jsonDumps($0, o, level: level + 1) }.joined(separator: separator) + closing + "]"
        case .dict(let d) where !d.isEmpty:
            let keys = o.sortKeys ? d.keys.sorted() : Array(d.keys)
            return "{" + (newline ?? "") + keys.map { quote($0) + o.keySeparator + jsonDumps(d[$0] ?? .null, o, level: level + 1) }
                .joined(separator: separator) + closing + "}"
        case .list: return "[]"
        case .dict: return "{}"
        default: return pythonJSON(v, sortKeys: o.sortKeys)
        }
    }
}
