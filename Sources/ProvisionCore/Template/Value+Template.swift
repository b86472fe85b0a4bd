import Foundation

extension Value {
    /// Python's truthiness: none, false, 0, "", [] and {} are false.
    var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l), .tuple(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        }
    }

    /// The Python type name Ansible users see in messages and from `type_debug`.
    var typeName: String {
        switch self {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        }
    }

    /// The value as a number when it is one (booleans count as 0/1, as in Python).
    var strictNumber: TemplateNumber? {
        switch self {
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bool(let b): return .int(b ? 1 : 0)
        default: return nil
        }
    }

    /// The value as a number, reading numeric strings too (for when the other side is a number).
    var lenientNumber: TemplateNumber? {
        if let n = strictNumber { return n }
        if case .string(let s) = self { return TemplateNumber(parsing: s) }
        return nil
    }

    /// Not a list or a dict.
    var isScalar: Bool {
        switch self {
        case .list, .tuple, .dict: return false
        default: return true
        }
    }

    var isNumber: Bool {
        switch self {
        case .int, .double: return true
        default: return false
        }
    }

    /// Both sides as numbers when both are (booleans count, as in Python): a string that looks
    /// like a number is still a string (`'8080' == 8080` is false, `'42' * 2` is '4242').
    static func numericPair(_ a: Value, _ b: Value) -> (TemplateNumber, TemplateNumber)? {
        if let x = a.strictNumber, let y = b.strictNumber { return (x, y) }
        return nil
    }

    /// Equality for `==`, `in` and friends: numbers compare by value across int/float/bool;
    /// lists and dicts compare member by member.
    func templateEquals(_ other: Value) -> Bool {
        if let (x, y) = Value.numericPair(self, other) { return x.double == y.double }
        switch (self, other) {
        case let (.string(a), .string(b)):
            // Python compares code points; Swift's == would join canonically equivalent texts.
            return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case let (.list(a), .list(b)), let (.tuple(a), .tuple(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.templateEquals($1) }
        case let (.dict(a), .dict(b)):
            return a.count == b.count
                && a.allSatisfy { k, v in b[typedKey: a.typedKey(k)].map { v.templateEquals($0) } ?? false }
        default:
            return self == other
        }
    }

    /// Ordering for `<`, `sort`, `min` and `max`; nil when the two cannot be ordered.
    func templateCompare(_ other: Value, caseSensitive: Bool = true) -> ComparisonResult? {
        if let (x, y) = Value.numericPair(self, other) {
            return x.double < y.double ? .orderedAscending : (x.double > y.double ? .orderedDescending : .orderedSame)
        }
        switch (self, other) {
        case var (.string(a), .string(b)):
            if !caseSensitive { a = a.lowercased(); b = b.lowercased() }
            let ua = Array(a.unicodeScalars), ub = Array(b.unicodeScalars)
            if ua.lexicographicallyPrecedes(ub) { return .orderedAscending }
            return ua == ub ? .orderedSame : .orderedDescending
        case let (.list(a), .list(b)), let (.tuple(a), .tuple(b)):
            for (x, y) in zip(a, b) {
                guard let r = x.templateCompare(y, caseSensitive: caseSensitive) else { return nil }
                if r != .orderedSame { return r }
            }
            return a.count < b.count ? .orderedAscending : (a.count > b.count ? .orderedDescending : .orderedSame)
        default:
            return nil
        }
    }
}
