import Foundation

extension FilterLibrary {
    static let numberFilters: [String: Filter] = [
        "bool": plain { call in
            let v = try call.value()
            switch v {
            case .bool, .null: return v
            // Ansible 2.14's to_bool: lowercased, not stripped; 'y' is false.
            case .string(let s): return .bool(["yes", "on", "1", "true"].contains(s.lowercased()))
            case .int(let i): return .bool(i == 1)
            case .double(let d): return .bool(d == 1)
            default: return .bool(false)
            }
        },
        "int": plain { call in
            let fallback = try call.args.value(0, "default") ?? .int(0)
            let base = try call.args.int(1, "base") ?? 10
            switch try call.value() {
            case .int(let i): return .int(i)
            case .bool(let b): return .int(b ? 1 : 0)
            case .double(let d):
                if d.isNaN { return fallback }
                guard d.isFinite else { throw call.fail("cannot convert float infinity to integer") }
                guard abs(d) < 9.2e18 else { throw call.fail("\(d) does not fit in 64 bits: Python's integers have no limit, provision's do") }
                return .int(Int(d.rounded(.towardZero)))
            case .string(let raw):
                // Jinja's do_int: int(text, base), else int(float(text)), else the default.
                switch PythonNumberText.int(raw, base: base) {
                case .value(let i): return .int(i)
                case .tooLarge: throw call.fail("\(raw) does not fit in 64 bits: Python's integers have no limit, provision's do")
                case .invalid: break
                }
                guard let d = PythonNumberText.float(raw), !d.isNaN else { return fallback }
                guard d.isFinite else { throw call.fail("cannot convert float infinity to integer") }
                guard abs(d) < 9.2e18 else { throw call.fail("\(raw) does not fit in 64 bits: Python's integers have no limit, provision's do") }
                return .int(Int(d.rounded(.towardZero)))
            default: return fallback
            }
        },
        "float": plain { call in
            let fallback = try call.args.value(0, "default") ?? .double(0)
            switch try call.value() {
            case .int(let i): return .double(Double(i))
            case .bool(let b): return .double(b ? 1 : 0)
            case .double(let d): return .double(d)
            case .string(let s): return PythonNumberText.float(s).map(Value.double) ?? fallback
            default: return fallback
            }
        },
        // Ansible's `random`: an int N gives one of range(start, N, step), a list or string one
        // of its items. Without a seed any pick will do (Ansible's is SystemRandom); with one,
        // the pick is Python's `Random(seed)`'s, as Ansible's (`59 | random(seed=inventory_hostname)`
        // gives each host the same minute as under Ansible).
        "random": plain { call in
            let seed = try call.args.value(2, "seed").flatMap { $0.isNull ? nil : $0 }
            var rng: PythonRandom?
            if let seed {
                do { rng = try PythonRandom(seed: seed) } catch let e as TemplateError { throw call.fail(e.message) }
            }
            func below(_ n: Int) -> Int { rng?.below(n) ?? Int.random(in: 0..<n) }
            switch try call.value() {
            case .int(let end):
                // `if not start: start = 0; if not step: step = 1`, then randrange.
                let start = try call.args.int(0, "start") ?? 0
                let step = try call.args.int(1, "step").flatMap { $0 == 0 ? nil : $0 } ?? 1
                if var r = rng {
                    guard let v = try r.randrange(start, end, step) else { throw call.fail("empty range for randrange() (\(start), \(end), \(end - start))") }
                    return .int(v)
                }
                // randrange(start, end, step) in 128 bits: far-apart ends would overflow an Int.
                let (a, b, c) = (Int128(start), Int128(end), Int128(step))
                let n = c > 0 ? (b - a + c - 1) / c : (b - a + c + 1) / c
                guard n > 0 else { throw call.fail("empty range for randrange() (\(start), \(end), \(b - a))") }
                return .int(Int(a + c * Int128(UInt64.random(in: 0...UInt64(n - 1)))))
            case .list(let items):
                guard !items.isEmpty else { throw call.fail("cannot choose from an empty sequence") }
                return items[below(items.count)]
            case .string(let s):
                guard !s.isEmpty else { throw call.fail("cannot choose from an empty sequence") }
                let chars = PythonString.scalars(s)
                return .string(String(chars[below(chars.count)]))
            default: throw call.fail("needs an int, a list or a string")
            }
        },
        // Ansible's `shuffle` (randomize_list): a seed that is truthy gives Python's
        // `Random(seed).shuffle`; none (or a falsy one) any order.
        "shuffle": plain { call in
            let seed = try call.args.value(0, "seed")
            var items: [Value]
            switch try call.value() {
            case .list(let l): items = l
            case .string(let s): items = s.map { .string(String($0)) }
            case .dict(let d): items = d.typedKeys
            default: return try call.value()
            }
            if let seed, seed.isTruthy {
                var r: PythonRandom
                do { r = try PythonRandom(seed: seed) } catch let e as TemplateError { throw call.fail(e.message) }
                r.shuffle(&items)
            } else {
                items.shuffle()
            }
            return .list(items)
        },
        "abs": plain { call in
            guard let n = try call.value().lenientNumber else { throw call.fail("needs a number") }
            switch n {
            case .int(let i):
                guard i != .min else { throw call.fail("abs(\(i)) does not fit in 64 bits: Python's integers have no limit, provision's do") }
                return .int(abs(i))
            case .double(let d): return .double(abs(d))
            }
        },
        "round": plain { call in
            // Jinja's round: Python's round() for 'common' (half to even on the exact binary
            // value, an int stays an int), math.ceil/floor scaled otherwise (a float).
            let v = try call.value()
            guard let n = v.strictNumber else { throw call.fail("needs a number") }
            // A double has at most 17 significant digits and exponents within ±324: a precision
            // beyond ±400 changes nothing more (and would overflow the arithmetic below).
            let precision = max(-400, min(400, try call.args.int(0, "precision") ?? 0))
            let method = try call.args.string(1, "method") ?? "common"
            let scale = pow(10.0, Double(precision))
            switch method {
            case "common":
                if case .int(let i) = n {
                    if precision >= 0 { return .int(i) }
                    // int.__round__ with ndigits < 0: exact, half to even, still an int.
                    guard -precision <= 18 else { return .int(0) }
                    let unit = (0..<(-precision)).reduce(1) { r, _ in r * 10 }
                    var q = i / unit, r = i % unit
                    if r < 0 { q -= 1; r += unit }
                    if 2 * r > unit || (2 * r == unit && q & 1 == 1) { q += 1 }
                    let (result, overflow) = q.multipliedReportingOverflow(by: unit)
                    if overflow { throw call.fail("round(\(i), \(precision)) does not fit in 64 bits") }
                    return .int(result)
                }
                guard precision >= 0 else { return .double((n.double / pow(10, Double(-precision))).rounded(.toNearestOrEven) * pow(10, Double(-precision))) }
                return .double(Double(String(format: "%.\(precision)f", n.double)) ?? n.double)
            case "ceil": return .double((n.double * scale).rounded(.up) / scale)
            case "floor": return .double((n.double * scale).rounded(.down) / scale)
            default: throw call.fail("method must be common, ceil or floor")
            }
        },
    ]

