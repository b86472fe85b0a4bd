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
            case .double(let d): return d.isFinite ? .int(Int(d.rounded(.towardZero))) : fallback
            case .string(let raw):
                var s = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
                if base == 16, s.lowercased().hasPrefix("0x") { s = String(s.dropFirst(2)) }
                if let i = Int(s, radix: base) { return .int(i) }
                if base == 10, let d = pythonFloat(s), d.isFinite, abs(d) < 9e18 { return .int(Int(d.rounded(.towardZero))) }
                return fallback
            default: return fallback
            }
        },
        "float": plain { call in
            let fallback = try call.args.value(0, "default") ?? .double(0)
            switch try call.value() {
            case .int(let i): return .double(Double(i))
            case .bool(let b): return .double(b ? 1 : 0)
            case .double(let d): return .double(d)
            case .string(let s): return pythonFloat(s.trimmingCharacters(in: .whitespaces)).map(Value.double) ?? fallback
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
                    guard let v = r.randrange(start, end, step) else { throw call.fail("empty range for randrange() (\(start), \(end), \(end - start))") }
                    return .int(v)
                }
                guard step > 0, end > start else { throw call.fail("empty range for randrange() (\(start), \(end), \(end - start))") }
                return .int(start + step * Int.random(in: 0..<((end - start + step - 1) / step)))
            case .list(let items):
                guard !items.isEmpty else { throw call.fail("cannot choose from an empty sequence") }
                return items[below(items.count)]
            case .string(let s):
                guard !s.isEmpty else { throw call.fail("cannot choose from an empty sequence") }
                let chars = Array(s)
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
            case .int(let i): return .int(i == Int.min ? i : abs(i))
            case .double(let d): return .double(abs(d))
            }
        },
        "round": plain { call in
            // Jinja's round: Python's round() for 'common' (half to even on the exact binary
            // value, an int stays an int), math.ceil/floor scaled otherwise (a float).
            let v = try call.value()
            guard let n = v.strictNumber else { throw call.fail("needs a number") }
            let precision = try call.args.int(0, "precision") ?? 0
            let method = try call.args.string(1, "method") ?? "common"
            let scale = pow(10.0, Double(precision))
            switch method {
            case "common":
                if case .int(let i) = n, precision >= 0 { return .int(i) }
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
            try setOperation(call) { a, b in a + b }
        },
        "intersect": plain { call in
            try setOperation(call) { a, b in a.filter { x in b.contains { $0.templateEquals(x) } } }
        },
        "difference": plain { call in
            try setOperation(call) { a, b in a.filter { x in !b.contains { $0.templateEquals(x) } } }
        },
        "symmetric_difference": plain { call in
            try setOperation(call) { a, b in
                a.filter { x in !b.contains { $0.templateEquals(x) } } + b.filter { x in !a.contains { $0.templateEquals(x) } }
            }
        },
    ]

    /// Ansible's list-as-set filters: the result keeps first-seen order without duplicates.
    private static func setOperation(_ call: FilterCall, _ op: ([Value], [Value]) -> [Value]) throws -> Value {
        guard case .list(let other) = try call.args.required(0, "other") else { throw call.fail("needs a list argument") }
        var out: [Value] = []
        for item in op(try call.list(), other) where !out.contains(where: { $0.templateEquals(item) }) { out.append(item) }
        return .list(out)
    }

    static let higherOrderFilters: [String: Filter] = [
        "map": plain { call in
            let items = try call.list()
            // Jinja's map: `attribute=` only without a filter name; `map('map', attribute='Id')`
            // hands the keyword to the inner filter.
            if call.args.positional.isEmpty, let attr = try call.args.string(-1, "attribute") {
                let fallback = call.args.keyword["default"]
                return .list(try items.map { item in
                    let found = attributeValue(item, attr)
                    if found.isUndefined, let fallback { return try fallback.value(at: call.args.offset) }
                    return try found.value(at: call.args.offset)
                })
            }
            let filterName = try call.args.requiredString(0, "filter")
            let rest = call.args.subArguments(callee: filterName, dropping: 1, keepingAttribute: true)
            return .list(try items.map { try call.evaluator.applyFilter(filterName, to: .value($0), rest).value(at: call.args.offset) })
        },
        "select": plain { try selectItems($0, byAttribute: false, keep: true) },
        "reject": plain { try selectItems($0, byAttribute: false, keep: false) },
        "selectattr": plain { try selectItems($0, byAttribute: true, keep: true) },
        "rejectattr": plain { try selectItems($0, byAttribute: true, keep: false) },
    ]

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

extension FilterLibrary {
    /// Python's `float(text)`: decimal and exponent forms, inf and nan; Swift's `Double(_:)`
    /// also reads hexadecimal ('0x1F' is 31 there, an error in Python, so `| int` gives 0).
    static func pythonFloat(_ s: String) -> Double? {
        let lower = s.lowercased()
        guard !lower.contains("x") && !lower.contains("p") else { return nil }
        return Double(s)
    }
}
