import Foundation

extension FilterLibrary {
    static let collectionFilters: [String: Filter] = [
        "default": defaultFilter,
        "d": defaultFilter,
        "mandatory": { call in
            if case .undefined(let path, let offset) = call.input {
                let msg = try call.args.string(0, "msg") ?? "Mandatory variable '\(path)' not defined."
                throw TemplateError(.undefined(path), msg, offset: offset ?? call.args.offset)
            }
            return call.input
        },
        "length": plain(length),
        "count": plain(length),
        "first": { call in try call.list().first.map { .value($0) } ?? .undefined("first item of an empty list", offset: call.args.offset) },
        "last": { call in try call.list().last.map { .value($0) } ?? .undefined("last item of an empty list", offset: call.args.offset) },
        "join": plain { call in
            var items = try call.list()
            if let attr = try call.args.string(1, "attribute") {
                items = try items.map { try attributeValue($0, attr).value(at: call.args.offset) }
            }
            return .string(items.map(\.renderedString).joined(separator: try call.args.string(0, "d") ?? ""))
        },
        "list": plain { .list(try $0.list()) },
        "unique": plain { call in
            // Ansible 2.14 calls Jinja's unique with case_sensitive=bool(arg): by default
            // 'A' and 'a' are one item (the first kept); 1, 1.0 and True are one too.
            let caseSensitive = try call.args.bool(0, "case_sensitive") ?? false
            let attribute = try call.args.string(1, "attribute")
            func key(_ v: Value) throws -> Value {
                var v = v
                if let attribute { v = try attributeValue(v, attribute).value(at: call.args.offset) }
                if !caseSensitive, case .string(let s) = v { return .string(s.lowercased()) }
                return v
            }
            var seen: [Value] = [], out: [Value] = []
            for item in try call.list() {
                let k = try key(item)
                if seen.contains(where: { $0.templateEquals(k) }) { continue }
                seen.append(k)
                out.append(item)
            }
            return .list(out)
        },
        "reverse": plain { call in
            if case .string(let s) = try call.value() { return .string(PythonString.string(s.unicodeScalars.reversed())) }
            return .list(try call.list().reversed())
        },
        "sort": plain { call in
            // Python's sorted(reverse=True): descending, equal items keep their order.
            return .list(try sortedValues(try call.list(), call: call, caseSensitiveIndex: 1,
                                          descending: try call.args.bool(0, "reverse") ?? false))
        },
        // Jinja: the min/max of an empty sequence is undefined (an error only when used).
        "min": { call in
            try sortedValues(try call.list(), call: call, caseSensitiveIndex: 0).first.map(Operand.value)
                ?? .undefined("min of an empty sequence", offset: call.args.offset)
        },
        "max": { call in
            // Python's max gives the first of equal largest items.
            try sortedValues(try call.list(), call: call, caseSensitiveIndex: 0, descending: true).first.map(Operand.value)
                ?? .undefined("max of an empty sequence", offset: call.args.offset)
        },
        "sum": plain { call in
            var total = try call.args.value(1, "start") ?? .int(0)
            let attr = try call.args.string(0, "attribute")
            for item in try call.list() {
                let v = try attr.map { try attributeValue(item, $0).value(at: call.args.offset) } ?? item
                total = try call.evaluator.binary("+", total, v, at: call.args.offset)
            }
            return total
        },
        "flatten": plain { call in
            .list(flatten(try call.list(), levels: try call.args.int(0, "levels"), skipNulls: try call.args.bool(1, "skip_nulls") ?? true))
        },
        "zip": plain { call in
            var lists = [try call.list()]
            for arg in call.args.positional {
                guard case .list(let l) = try arg.value(at: call.args.offset) else { throw call.fail("arguments must be lists") }
                lists.append(l)
            }
            let n = lists.map(\.count).min() ?? 0
            return .list((0..<n).map { i in .tuple(lists.map { $0[i] }) })
        },
        "combine": plain(combine),
        "dict2items": plain { call in
            let (k, v) = (try call.args.string(0, "key_name") ?? "key", try call.args.string(1, "value_name") ?? "value")
            let d = try call.dict()
            return .list(d.typedPairs.map { .dict(ValueDict([(k, $0.key), (v, $0.value)])) })
        },
        "items2dict": plain { call in
            // dict((item[key_name], item[value_name]) for item in mylist): a dict's keys, or a
            // list's indexes when the names are integers.
            let k = try call.args.value(0, "key_name") ?? "key", v = try call.args.value(1, "value_name") ?? "value"
            func member(_ item: Value, _ name: Value) throws -> Value {
                switch (item, name) {
                case let (.dict(d), .string(n)): if let x = d[n] { return x }
                case let (.list(l), .int(i)), let (.tuple(l), .int(i)): if i >= -l.count, i < l.count { return l[i < 0 ? i + l.count : i] }
                default: throw call.fail("items2dict requires a list of dictionaries")
                }
                throw call.fail("items2dict requires each dictionary in the list to contain the keys '\(PythonRepr.str(k))' and '\(PythonRepr.str(v))'")
            }
            var out = ValueDict()
            for item in try call.list() {
                out[typedKey: try member(item, k)] = try member(item, v)
            }
            return .dict(out)
        },
        "items": plain { call in
            let d = try call.dict()
            return .list(d.typedPairs.map { .tuple([$0.key, $0.value]) })
        },
        "dictsort": plain { call in
            // Jinja's dictsort(case_sensitive=False, by='key', reverse=False).
            let d = try call.dict()
            let caseSensitive = try call.args.bool(0, "case_sensitive") ?? false
            let byValue = try (call.args.string(1, "by") ?? "key") == "value"
            let reverse = try call.args.bool(2, "reverse") ?? false
            var pairs: [(Value, Value)] = d.typedPairs.map { ($0.key, $0.value) }
            var failed = false
            pairs.sort { a, b in
                let x: Value = byValue ? a.1 : a.0, y: Value = byValue ? b.1 : b.0
                guard let r = x.templateCompare(y, caseSensitive: caseSensitive) else { failed = true; return false }
                return reverse ? r == .orderedDescending : r == .orderedAscending
            }
            if failed { throw call.fail("cannot compare the values to sort them") }
            return .list(pairs.map { .tuple([$0.0, $0.1]) })
        },
        "ternary": { call in
            if case .value(.null) = call.input, let none = call.args.operand(2, "none_val") { return none }
            let chosen = try call.value().isTruthy ? call.args.operand(0, "true_val") : call.args.operand(1, "false_val")
            guard let chosen else { throw call.fail("needs true_val and false_val") }
            return chosen
        },
        // Reached only through map/select (a written `x | type_debug` follows `x` back to its
        // definition, Evaluator.typeDebugName): a string's type (AnsibleUnicode, str, …) is
        // not known here, so it is refused rather than guessed.
        "type_debug": plain { call in
            let v = try call.value()
            if case .string = v { throw call.fail("type_debug of a string through map/select cannot tell a string's type (AnsibleUnicode or str)") }
            return .string(v.typeName)
        },
        "attr": { call in
            let name = try call.args.requiredString(0, "name")
            return call.input.member(name, path: "value.\(name)", at: call.args.offset)
        },
    ]

