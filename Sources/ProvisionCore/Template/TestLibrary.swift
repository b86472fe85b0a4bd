import Foundation

/// The tests (`x is defined`, `result is changed`, `v is version('2.0', '>=')`) templates can use.
enum TestLibrary {
    typealias Test = (FilterCall) throws -> Bool

    static let all: [String: Test] = {
        var all: [String: Test] = [
            "defined": { !$0.input.isUndefined },
            "undefined": { $0.input.isUndefined },
            "none": { try typed($0) { $0.isNull } },
            "string": { try typed($0) { $0.stringValue != nil } },
            // Jinja's `number` is isinstance(Number): a boolean is one too.
            "number": { try typed($0) { if case .bool = $0 { return true }; return $0.isNumber } },
            "integer": { try typed($0) { if case .int = $0 { return true }; return false } },
            "float": { try typed($0) { if case .double = $0 { return true }; return false } },
            "boolean": { try typed($0) { if case .bool = $0 { return true }; return false } },
            "mapping": { call in
                if case .mapping = call.input { return true }
                return try typed(call) { $0.dictValue != nil }
            },
            "sequence": { call in
                if case .mapping = call.input { return true }
                return try typed(call) { v in
                    switch v {
                    case .list, .dict, .string: return true
                    default: return false
                    }
                }
            },
            // Jinja's iterable: anything `iter()` accepts (strings, lists, dicts).
            "iterable": { call in
                if case .mapping = call.input { return true }
                return try typed(call) { v in
                    switch v {
                    case .list, .dict, .string: return true
                    default: return false
                    }
                }
            },
            // Jinja's `true`/`false`: the very booleans, not truthiness.
            "true": { try typed($0) { $0 == .bool(true) } },
            "false": { try typed($0) { $0 == .bool(false) } },
            // Ansible's path tests, on the controller's filesystem.
            "exists": { FileManager.default.fileExists(atPath: try $0.text()) },
            "mount": { isMountPoint(try $0.text()) },
            // Jinja's callable: no value provision holds is one; a bare function name (`range`)
            // would be, so an undefined input is refused rather than answered False.
            "callable": { call in
                if case .mapping = call.input { return false }
                _ = try call.value()
                return false
            },
            "file": { call in
                var isDir: ObjCBool = false
                return FileManager.default.fileExists(atPath: try call.text(), isDirectory: &isDir) && !isDir.boolValue
            },
            "directory": { call in
                var isDir: ObjCBool = false
                return FileManager.default.fileExists(atPath: try call.text(), isDirectory: &isDir) && isDir.boolValue
            },
            "link": { call in
                ((try? FileManager.default.attributesOfItem(atPath: try call.text())[.type]) as? FileAttributeType) == .typeSymbolicLink
            },
            "abs": { try $0.text().hasPrefix("/") },
            "truthy": { try $0.value().isTruthy },
            "falsy": { try !$0.value().isTruthy },
            "even": { try integer($0) % 2 == 0 },
            "odd": { try integer($0) % 2 != 0 },
            "divisibleby": { call in
                guard let n = try call.args.int(0, "num"), n != 0 else { throw call.fail("needs a non-zero number") }
                return try integer(call) % n == 0
            },
            "lower": { let s = try $0.text(); return s == s.lowercased() },
            "upper": { let s = try $0.text(); return s == s.uppercased() },
            "match": { try regexTest($0, anchored: true) },
            "search": { try regexTest($0, anchored: false) },
            "regex": { call in
                let match = try call.args.string(-1, "match_type") ?? "search"
                return try regexTest(call, anchored: match == "match")
            },
            "in": { call in
                try call.evaluator.contains(try call.args.required(0, "seq"), try call.value(), at: call.args.offset)
            },
            "contains": { call in
                try call.evaluator.contains(try call.value(), try call.args.required(0, "seq"), at: call.args.offset)
            },
            "subset": { call in try isSubset(call.list(), of: listArgument(call)) },
            "superset": { call in try isSubset(listArgument(call), of: call.list()) },
            "any": { try $0.list().contains { $0.isTruthy } },
            "all": { try $0.list().allSatisfy { $0.isTruthy } },
            "version": versionTest,
            "version_compare": versionTest,
        ]
        for (names, op) in [(["eq", "equalto", "==", "sameas"], "=="), (["ne", "!="], "!="), (["lt", "lessthan", "<"], "<"),
                            (["le", "<="], "<="), (["gt", "greaterthan", ">"], ">"), (["ge", ">="], ">=")] {
            for name in names {
                all[name] = { call in
                    try call.evaluator.compare(op, try call.value(), call.args.operand(0, "other") ?? .value(.null),
                                               at: call.args.offset)
                }
            }
        }
        let resultTests: [(String, [String])] = [("changed", ["changed", "change"]), ("failed", ["failed", "failure"]),
                                                 ("succeeded", ["succeeded", "success", "successful"]),
                                                 ("skipped", ["skipped", "skip"]), ("finished", ["finished"])]
        for (kind, names) in resultTests { for name in names { all[name] = { try taskResult($0, kind) } } }
        return all
    }()

