import Foundation

/// Python's list and dict methods that change their object (`items.append(x)`, `d.update(…)`):
/// Ansible's Jinja is not sandboxed, so they change the variable for the rest of the template.
/// provision's values are immutable, so the changed value is written back to the local (or,
/// for a play or host variable, to a local of the same name shadowing it for this render).
extension Evaluator {
    static let mutatingMethods: Set<String> = ["append", "extend", "insert", "pop", "remove", "clear", "reverse", "sort",
                                               "update", "setdefault", "popitem"]

    /// The method's result and the object afterwards, or nil when `method` changes nothing.
    func mutatingCall(_ method: String, on object: Value, _ args: CallArguments) throws -> (result: Value, updated: Value)? {
        guard Evaluator.mutatingMethods.contains(method) else { return nil }
        switch object {
        case .list(var l):
            switch method {
            case "append":
                try args.expectAtMost(1)
                l.append(try args.required(0, "object"))
            case "extend":
                let other = try args.required(0, "iterable")
                switch other {
                case .list(let o), .tuple(let o): l += o
                case .string(let s): l += s.map { .string(String($0)) }
                case .dict(let d): l += d.typedKeys
                default: throw TemplateError.type("'\(other.typeName)' object is not iterable", at: args.offset)
                }
            case "insert":
                guard let i = try args.int(0, "index") else { throw TemplateError.type("insert() needs an index", at: args.offset) }
                let at = i < 0 ? max(0, l.count + i) : min(i, l.count)
                l.insert(try args.required(1, "object"), at: at)
            case "pop":
                guard !l.isEmpty else { throw TemplateError.evaluation("pop from empty list", at: args.offset) }
                let i = try args.int(0, "index") ?? -1
                let at = i < 0 ? l.count + i : i
                guard l.indices.contains(at) else { throw TemplateError.evaluation("pop index out of range", at: args.offset) }
                let item = l.remove(at: at)
                return (item, .list(l))
            case "remove":
                let item = try args.required(0, "value")
                guard let i = l.firstIndex(where: { $0.templateEquals(item) }) else {
                    throw TemplateError.evaluation("list.remove(x): x not in list", at: args.offset)
                }
                l.remove(at: i)
            case "clear": l = []
            case "reverse": l.reverse()
            case "sort":
                var kw: [String: Operand] = ["case_sensitive": .value(.bool(true))]
                if let r = args.keyword["reverse"] { kw["reverse"] = r }
                if args.keyword["key"] != nil { throw TemplateError.evaluation("list.sort(key=…) is not supported", at: args.offset) }
                let sorted = try applyFilter("sort", to: .value(.list(l)), CallArguments(callee: "sort", keyword: kw, offset: args.offset))
                return (.null, try sorted.value(at: args.offset))
            default: return nil
            }
            return (.null, .list(l))
        case .dict(var d):
            switch method {
            case "update":
                if let other = try args.value(0, nil) {
                    switch other {
                    case .dict(let o): for (k, v) in o.typedPairs { d[typedKey: k] = v }
                    case .list(let pairs), .tuple(let pairs):
                        for pair in pairs {
                            guard let kv = pair.listValue, kv.count == 2 else {
                                throw TemplateError.type("dictionary update sequence element has the wrong length", at: args.offset)
                            }
                            d[typedKey: kv[0]] = kv[1]
                        }
                    default: throw TemplateError.type("'\(other.typeName)' object is not iterable", at: args.offset)
                    }
                }
                for (k, v) in args.keyword.sorted(by: { $0.key < $1.key }) { d[k] = try v.value(at: args.offset) }
                return (.null, .dict(d))
            case "setdefault":
                let key = try args.required(0, "key").renderedString
                if let found = d[key] { return (found, .dict(d)) }
                let dflt = try args.value(1, "default") ?? .null
                d[key] = dflt
                return (dflt, .dict(d))
            case "pop":
                let key = try args.required(0, "key").renderedString
                if let found = d[key] {
                    d[key] = nil
                    return (found, .dict(d))
                }
                guard let dflt = try args.value(1, "default") else { throw TemplateError.evaluation("KeyError: '\(key)'", at: args.offset) }
                return (dflt, .dict(d))
            case "popitem":
                guard let last = d.last else { throw TemplateError.evaluation("popitem(): dictionary is empty", at: args.offset) }
                d[last.key] = nil
                return (.list([.string(last.key), last.value]), .dict(d))
            case "clear": return (.null, .dict(ValueDict()))
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Stores `newValue` where `node` (a name, `a.b` or `a['k']` path) points, in the frame
    /// that holds its root name, or in the template's top frame when a play or host variable
    /// is changed. False when there is nowhere to store it (a lone expression has no frame).
    @discardableResult
    func writeBack(_ node: ExpressionNode, _ newValue: Value) throws -> Bool {
        switch node.kind {
        case .name(let name):
            guard let frame else { return false }
            (frame.owner(of: name) ?? frame.root).vars[name] = newValue
            return true
        case .attribute(let base, let key):
            return try writeMember(base, key: .string(key), newValue)
        case .index(let base, let keyNode):
            return try writeMember(base, key: try value(keyNode), newValue)
        default:
            return false
        }
    }

    private func writeMember(_ base: ExpressionNode, key: Value, _ newValue: Value) throws -> Bool {
        switch try value(base) {
        case .dict(var d):
            d[typedKey: key] = newValue
            return try writeBack(base, .dict(d))
        case .list(var l):
            guard case .int(let i) = key else { return false }
            let at = i < 0 ? l.count + i : i
            guard l.indices.contains(at) else { return false }
            l[at] = newValue
            return try writeBack(base, .list(l))
        default:
            return false
        }
    }
}