    private static let defaultFilter: Filter = { call in
        let fallback = call.args.operand(0, "default_value") ?? .value(.string(""))
        if call.input.isUndefined { return fallback }
        if try call.args.bool(1, "boolean") ?? false, !(try call.value().isTruthy) { return fallback }
        return call.input
    }

    private static func length(_ call: FilterCall) throws -> Value {
        if case .mapping(let m, _) = call.input { return .int(m.memberNames.count) }
        switch try call.value() {
        case .string(let s): return .int(s.unicodeScalars.count)
        case .list(let l): return .int(l.count)
        case .dict(let d): return .int(d.count)
        case let v: throw call.fail("object of type '\(v.typeName)' has no length")
        }
    }

    /// `item.attr` for `map(attribute=)`, `sort(attribute=)` and friends; `a.b` and list
    /// indexes (`0`) walk into nested values.
    static func attributeValue(_ item: Value, _ attribute: String) -> Operand {
        var current = Operand.value(item)
        var path = "item"
        for part in attribute.split(separator: ".").map(String.init) {
            path += "." + part
            if case .value(let v) = current, let l = v.listValue, let i = Int(part) {
                current = l.indices.contains(i) ? .value(l[i]) : .undefined(path, offset: nil)
            } else {
                current = current.member(part, path: path, at: nil)
            }
        }
        return current
    }

