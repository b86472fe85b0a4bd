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
        // skipkeys and check_circular change nothing for values provision holds (every key is
        // a str, int, float, bool or None; no value can contain itself); default=None is the default.
        let known: Set<String> = ["indent", "sort_keys", "ensure_ascii", "separators", "skipkeys", "check_circular", "allow_nan"]
        if let other = call.args.keyword.keys.first(where: { !known.contains($0) && !($0 == "default" && call.args.keyword[$0].map(isNone) == true) }) {
            throw call.fail("the json.dumps option '\(other)' is not supported by provision")
        }
        if try call.args.value(-1, "allow_nan")?.isTruthy == false, containsNonFinite(try call.value()) {
            throw call.fail("Out of range float values are not JSON compliant")
        }
        if !call.args.positional.isEmpty { throw call.fail("to_json takes keyword arguments only") }
        var o = JSONDumpOptions()
        o.sortKeys = try call.args.bool(-1, "sort_keys") ?? false
        o.ensureASCII = try call.args.bool(-1, "ensure_ascii") ?? true
        switch try call.args.value(-1, "indent") {
        case nil, .null?: break
        case .int(let n)?:
            o.indent = String(repeating: " ", count: try PythonString.width(n, "indent"))
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

    private static func isNone(_ operand: Operand) -> Bool {
        if case .value(.null) = operand { return true }
        return false
    }

    private static func containsNonFinite(_ v: Value) -> Bool {
        switch v {
        case .double(let d): return !d.isFinite
        case .list(let l): return l.contains(where: containsNonFinite)
        case .dict(let d): return d.values.contains(where: containsNonFinite)
        default: return false
        }
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
