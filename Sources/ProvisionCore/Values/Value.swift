import Foundation

/// A variable's value: what YAML, facts, registered results and templates produce.
///
/// Scalars keep the types Ansible gives them: quoted YAML stays a string, plain YAML follows
/// PyYAML's YAML 1.1 rules (`1.10` is the float 1.1, as in Ansible). A string that looks like
/// a number is still a string: `'8080' == 8080` is false, as in Python.
public enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    /// A Python tuple (`(1, 2)`, `splitext`, `dict.items()`, `zip`): a list everywhere except
    /// in its repr (`(1, 2)`, `(1,)`), in `==` (never equal to a list) and in `type_debug`.
    /// Modules see a list, as JSON carries it.
    case tuple([Value])
    case dict(ValueDict)
}

extension Value {
    /// The text a template substitutes for this value: Python's `str()` (lists and dicts as
    /// Python's repr, `['a', True, None]`), except that None writes nothing, as Ansible's
    /// finalize does.
    public var renderedString: String {
        if case .null = self { return "" }
        return PythonRepr.str(self)
    }

    /// Compact JSON text in the dict's own key order, used by `to_json` and for lists/dicts in templates.
    public var jsonString: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? String(d) : "null"
        case .string(let s): return Value.jsonQuote(s)
        case .list(let items), .tuple(let items): return "[" + items.map(\.jsonString).joined(separator: ", ") + "]"
        case .dict(let d):
            return "{" + d.map { Value.jsonQuote($0.key) + ": " + $0.value.jsonString }
                .joined(separator: ", ") + "}"
        }
    }

    private static let hexDigits: [Unicode.Scalar] = Array("0123456789abcdef".unicodeScalars)

    static func jsonQuote(_ s: String) -> String {
        // One scalar view built in place: no String(format:) or string concatenation per
        // byte (a host printing NULs sends hundreds of thousands of them).
        var out = String.UnicodeScalarView()
        out.append("\"")
        for u in s.unicodeScalars {
            switch u {
            case "\"", "\\": out.append("\\"); out.append(u)
            case "\n": out.append("\\"); out.append("n")
            case "\r": out.append("\\"); out.append("r")
            case "\t": out.append("\\"); out.append("t")
            default:
                if u.value < 0x20 {
                    for c in "\\u00".unicodeScalars { out.append(c) }
                    out.append(Self.hexDigits[Int(u.value >> 4)])
                    out.append(Self.hexDigits[Int(u.value & 15)])
                } else {
                    out.append(u)
                }
            }
        }
        out.append("\"")
        return String(out)
    }

    public var isNull: Bool { if case .null = self { return true }; return false }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    /// The items of a list or a tuple.
    public var listValue: [Value]? {
        switch self {
        case .list(let l), .tuple(let l): return l
        default: return nil
        }
    }

    /// The value with every tuple, at any depth, made a list: what a module receives (Ansible
    /// passes module arguments as JSON, which has no tuples).
    public var tuplesAsLists: Value {
        switch self {
        case .list(let l), .tuple(let l): return .list(l.map(\.tuplesAsLists))
        case .dict(let d): return .dict(d.mapValues(\.tuplesAsLists))
        default: return self
        }
    }
    public var dictValue: ValueDict? { if case .dict(let d) = self { return d }; return nil }

    /// A dict value from a Swift dictionary (keys sorted, as its order is unspecified).
    public static func dict(_ d: [String: Value]) -> Value { .dict(ValueDict(d)) }

    /// Subscript into a dict value; `.null` otherwise.
    public subscript(key: String) -> Value? {
        if case .dict(let d) = self { return d[key] }
        return nil
    }

    /// Converts Foundation JSON objects (from `JSONSerialization`) into a Value.
    public init(json: Any) {
        switch json {
        case let n as NSNumber:
            let kind = String(cString: n.objCType)
            if kind == "c" || kind == "B" { self = .bool(n.boolValue) }
            else if kind == "d" || kind == "f" { self = .double(n.doubleValue) }
            else { self = .int(n.intValue) }
        case let s as String: self = .string(s)
        case let a as [Any]: self = .list(a.map(Value.init(json:)))
        case let d as [String: Any]: self = .dict(d.mapValues(Value.init(json:)))
        default: self = .null
        }
    }

    /// Parses JSON text into a Value, keeping object key order; nil when it is not JSON.
    public init?(jsonText: String) {
        guard let v = try? OrderedJSON.parse(jsonText) else { return nil }
        self = v
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .dict(ValueDict(elements))
    }
    public init(nilLiteral: ()) { self = .null }
}