    /// Values sorted with Jinja's defaults (strings case-insensitive unless asked), by
    /// `attribute=` when given.
    private static func sortedValues(_ items: [Value], call: FilterCall, caseSensitiveIndex: Int,
                                     descending: Bool = false) throws -> [Value] {
        let caseSensitive = try call.args.bool(caseSensitiveIndex, "case_sensitive") ?? false
        let attr = try call.args.string(caseSensitiveIndex + 1, "attribute")
        // Jinja's sort takes several attributes, comma-separated, compared in turn (min/max one).
        let attrs: [String]? = attr.map { caseSensitiveIndex == 1 ? $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) : [$0] }
        let keyed = try items.map { item in
            (keys: try attrs.map { try $0.map { try attributeValue(item, $0).value(at: call.args.offset) } } ?? [item], item: item)
        }
        var failure: TemplateError?
        let sorted = keyed.enumerated().sorted { a, b in
            for (x, y) in zip(a.element.keys, b.element.keys) {
                guard let order = x.templateCompare(y, caseSensitive: caseSensitive) else {
                    failure = call.fail("cannot compare \(x.typeName) with \(y.typeName)")
                    return false
                }
                if order != .orderedSame { return order == (descending ? .orderedDescending : .orderedAscending) }
            }
            return a.offset < b.offset
        }
        if let failure { throw failure }
        return sorted.map(\.element.item)
    }

    static func flatten(_ items: [Value], levels: Int?, skipNulls: Bool = true) -> [Value] {
        var out: [Value] = []
        for item in items {
            // Ansible skips None and the strings 'None' and 'null'.
            if skipNulls, item.isNull || item == .string("None") || item == .string("null") { continue }
            if let inner = item.listValue, levels.map({ $0 > 0 }) ?? true {
                out += flatten(inner, levels: levels.map { $0 - 1 }, skipNulls: skipNulls)
            } else {
                out.append(item)
            }
        }
        return out
    }

    /// Ansible's `combine(*dicts, recursive=False, list_merge='replace')`.
    private static func combine(_ call: FilterCall) throws -> Value {
        // Ansible flattens the input and the arguments one level: a list of dicts combines too.
        var dicts: [ValueDict] = []
        if case .list(let l) = try call.value() {
            for item in l {
                guard case .dict(let d) = item else { throw call.fail("arguments must be dicts") }
                dicts.append(d)
            }
        } else {
            dicts = [try call.dict()]
        }
        for arg in call.args.positional {
            switch try arg.value(at: call.args.offset) {
            case .dict(let d): dicts.append(d)
            case .list(let l):
                for item in l {
                    guard case .dict(let d) = item else { throw call.fail("arguments must be dicts") }
                    dicts.append(d)
                }
            default: throw call.fail("arguments must be dicts")
            }
        }
        let (recursive, listMerge) = try mergeOptions(call)
        func merge(_ a: ValueDict, _ b: ValueDict) -> ValueDict { mergeHash(a, b, recursive: recursive, listMerge: listMerge) }
        guard let first = dicts.first else { return .dict(ValueDict()) }
        return .dict(dicts.dropFirst().reduce(first, merge))
    }

    /// `recursive=` and `list_merge=` as combine and lists_mergeby take them.
    static func mergeOptions(_ call: FilterCall) throws -> (Bool, String) {
        let recursive = try call.args.bool(-1, "recursive") ?? false
        let listMerge = try call.args.string(-1, "list_merge") ?? "replace"
        guard ["replace", "keep", "append", "prepend", "append_rp", "prepend_rp"].contains(listMerge) else {
            throw call.fail("list_merge must be replace, keep, append, prepend, append_rp or prepend_rp")
        }
        return (recursive, listMerge)
    }

    /// Ansible's merge_hash: y wins; an empty x or one equal to y gives y itself (y's order).
    static func mergeHash(_ a: ValueDict, _ b: ValueDict, recursive: Bool, listMerge: String) -> ValueDict {
        if a.isEmpty || a == b { return b }
        var out = a
        for (k, v) in b.typedPairs {
            switch (out[typedKey: k], v) {
            case let (.dict(x)?, .dict(y)) where recursive:
                out[typedKey: k] = .dict(mergeHash(x, y, recursive: recursive, listMerge: listMerge))
            case let (.list(x)?, .list(y)):
                switch listMerge {
                case "keep": break
                case "append": out[typedKey: k] = .list(x + y)
                case "prepend": out[typedKey: k] = .list(y + x)
                // "_rp": the old list loses the elements the new one has ("remove present").
                case "append_rp": out[typedKey: k] = .list(x.filter { e in !y.contains { $0.templateEquals(e) } } + y)
                case "prepend_rp": out[typedKey: k] = .list(y + x.filter { e in !y.contains { $0.templateEquals(e) } })
                default: out[typedKey: k] = v
                }
            default: out[typedKey: k] = v
            }
        }
        return out
    }
}