    static let setFilters: [String: Filter] = [
        "union": plain { call in
            try setOperation(call) { a, b in
                guard case .list(let other) = b else { throw call.fail("can only concatenate list (not \"\(b.typeName)\") to list") }
                return a + other
            }
        },
        "intersect": plain { call in
            try setOperation(call) { a, b in try a.filter { try isMember($0, of: b, call) } }
        },
        "difference": plain { call in
            try setOperation(call) { a, b in try a.filter { try !isMember($0, of: b, call) } }
        },
        "symmetric_difference": plain { call in
            try setOperation(call) { a, b in
                guard case .list(let other) = b else { throw call.fail("needs a list argument") }
                return try a.filter { try !isMember($0, of: b, call) } + other.filter { x in !a.contains { $0.templateEquals(x) } }
            }
        },
    ]

    /// Ansible's list-as-set filters (`[x for x in a if x in b]`, then unique): the result keeps
    /// first-seen order without duplicates. Two strings would be Python sets, whose order is
    /// Python's hash order: refused.
    private static func setOperation(_ call: FilterCall, _ op: ([Value], Value) throws -> [Value]) throws -> Value {
        let other = try call.args.required(0, "other")
        if case .string = try call.value(), case .string = other {
            throw call.fail("of two strings gives a Python set, whose order provision cannot reproduce")
        }
        var out: [Value] = []
        for item in try op(try call.list(), other) where !out.contains(where: { $0.templateEquals(item) }) { out.append(item) }
        return .list(out)
    }

