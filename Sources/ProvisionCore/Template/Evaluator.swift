import Foundation

/// Evaluates expression trees against a scope and the template's local frames.
struct Evaluator {
    let scope: any TemplateScope
    var frame: TemplateFrame?

    init(scope: any TemplateScope, frame: TemplateFrame? = nil) {
        self.scope = scope
        self.frame = frame
    }

    /// Names that resolve to a value when neither locals nor the scope define them.
    static let builtinVariables: [String: Value] = ["omit": .string(Templating.omitPlaceholder)]

    func lookup(_ name: String, at offset: Int? = nil) -> Operand {
        if let v = frame?.lookup(name) { return .value(v) }
        if let entry = scope.lookup(name) { return Operand(entry, path: name) }
        if let v = Evaluator.builtinVariables[name] { return .value(v) }
        return .undefined(name, offset: offset)
    }

    /// The node's value; undefined is an error naming the variable.
    func value(_ node: ExpressionNode) throws -> Value {
        try evaluate(node).value(at: node.offset)
    }

    func truthy(_ node: ExpressionNode) throws -> Bool {
        let operand = try evaluate(node)
        if case .time(let t) = operand { return t.isTruthy }
        return try operand.value(at: node.offset).isTruthy
    }

    func evaluate(_ node: ExpressionNode) throws -> Operand {
        switch node.kind {
        case .literal(let v):
            return .value(v)
        case .name(let n):
            return lookup(n, at: node.offset)
        case .list(let items), .tuple(let items):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items {
                switch try evaluate(item) {
                case .value(let v): out.append(v)
                case let other:
                    do { out.append(try other.value(at: item.offset)) } catch let e as TemplateError { return .deferred(e) }
                }
            }
            if case .tuple = node.kind { return .value(.tuple(out)) }
            return .value(.list(out))
        case .dict(let pairs):
            var out = ValueDict()
            for (k, v) in pairs {
                let item = try evaluate(v)
                do { out[typedKey: try value(k)] = try item.value(at: v.offset) } catch let e as TemplateError { return .deferred(e) }
            }
            return .value(.dict(out))
        case .attribute(let base, let name):
            return try attribute(of: base, name)
        case .index(let base, let key):
            return try index(base, key)
        case .slice(let base, let start, let stop, let step):
            return .value(try slice(try value(base), start: start, stop: stop, step: step, at: node.offset))
        case .call(let callee, let args):
            return try call(callee, args, at: node.offset)
        case .filter(let input, "type_debug", let args) where args.positional.isEmpty && args.keyword.isEmpty:
            // Jinja hands the filter its Undefined object, whose type Ansible names.
            let operand = try evaluate(input)
            if operand.isUndefined { return .value(.string("AnsibleUndefined")) }
            if case .time(let t) = operand { return .value(.string(t.typeName)) }
            return .value(.string(typeDebugName(of: input, try operand.value(at: input.offset))))
        case .filter(let input, let name, let args):
            if let kept = try definedItemsOfMap(input, name, args, at: node.offset) { return .value(.list(kept)) }
            return try applyFilter(name, to: try evaluate(input), args, at: node.offset)
        case .test(let input, let name, let args, let negated):
            let result = try applyTest(name, to: try evaluate(input), args, at: node.offset)
            return .value(.bool(result != negated))
        case .unary(let op, let operandNode):
            let operand = try evaluate(operandNode)
            if case .time(let t) = operand { return .time(try timeUnary(op, t, at: node.offset)) }
            return .value(try unary(op, try operand.value(at: operandNode.offset), at: node.offset))
        case .binary(let op, let lhs, let rhs):
            // `users + [not_set]` holds the undefined as Jinja's list would: still deferred.
            let l = try evaluate(lhs)
            if case .deferred = l { return l }
            let r = try evaluate(rhs)
            if case .deferred = r { return r }
            if l.time != nil || r.time != nil { return try timeBinary(op, l, r, at: node.offset) }
            return .value(try binary(op, try l.value(at: lhs.offset), try r.value(at: rhs.offset), at: node.offset))
        case .compare(let first, let chain):
            var lhs = try evaluate(first), lhsOffset = first.offset
            for (op, rhsNode) in chain {
                let rhs = try evaluate(rhsNode)
                if lhs.time != nil || rhs.time != nil {
                    guard try compareTimes(op, lhs, rhs, at: rhsNode.offset) else { return .value(.bool(false)) }
                } else {
                    guard try compare(op, try lhs.value(at: lhsOffset), rhs, at: rhsNode.offset) else { return .value(.bool(false)) }
                }
                (lhs, lhsOffset) = (rhs, rhsNode.offset)
            }
            return .value(.bool(true))
        case .and(let a, let b):
            let lhs = try evaluate(a)
            return try isTruthy(lhs, at: a.offset) ? try operandValue(b) : try kept(lhs, at: a.offset)
        case .or(let a, let b):
            let lhs = try evaluate(a)
            return try isTruthy(lhs, at: a.offset) ? try kept(lhs, at: a.offset) : try operandValue(b)
        case .not(let a):
            return .value(.bool(!(try truthy(a))))
        case .conditional(let then, let condition, let otherwise):
            if try truthy(condition) { return try evaluate(then) }
            // Jinja renders an inline if without else as empty when false (`{{ ',' if not loop.last }}`).
            guard let otherwise else { return .value(.null) }
            return try evaluate(otherwise)
        }
    }

