extension FilterLibrary {
    /// Ansible's list builders used with `loop:` (`product`, `subelements`, `zip_longest`) and
    /// `extract`, which with `map` turns host names into their variables:
    /// `groups['managers'] | map('extract', hostvars, 'ansible_host') | list`.
    static let listFilters: [String: Filter] = [
        "extract": { call in
            guard let container = call.args.operand(0, "container") else { throw call.fail("needs a container") }
            var path = "container"
            var current = try member(of: container, try call.value(), path: &path, call: call)
            if let more = try call.args.value(1, "morekeys") {
                for k in more.listValue ?? [more] {
                    current = try member(of: current, k, path: &path, call: call)
                }
            }
            return current
        },
        "product": plain { call in
            var result: [[Value]] = [[]]
            var lists = [try call.list()]
            for arg in call.args.positional {
                guard case .list(let l) = try arg.value(at: call.args.offset) else { throw call.fail("arguments must be lists") }
                lists.append(l)
            }
            if let repeatCount = try call.args.int(-1, "repeat") {
                guard repeatCount >= 0 else { throw call.fail("repeat argument cannot be negative") }
                lists = Array(repeating: lists, count: repeatCount).flatMap { $0 }
            }
            let total = lists.reduce(1.0) { $0 * Double($1.count) }
            guard total <= 100_000 else { throw call.fail("more than 100000 combinations") }
            for list in lists { result = result.flatMap { prefix in list.map { prefix + [$0] } } }
            return .list(result.map(Value.tuple))
        },
        "zip_longest": plain { call in
            var lists = [try call.list()]
            for arg in call.args.positional {
                guard case .list(let l) = try arg.value(at: call.args.offset) else { throw call.fail("arguments must be lists") }
                lists.append(l)
            }
            let fill = try call.args.value(-1, "fillvalue") ?? .null
            let n = lists.map(\.count).max() ?? 0
            return .list((0..<n).map { i in .tuple(lists.map { i < $0.count ? $0[i] : fill }) })
        },
        "subelements": plain { call in
            let key = try call.args.requiredString(0, "subelements")
            let skipMissing = try call.args.bool(1, "skip_missing") ?? false
            var out: [Value] = []
            for item in try call.list() {
                let sub = attributeValue(item, key)
                if sub.isUndefined {
                    if skipMissing { continue }
                    throw call.fail("could not find '\(key)' key in an item")
                }
                guard case .list(let subs) = try sub.value() else { throw call.fail("'\(key)' must be a list") }
                out += subs.map { .tuple([item, $0]) }
            }
            return .list(out)
        },
    ]

    private static func member(of container: Operand, _ key: Value, path: inout String, call: FilterCall) throws -> Operand {
        switch container.tupleAsList {
        case .value(.list(let l)):
            guard case .int(let i) = key else { throw call.fail("list indexes must be integers") }
            path += "[\(i)]"
            return l.indices.contains(i) ? .value(l[i]) : .undefined(path, offset: call.args.offset)
        case .undefined(let p, let o):
            path = p + "['\(key.renderedString)']"
            return .undefined(path, offset: o)
        case .value(.dict(let d)):
            path += "['\(key.renderedString)']"
            return d[typedKey: key].map { .value($0) } ?? .undefined(path, offset: call.args.offset)
        default:
            path += "['\(key.renderedString)']"
            return container.member(key.renderedString, path: path, at: call.args.offset)
        }
    }
}
