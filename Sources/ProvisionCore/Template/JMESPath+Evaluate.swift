import Foundation

extension JMESPath {
    static func truthy(_ v: Value) -> Bool {
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        default: return true
        }
    }

    static func evaluate(_ node: Node, _ v: Value) throws -> Value {
        switch node {
        case .identity: return v
        case .literal(let l): return l
        case .field(let name):
            if case .dict(let d) = v { return d[name] ?? .null }
            return .null
        case .sub(let a, let b):
            let left = try evaluate(a, v)
            return left == .null ? .null : try evaluate(b, left)
        case .index(let i):
            guard case .list(let l) = v else { return .null }
            let at = i < 0 ? l.count + i : i
            return l.indices.contains(at) ? l[at] : .null
        case .slice(let start, let stop, let step):
            guard case .list(let l) = v else { return .null }
            let s = step ?? 1, n = l.count
            func clamp(_ x: Int?, _ dflt: Int) -> Int {
                guard var x else { return dflt }
                if x < 0 { x += n }
                return s > 0 ? min(max(x, 0), n) : min(max(x, -1), n - 1)
            }
            let lo = clamp(start, s > 0 ? 0 : n - 1), hi = clamp(stop, s > 0 ? n : -1)
            return .list(Swift.stride(from: lo, to: hi, by: s).map { l[$0] })
        case .projection(let a, let b):
            guard case .list(let l) = try evaluate(a, v) else { return .null }
            return .list(try l.map { try evaluate(b, $0) }.filter { $0 != .null })
        case .valueProjection(let a, let b):
            guard case .dict(let d) = try evaluate(a, v) else { return .null }
            return .list(try d.values.map { try evaluate(b, $0) }.filter { $0 != .null })
        case .filterProjection(let a, let b, let condition):
            guard case .list(let l) = try evaluate(a, v) else { return .null }
            return .list(try l.filter { truthy(try evaluate(condition, $0)) }.map { try evaluate(b, $0) }.filter { $0 != .null })
        case .flatten(let a):
            guard case .list(let l) = try evaluate(a, v) else { return .null }
            return .list(l.flatMap { item -> [Value] in if case .list(let inner) = item { return inner }; return [item] })
        case .pipe(let a, let b): return try evaluate(b, try evaluate(a, v))
        case .or(let a, let b):
            let left = try evaluate(a, v)
            return truthy(left) ? left : try evaluate(b, v)
        case .and(let a, let b):
            let left = try evaluate(a, v)
            return truthy(left) ? try evaluate(b, v) : left
        case .not(let a): return .bool(!truthy(try evaluate(a, v)))
        case .compare(let op, let a, let b):
            let l = try evaluate(a, v), r = try evaluate(b, v)
            switch op {
            case "==": return .bool(equal(l, r))
            case "!=": return .bool(!equal(l, r))
            default:
                guard let x = number(l), let y = number(r) else { return .null }
                switch op {
                case "<": return .bool(x < y)
                case "<=": return .bool(x <= y)
                case ">": return .bool(x > y)
                default: return .bool(x >= y)
                }
            }
        case .multiList(let items):
            if v == .null { return .null }
            return .list(try items.map { try evaluate($0, v) })
        case .multiHash(let pairs):
            if v == .null { return .null }
            var d = ValueDict()
            for (k, n) in pairs { d[k] = try evaluate(n, v) }
            return .dict(d)
        case .function(let name, let args):
            if ["sort_by", "max_by", "min_by", "map"].contains(name) { return try byExpression(name, args, v) }
            return try function(name, try args.map { try evaluate($0, v) })
        case .expref:
            throw Failure(message: "an expression reference (&) is only an argument of sort_by, max_by, min_by and map")
        }
    }

    /// The functions that take an expression reference: `map(&e, list)`, `sort_by(list, &e)`,
    /// `max_by`, `min_by`, with jmespath's type rules (keys all numbers or all strings).
    private static func byExpression(_ name: String, _ args: [Node], _ v: Value) throws -> Value {
        guard args.count == 2 else { throw Failure(message: "\(name)() takes 2 argument(s), \(args.count) given") }
        let exprIndex = name == "map" ? 0 : 1
        guard case .expref(let expr) = args[exprIndex] else { throw Failure(message: "invalid type for \(name)(): it needs an expression (&...)") }
        guard case .list(let items) = try evaluate(args[1 - exprIndex], v) else { throw Failure(message: "invalid type for \(name)()") }
        if name == "map" { return .list(try items.map { try evaluate(expr, $0) }) }
        if items.isEmpty { return name == "sort_by" ? .list([]) : .null }
        let keys = try items.map { try evaluate(expr, $0) }
        let before: (Value, Value) -> Bool
        if keys.allSatisfy({ number($0) != nil }) {
            before = { (number($0) ?? 0) < (number($1) ?? 0) }
        } else if keys.allSatisfy({ $0.stringValue != nil }) {
            // Ansible's strings are AnsibleUnicode, a type jmespath's key check does not know.
            throw Failure(message: "In function \(name)(), invalid type for value: expected one of: ['number', 'string'], received: \"unknown\"")
        } else {
            throw Failure(message: "invalid type for \(name)(): the expression must give all numbers or all strings")
        }
        let indexed = Array(zip(items, keys))
        switch name {
        case "sort_by":
            // Stable, as Python's sorted.
            let order = indexed.indices.sorted { a, b in
                before(indexed[a].1, indexed[b].1) || (!before(indexed[b].1, indexed[a].1) && a < b)
            }
            return .list(order.map { indexed[$0].0 })
        default:
            // Python's max()/min() keep the first of equal keys.
            var best = indexed[0]
            for pair in indexed.dropFirst() where name == "max_by" ? before(best.1, pair.1) : before(pair.1, best.1) { best = pair }
            return best.0
        }
    }

    private static func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    private static func equal(_ a: Value, _ b: Value) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        switch (a, b) {
        case let (.list(l), .list(r)): return l.count == r.count && zip(l, r).allSatisfy { equal($0, $1) }
        case let (.dict(l), .dict(r)):
            return l.count == r.count && l.allSatisfy { k, x in r[k].map { equal(x, $0) } ?? false }
        default: return a == b
        }
    }

    private static func function(_ name: String, _ args: [Value]) throws -> Value {
        func arity(_ n: Int) throws {
            guard args.count == n else { throw Failure(message: "\(name)() takes \(n) argument(s), \(args.count) given") }
        }
        func invalid() -> Failure { Failure(message: "invalid type for \(name)()") }
        switch name {
        case "length":
            try arity(1)
            switch args[0] {
            case .string(let s): return .int(s.unicodeScalars.count)
            case .list(let l): return .int(l.count)
            case .dict(let d): return .int(d.count)
            default: throw invalid()
            }
        case "keys", "values":
            try arity(1)
            guard case .dict(let d) = args[0] else { throw invalid() }
            return .list(name == "keys" ? d.keys.map(Value.string) : d.values)
        case "contains":
            try arity(2)
            switch args[0] {
            case .list(let l): return .bool(l.contains { equal($0, args[1]) })
            case .string(let s):
                guard case .string(let sub) = args[1] else { throw Failure(message: "contains() on a string needs a string to search for") }
                return .bool(sub.isEmpty || s.contains(sub))
            default: throw invalid()
            }
        case "starts_with", "ends_with":
            try arity(2)
            guard case .string(let s) = args[0], case .string(let t) = args[1] else { throw invalid() }
            return .bool(name == "starts_with" ? s.hasPrefix(t) : s.hasSuffix(t))
        case "join":
            try arity(2)
            guard case .string(let sep) = args[0], case .list(let l) = args[1] else { throw invalid() }
            let parts = try l.map { item -> String in guard case .string(let s) = item else { throw invalid() }; return s }
            return .string(parts.joined(separator: sep))
        case "to_string":
            try arity(1)
            if case .string = args[0] { return args[0] }
            let text = compactJSON(args[0])
            // Python escapes non-ASCII text as \uXXXX here; provision does not copy that.
            guard text.unicodeScalars.allSatisfy(\.isASCII) else { throw Failure(message: "to_string() of non-ASCII text is not supported") }
            return .string(text)
        case "sort", "max", "min":
            try arity(1)
            guard case .list(let l) = args[0] else { throw invalid() }
            let sorted: [Value]
            if let numbers = Optional(l.compactMap(number)), numbers.count == l.count {
                sorted = zip(l, numbers).sorted { $0.1 < $1.1 }.map(\.0)
            } else if let strings = Optional(l.compactMap(\.stringValue)), strings.count == l.count {
                sorted = strings.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.map(Value.string)
            } else {
                throw invalid()
            }
            if name == "sort" { return .list(sorted) }
            return (name == "max" ? sorted.last : sorted.first) ?? .null
        case "reverse":
            try arity(1)
            switch args[0] {
            case .list(let l): return .list(l.reversed())
            case .string(let s): return .string(String(s.unicodeScalars.reversed().map(Character.init)))
            default: throw invalid()
            }
        case "not_null":
            guard !args.isEmpty else { throw invalid() }
            return args.first { $0 != .null } ?? .null
        case "sum":
            try arity(1)
            guard case .list(let l) = args[0] else { throw invalid() }
            if l.allSatisfy({ if case .int = $0 { return true }; return false }) {
                return .int(l.reduce(0) { acc, v in if case .int(let i) = v { return acc + i }; return acc })
            }
            let numbers = l.compactMap(number)
            guard numbers.count == l.count else { throw invalid() }
            return .double(numbers.reduce(0, +))
        case "avg":
            // Python's jmespath: sum / len as a float; null for an empty list.
            try arity(1)
            guard case .list(let l) = args[0] else { throw invalid() }
            if l.isEmpty { return .null }
            let numbers = l.compactMap(number)
            guard numbers.count == l.count else { throw invalid() }
            return .double(numbers.reduce(0, +) / Double(numbers.count))
        case "abs":
            try arity(1)
            switch args[0] {
            case .int(let i): return .int(abs(i))
            case .double(let d): return .double(abs(d))
            default: throw invalid()
            }
        case "ceil", "floor":
            // math.ceil/floor give ints in Python 3.
            try arity(1)
            switch args[0] {
            case .int(let i): return .int(i)
            case .double(let d):
                let r = name == "ceil" ? d.rounded(.up) : d.rounded(.down)
                guard let i = Int(exactly: r) else { throw invalid() }
                return .int(i)
            default: throw invalid()
            }
        case "to_number":
            try arity(1)
            switch args[0] {
            case .int, .double: return args[0]
            case .string(let s):
                // jmespath: float() when the text has a '.', else int(); None when that fails.
                let t = s.trimmingCharacters(in: .whitespaces)
                if !t.contains(".") { return Int(t).map(Value.int) ?? .null }
                guard t.allSatisfy({ $0.isNumber || ".eE+-".contains($0) }), let d = Double(t) else { return .null }
                return .double(d)
            default: return .null
            }
        case "to_array":
            try arity(1)
            if case .list = args[0] { return args[0] }
            return .list([args[0]])
        case "merge":
            var out = ValueDict()
            for a in args {
                guard case .dict(let d) = a else { throw invalid() }
                for (k, x) in d { out[k] = x }
            }
            return .dict(out)
        case "type":
            try arity(1)
            switch args[0] {
            case .int, .double: return "number"
            case .string: return "string"
            case .bool: return "boolean"
            case .list, .tuple: return "array"
            case .dict: return "object"
            case .null: return "null"
            }
        default:
            throw Failure(message: "function \(name)() is not supported by provision's json_query "
                + "(supported: length, keys, values, contains, join, to_string, starts_with, ends_with, sort, max, min, reverse, not_null, sum, avg, abs, ceil, floor, type, to_number, to_array, merge, map, sort_by, max_by, min_by)")
        }
    }

    /// `json.dumps(v, separators=(',', ':'))`.
    private static func compactJSON(_ v: Value) -> String {
        switch v {
        case .list(let l), .tuple(let l): return "[" + l.map(compactJSON).joined(separator: ",") + "]"
        case .dict(let d): return "{" + d.map { Value.jsonQuote($0.key) + ":" + compactJSON($0.value) }.joined(separator: ",") + "}"
        case .double(let d): return PythonRepr.float(d)
        default: return v.jsonString
        }
    }
}