    /// Python's `x in b` for the set filters: an item of a list, a key of a dict, a substring of
    /// a string (which needs a string on the left, as Python says).
    private static func isMember(_ x: Value, of b: Value, _ call: FilterCall) throws -> Bool {
        switch b {
        case .list(let l): return l.contains { $0.templateEquals(x) }
        case .dict(let d): return d.typedKeys.contains { $0.templateEquals(x) }
        case .string(let s):
            guard case .string(let needle) = x else {
                throw call.fail("'in <string>' requires string as left operand, not \(x.typeName)")
            }
            return needle.isEmpty || s.contains(needle)
        default: throw call.fail("argument of type '\(b.typeName)' is not iterable")
        }
    }

    static let higherOrderFilters: [String: Filter] = [
        "map": plain { call in
            .list(try mappedOperands(call).map { try $0.value(at: call.args.offset) })
        },
        "select": plain { try selectItems($0, byAttribute: false, keep: true) },
        "reject": plain { try selectItems($0, byAttribute: false, keep: false) },
        "selectattr": plain { try selectItems($0, byAttribute: true, keep: true) },
        "rejectattr": plain { try selectItems($0, byAttribute: true, keep: false) },
    ]

    /// What Jinja's `map` yields per item, undefined ones kept as such (a missing attribute, a
    /// key `extract` does not find): `map(…) | select('defined')` drops them, any other use fails
    /// with the name. `attribute=` only without a filter name; `map('map', attribute='Id')`
    /// hands the keyword to the inner filter.
    static func mappedOperands(_ call: FilterCall) throws -> [Operand] {
        let items = try call.list()
        if call.args.positional.isEmpty, let attr = try call.args.string(-1, "attribute") {
            let fallback = call.args.keyword["default"]
            return items.map { item in
                let found = attributeValue(item, attr)
                if found.isUndefined, let fallback { return fallback }
                return found
            }
        }
        let filterName = try call.args.requiredString(0, "filter")
        let rest = call.args.subArguments(callee: filterName, dropping: 1, keepingAttribute: true)
        return try items.map { try call.evaluator.applyFilter(filterName, to: .value($0), rest) }
    }

    /// `select(test, args…)`, `selectattr(attr, test, args…)` and their `reject` twins.
    /// Without a test an item is kept when truthy (an undefined attribute counts as false).
    private static func selectItems(_ call: FilterCall, byAttribute: Bool, keep: Bool) throws -> Value {
        let attr = byAttribute ? try call.args.requiredString(0, "attribute") : nil
        let testIndex = byAttribute ? 1 : 0
        let testName = try call.args.string(testIndex, nil)
        let rest = call.args.subArguments(callee: testName ?? "", dropping: testIndex + 1)
        return .list(try call.list().filter { item in
            let subject = attr.map { attributeValue(item, $0) } ?? .value(item)
            let passed: Bool
            if let testName {
                passed = try call.evaluator.applyTest(testName, to: subject, rest)
            } else {
                // An undefined attribute fails, as Ansible's undefined does in a truth test.
                passed = try subject.value(at: call.args.offset).isTruthy
            }
            return passed == keep
        })
    }
}