    /// A type test: an undefined input is simply not of the type (as in Jinja).
    /// Python's os.path.ismount: not a symlink, and on another device than its parent or the
    /// same inode as it (the root).
    static func isMountPoint(_ path: String) -> Bool {
        var st = stat(), parent = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFLNK else { return false }
        guard lstat(path.hasSuffix("/") ? path + ".." : path + "/..", &parent) == 0 else { return false }
        return st.st_dev != parent.st_dev || st.st_ino == parent.st_ino
    }

    private static func typed(_ call: FilterCall, _ check: (Value) -> Bool) throws -> Bool {
        if call.input.isUndefined { return false }
        return check(try call.value())
    }

    private static func integer(_ call: FilterCall) throws -> Int {
        switch try call.value() {
        case .int(let i): return i
        case let v: throw call.fail("needs an integer, got \(v.typeName)")
        }
    }

    private static func listArgument(_ call: FilterCall) throws -> [Value] {
        guard case .list(let l) = try call.args.required(0, "other") else { throw call.fail("needs a list argument") }
        return l
    }

    private static func isSubset(_ a: [Value], of b: [Value]) -> Bool {
        a.allSatisfy { x in b.contains { $0.templateEquals(x) } }
    }

    private static func regexTest(_ call: FilterCall, anchored: Bool) throws -> Bool {
        let pattern = try call.args.requiredString(0, "pattern")
        let regex = try FilterLibrary.compileRegex(pattern, call: call, optionIndex: 1)
        let s = try call.text()
        let options: NSRegularExpression.MatchingOptions = anchored ? [.anchored] : []
        return regex.firstMatch(in: s, options: options, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// Ansible's result tests: they need a registered result (a dict), and `changed` also
    /// looks into a loop's `results`.
    private static func taskResult(_ call: FilterCall, _ kind: String) throws -> Bool {
        guard case .dict(let r) = try call.value() else {
            throw call.fail("the '\(kind)' test expects a registered task result (a dict), got \(try call.value().typeName)")
        }
        let flag = { (key: String) -> Bool in r[key]?.isTruthy ?? false }
        switch kind {
        case "changed":
            if r["changed"] != nil { return flag("changed") }
            if case .list(let results)? = r["results"] { return results.contains { $0["changed"]?.isTruthy ?? false } }
            return false
        case "failed": return flag("failed")
        case "succeeded": return !flag("failed")
        case "skipped": return flag("skipped")
        default: return r["finished"].map { $0.isTruthy } ?? true
        }
    }

    /// `version(other, operator='eq', strict=False, version_type=None)`: LooseVersion by
    /// default, or the scheme `version_type`/`strict` names (see `VersionOrdering`).
    private static let versionTest: Test = { call in
        let lhs = try call.text()
        let rhs = PythonRepr.str(try call.args.required(0, "version"))
        let op = try call.args.string(1, "operator") ?? "eq"
        let strict = try call.args.bool(2, "strict") ?? false
        let type = try call.args.string(3, "version_type")
        if strict, type != nil { throw call.fail("strict and version_type are mutually exclusive") }
        let order: ComparisonResult
        do {
            order = try VersionOrdering.compare(lhs, rhs, type: type ?? (strict ? "strict" : "loose"))
        } catch let e as VersionOrdering.Invalid {
            throw call.fail(e.message)
        }
        switch op {
        case "==", "=", "eq": return order == .orderedSame
        case "!=", "<>", "ne": return order != .orderedSame
        case "<", "lt": return order == .orderedAscending
        case "<=", "le": return order != .orderedDescending
        case ">", "gt": return order == .orderedDescending
        case ">=", "ge": return order != .orderedAscending
        default: throw call.fail("unknown operator '\(op)' (use <, <=, >, >=, ==, !=)")
        }
    }
}