    private func path(_ node: ExpressionNode) -> String { node.pathDescription ?? "value" }

    private func attribute(of base: ExpressionNode, _ name: String) throws -> Operand {
        let b = try evaluate(base)
        if case .undefined(let p, let o) = b { return .undefined(p + "." + name, offset: o) }
        return b.member(name, path: path(base) + "." + name, at: base.offset)
    }

    private func index(_ base: ExpressionNode, _ keyNode: ExpressionNode) throws -> Operand {
        let b = try evaluate(base)
        let key = try value(keyNode)
        let keyText: String
        if case .string(let s) = key { keyText = "'\(s)'" } else { keyText = key.renderedString }
        let full = path(base) + "[" + keyText + "]"
        switch b {
        case .undefined(let p, let o): return .undefined(p + "[" + keyText + "]", offset: o)
        case .deferred: return b
        case .mapping, .time: return b.member(key.renderedString, path: full, at: base.offset)
        case .value(let v):
            switch (v, key) {
            case let (.list(items), .int(i)), let (.tuple(items), .int(i)):
                let at = i < 0 ? items.count + i : i
                return items.indices.contains(at) ? .value(items[at]) : .undefined(full, offset: base.offset)
            case let (.string(s), .int(i)):
                let chars = PythonString.scalars(s)
                let at = i < 0 ? chars.count + i : i
                return chars.indices.contains(at) ? .value(.string(String(chars[at]))) : .undefined(full, offset: base.offset)
            case let (.dict(d), _):
                return d[typedKey: key].map { .value($0) } ?? .undefined(full, offset: base.offset)
            default:
                return .undefined(full, offset: base.offset)
            }
        }
    }

    private func slice(_ v: Value, start: ExpressionNode?, stop: ExpressionNode?, step: ExpressionNode?,
                       at offset: Int) throws -> Value {
        func intArg(_ n: ExpressionNode?) throws -> Int? {
            guard let n else { return nil }
            let v = try value(n)
            if v.isNull { return nil }
            guard case .int(let i) = v else { throw TemplateError.type("slice indices must be integers", at: n.offset) }
            return i
        }
        let (a, b, s) = (try intArg(start), try intArg(stop), try intArg(step) ?? 1)
        guard s != 0 else { throw TemplateError.evaluation("slice step cannot be zero", at: offset) }
        func indices(_ count: Int) -> [Int] {
            func clamp(_ x: Int?, _ dflt: Int) -> Int {
                guard var x else { return dflt }
                if x < 0 { x += count }
                return s > 0 ? min(max(x, 0), count) : min(max(x, -1), count - 1)
            }
            let lo = clamp(a, s > 0 ? 0 : count - 1), hi = clamp(b, s > 0 ? count : -1)
            return Array(stride(from: lo, to: hi, by: s))
        }
        switch v {
        case .list(let items): return .list(indices(items.count).map { items[$0] })
        case .tuple(let items): return .tuple(indices(items.count).map { items[$0] })
        case .string(let str):
            let chars = PythonString.scalars(str)
            return .string(PythonString.string(indices(chars.count).map { chars[$0] }))
        default: throw TemplateError.type("cannot slice a \(v.typeName)", at: offset)
        }
    }
}
