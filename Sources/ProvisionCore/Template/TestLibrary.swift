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
                    case .list, .tuple, .dict, .string: return true
                    default: return false
                    }
                }
            },
            // Jinja's iterable: anything `iter()` accepts (strings, lists, dicts).
            "iterable": { call in
                if case .mapping = call.input { return true }
                return try typed(call) { v in
                    switch v {
                    case .list, .tuple, .dict, .string: return true
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
            "truthy": { try convertedTruth($0) },
            "falsy": { try !convertedTruth($0) },
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
            "issubset": { call in try isSubset(call.list(), of: listArgument(call)) },
            "issuperset": { call in try isSubset(listArgument(call), of: call.list()) },
            "nan": { call in
                // math.isnan: numbers only; another type is not NaN.
                if case .double(let d) = try call.value() { return d.isNaN }
                return false
            },
            "isnan": { call in
                if case .double(let d) = try call.value() { return d.isNaN }
                return false
            },
            "same_file": { call in
                let a = try call.text(), b = try call.args.requiredString(0, "path")
                let fm = FileManager.default
                guard let x = try? fm.attributesOfItem(atPath: a), let y = try? fm.attributesOfItem(atPath: b) else {
                    throw call.fail("No such file or directory")
                }
                return (x[.systemNumber] as? NSNumber) == (y[.systemNumber] as? NSNumber)
                    && (x[.systemFileNumber] as? NSNumber) == (y[.systemFileNumber] as? NSNumber)
            },
            "vault_encrypted": { call in _ = try call.value(); return false },
            "escaped": { call in _ = try call.value(); return false },
            "filter": { call in
                let name = try call.text()
                guard FilterLibrary.all[name] != nil else { throw call.fail("whether '\(name)' is an Ansible filter is not known to provision") }
                return true
            },
            "test": { call in
                let name = try call.text()
                guard TestLibrary.all[name] != nil || name == "test" else { throw call.fail("whether '\(name)' is an Ansible test is not known to provision") }
                return true
            },
            "uri": { call in try uriTest(call, schemes: try call.args.value(0, "schemes"), needsHost: false) },
            "url": { call in try uriTest(call, schemes: try call.args.value(0, "schemes"), needsHost: true) },
            "urn": { call in try uriTest(call, schemes: .list(["urn"]), needsHost: false) },
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
                                                 ("skipped", ["skipped", "skip"]), ("finished", ["finished"]),
                                                 ("started", ["started"]), ("unreachable", ["unreachable"]),
                                                 ("reachable", ["reachable"])]
        for (kind, names) in resultTests { for name in names { all[name] = { try taskResult($0, kind) } } }
        all.merge(ipAddressTests) { a, _ in a }
        return all
    }()

    /// The name a test is registered under: `ansible.<collection>.name` is `name`, unless the
    /// test exists only by its full name.
    static func canonicalName(_ name: String) -> String {
        FilterLibrary.canonicalName(name, registeredAsIs: all[name] != nil, jinjaOnly: Evaluator.jinjaOnlyTests)
    }

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
        guard let l = try call.args.required(0, "other").listValue else { throw call.fail("needs a list argument") }
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
        case "unreachable": return flag("unreachable")
        case "reachable": return !flag("unreachable")
        // Async results carry 0/1; Ansible compares with 1 (a non-async result counts as done).
        default: return r[kind].map { $0 == .int(1) || $0 == .bool(true) || $0 == .double(1) } ?? true
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

    /// `truthy`/`falsy`: Python's bool(), after Ansible's `boolean()` when `convert_bool`
    /// is set and the value is one of its boolean words or numbers.
    private static func convertedTruth(_ call: FilterCall) throws -> Bool {
        let v = try call.value()
        guard try call.args.bool(0, "convert_bool") == true else { return v.isTruthy }
        switch v {
        case .string(let s):
            let n = s.lowercased().trimmingCharacters(in: .whitespaces)
            if ["y", "yes", "on", "1", "true", "t"].contains(n) { return true }
            if ["n", "no", "off", "0", "false", "f"].contains(n) { return false }
        case .int(let i) where i == 0 || i == 1: return i == 1
        case .double(let d) where d == 0 || d == 1: return d == 1
        default: break
        }
        return v.isTruthy
    }

    /// Ansible's `uri`/`url`/`urn` tests over urlparse: any text is a URI (its scheme may be
    /// empty) unless `schemes` is given; a URL also needs a host or the file scheme.
    private static func uriTest(_ call: FilterCall, schemes: Value?, needsHost: Bool) throws -> Bool {
        guard case .string(let s) = try call.value() else { return false }
        // urlparse's scheme: letters first, then letters, digits, '+', '-', '.', before ':'.
        var scheme = ""
        if let colon = s.firstIndex(of: ":") {
            let head = s[..<colon]
            if let f = head.first, f.isASCII, f.isLetter,
               head.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) {
                scheme = head.lowercased()
            }
        }
        if let schemes, !schemes.isNull, schemes.isTruthy {
            guard (schemes.listValue ?? [schemes]).contains(.string(scheme)) else { return false }
        }
        guard needsHost else { return true }
        let rest = scheme.isEmpty ? Substring(s) : s[s.index(s.startIndex, offsetBy: scheme.count + 1)...]
        let netloc = rest.hasPrefix("//") ? rest.dropFirst(2).prefix { !"/?#".contains($0) } : ""
        return !netloc.isEmpty || scheme == "file"
    }
}
