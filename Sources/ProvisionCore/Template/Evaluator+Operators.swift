import Foundation

extension Evaluator {
    func unary(_ op: String, _ v: Value, at offset: Int) throws -> Value {
        guard let n = v.strictNumber else {
            throw TemplateError.type("bad operand type for unary \(op): '\(v.typeName)'", at: offset)
        }
        if op == "+" { return n.value }
        switch n {
        case .int(let i):
            guard i != .min else { throw Self.overflow(0, "-", i, at: offset) }
            return .int(-i)
        case .double(let d): return .double(-d)
        }
    }

    /// Arithmetic with Python's rules (a numeric string is not a number). `~` joins the two
    /// as text.
    func binary(_ op: String, _ a: Value, _ b: Value, at offset: Int) throws -> Value {
        if op == "~" { return .string(PythonRepr.str(a) + PythonRepr.str(b)) }
        if op == "%", case .string(let pattern) = a {
            do {
                // Only a tuple spreads into the arguments: a list or dict is one argument.
                if case .tuple(let args) = b { return .string(try PythonFormat.format(pattern, args)) }
                return .string(try PythonFormat.format(pattern, [b]))
            } catch let failure as PythonFormat.Failure {
                throw TemplateError.evaluation(failure.message, at: offset)
            }
        }
        if let (x, y) = Value.numericPair(a, b) { return try arithmetic(op, x, y, at: offset) }
        switch (op, a, b) {
        case let ("+", .string(x), .string(y)): return .string(x + y)
        case let ("+", .list(x), .list(y)): return .list(x + y)
        case let ("+", .tuple(x), .tuple(y)): return .tuple(x + y)
        case let ("*", .string(s), .int(n)), let ("*", .int(n), .string(s)):
            try checkRepetition(s.utf8.count, n, at: offset)
            return .string(String(repeating: s, count: max(0, n)))
        case let ("*", .list(l), .int(n)), let ("*", .int(n), .list(l)):
            try checkRepetition(l.count, n, at: offset)
            return .list(Array((0..<max(0, n)).map { _ in l }.joined()))
        case let ("*", .tuple(l), .int(n)), let ("*", .int(n), .tuple(l)):
            try checkRepetition(l.count, n, at: offset)
            return .tuple(Array((0..<max(0, n)).map { _ in l }.joined()))
        default:
            throw TemplateError.type("unsupported operand types for \(op): '\(a.typeName)' and '\(b.typeName)'", at: offset)
        }
    }

    /// Bounds `'x' * n` so a typo cannot exhaust the controller's memory.
    private func checkRepetition(_ size: Int, _ times: Int, at offset: Int) throws {
        if times > 0, size > 0, times > 10_000_000 / size {
            throw TemplateError.evaluation("repetition would build more than 10000000 items", at: offset)
        }
    }

    static func overflow(_ i: Int, _ op: String, _ j: Int, at offset: Int) -> TemplateError {
        TemplateError.evaluation("\(i) \(op) \(j) does not fit in 64 bits: Python's integers have no limit, provision's do", at: offset)
    }

    private func arithmetic(_ op: String, _ x: TemplateNumber, _ y: TemplateNumber, at offset: Int) throws -> Value {
        if case .int(let i) = x, case .int(let j) = y {
            switch op {
            // Python's integers have no bound: a result past 64 bits is refused, never a float.
            case "+": let r = i.addingReportingOverflow(j); if r.overflow { throw Self.overflow(i, op, j, at: offset) }; return .int(r.partialValue)
            case "-": let r = i.subtractingReportingOverflow(j); if r.overflow { throw Self.overflow(i, op, j, at: offset) }; return .int(r.partialValue)
            case "*": let r = i.multipliedReportingOverflow(by: j); if r.overflow { throw Self.overflow(i, op, j, at: offset) }; return .int(r.partialValue)
            case "//", "%":
                guard j != 0 else { throw TemplateError.evaluation("integer division or modulo by zero", at: offset) }
                if i == .min, j == -1 { throw Self.overflow(i, op, j, at: offset) }
                // Python floors toward negative infinity; Swift truncates toward zero.
                var q = i / j, r = i % j
                if r != 0, (r < 0) != (j < 0) { q -= 1; r += j }
                return op == "//" ? .int(q) : .int(r)
            case "**" where j >= 0:
                // Squaring keeps huge exponents cheap; a result past 64 bits is refused.
                var result = 1, base = i, e = j
                while e > 0 {
                    if e & 1 == 1 {
                        let r = result.multipliedReportingOverflow(by: base)
                        if r.overflow { throw Self.overflow(i, op, j, at: offset) }
                        result = r.partialValue
                    }
                    e >>= 1
                    if e > 0 {
                        let sq = base.multipliedReportingOverflow(by: base)
                        if sq.overflow { throw Self.overflow(i, op, j, at: offset) }
                        base = sq.partialValue
                    }
                }
                return .int(result)
            default: break
            }
        }
        let (a, b) = (x.double, y.double)
        switch op {
        case "+": return .double(a + b)
        case "-": return .double(a - b)
        case "*": return .double(a * b)
        case "/":
            guard b != 0 else { throw TemplateError.evaluation("division by zero", at: offset) }
            return .double(a / b)
        case "//":
            guard b != 0 else { throw TemplateError.evaluation("division by zero", at: offset) }
            return .double((a / b).rounded(.down))
        case "%":
            guard b != 0 else { throw TemplateError.evaluation("modulo by zero", at: offset) }
            return .double(a - b * (a / b).rounded(.down))
        case "**": return .double(pow(a, b))
        default: throw TemplateError.syntax("unknown operator \(op)", at: offset)
        }
    }

    /// One comparison of a chain; `in` also accepts a lazy mapping on the right.
    func compare(_ op: String, _ lhs: Value, _ rhsOperand: Operand, at offset: Int) throws -> Bool {
        if op == "in" || op == "not in" {
            let found: Bool
            if case .mapping(let m, _) = rhsOperand {
                found = m.member(lhs.renderedString) != nil
            } else {
                found = try contains(try rhsOperand.value(at: offset), lhs, at: offset)
            }
            return op == "in" ? found : !found
        }
        let rhs = try rhsOperand.value(at: offset)
        switch op {
        case "==": return lhs.templateEquals(rhs)
        case "!=": return !lhs.templateEquals(rhs)
        default:
            guard let order = lhs.templateCompare(rhs) else {
                throw TemplateError.type("'\(op)' not supported between '\(lhs.typeName)' and '\(rhs.typeName)'", at: offset)
            }
            switch op {
            case "<": return order == .orderedAscending
            case ">": return order == .orderedDescending
            case "<=": return order != .orderedDescending
            default: return order != .orderedAscending
            }
        }
    }

    func contains(_ container: Value, _ item: Value, at offset: Int) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let sub) = item else {
                throw TemplateError.type("'in <string>' requires string as left operand, not \(item.typeName)", at: offset)
            }
            return sub.isEmpty || PythonString.find(s, sub) != nil
        case .list(let l), .tuple(let l): return l.contains { $0.templateEquals(item) }
        case .dict(let d): return d[typedKey: item] != nil
        default:
            throw TemplateError.type("argument of type '\(container.typeName)' is not iterable", at: offset)
        }
    }
}
