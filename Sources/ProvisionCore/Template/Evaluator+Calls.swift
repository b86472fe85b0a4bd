import Foundation

extension Evaluator {
    /// Global functions templates may call.
    static let functionNames: Set<String> = ["range", "lookup", "query", "q", "dict", "namespace", "now"]

    func call(_ callee: ExpressionNode, _ argNodes: ExpressionNode.Arguments, at offset: Int) throws -> Operand {
        switch callee.kind {
        case .attribute(let objectNode, let method):
            if case .name(let alias) = objectNode.kind, let macro = frame?.macro(alias + "." + method) {
                // A macro of a template imported `as alias`.
                return .value(try macro.invoke(try evaluateArguments(argNodes, callee: method + "()", at: offset), scope: scope))
            }
            let object = try evaluate(objectNode)
            let args = try evaluateArguments(argNodes, callee: method + "()", at: offset)
            if case .time(let t) = object { return try timeMethod(method, t, args) }
            if case .mapping(let m, let path) = object {
                if Evaluator.mutatingMethods.contains(method) {
                    throw TemplateError.evaluation("\(path).\(method)(): changing this variable in place is not supported", at: offset)
                }
                return try callMappingMethod(method, m, path: path, args)
            }
            let target = try object.value(at: objectNode.offset)
            if method == "encode", case .string = target {
                // Python bytes: a type provision does not have. Defined (`is defined` holds);
                // any use of the value is this error.
                return .deferred(TemplateError.evaluation("str.encode() gives Python bytes, which provision does not have", at: offset))
            }
            if method == "cycle", case .name("loop") = objectNode.kind { return .value(try loopCycle(target, args)) }
            if method == "changed", case .name("loop") = objectNode.kind { return .value(try loopChanged(target, args)) }
            if let (result, updated) = try mutatingCall(method, on: target, args) {
                try writeBack(objectNode, updated)
                return .value(result)
            }
            return .value(try callMethod(method, on: target, args))
        case .name(let name):
            let args = try evaluateArguments(argNodes, callee: name + "()", at: offset)
            if let macro = frame?.macro(name) { return .value(try macro.invoke(args, scope: scope)) }
            if name == "namespace" { return .value(try makeNamespace(args)) }
            if name == "now" {
                // Ansible's now(utc=False, fmt=None): the text of fmt, else a datetime.
                let utc = try args.value(0, "utc")?.isTruthy ?? false
                guard let fmt = try args.value(1, "fmt"), fmt.isTruthy else { return .time(.datetime(NaiveDateTime.now(utc: utc))) }
                return .value(.string(PythonDateTime.strftime(fmt.renderedString, Date(), utc: utc)))
            }
            return .value(try callFunction(name, args))
        default:
            throw TemplateError.type("this value cannot be called", at: offset)
        }
    }

    private func callFunction(_ name: String, _ args: CallArguments) throws -> Value {
        switch name {
        case "range":
            let ints = try (0..<args.positional.count).map { try args.int($0) ?? 0 }
            let (start, stop, step): (Int, Int, Int)
            switch ints.count {
            case 1: (start, stop, step) = (0, ints[0], 1)
            case 2: (start, stop, step) = (ints[0], ints[1], 1)
            case 3: (start, stop, step) = (ints[0], ints[1], ints[2])
            default: throw TemplateError.type("range() takes 1 to 3 arguments", at: args.offset)
            }
            guard step != 0 else { throw TemplateError.evaluation("range() step cannot be zero", at: args.offset) }
            // In floating point: `stop - start` of two far-apart ints would overflow an Int.
            let count = max(0, ((Double(stop) - Double(start) + Double(step) + (step > 0 ? -1 : 1)) / Double(step)).rounded(.towardZero))
            guard count <= 100_000 else { throw TemplateError.evaluation("range() of more than 100000 items", at: args.offset) }
            return .list(stride(from: start, to: stop, by: step).map { .int($0) })
        case "lookup", "query", "q":
            let wantlist = name != "lookup" || args.keyword["wantlist"].map({ (try? $0.value())?.isTruthy ?? false }) == true
            let values: [Value]
            do {
                values = try lookupPlugin(args)
            } catch let e as TemplateError {
                // `errors='ignore'` (or 'warn'): a failing lookup gives nothing, as Ansible's.
                let mode = (try args.value(-1, "errors"))?.stringValue ?? "strict"
                guard mode == "ignore" || mode == "warn" else { throw e }
                return wantlist ? .list([]) : .null
            }
            // An empty result stays a list even for `lookup` (Ansible joins only a non-empty one).
            if !wantlist, !values.isEmpty {
                // Ansible joins the results with ','; when they are not all text (join fails
                // in Python) a single result is returned as it is, several as the list.
                if values.allSatisfy({ $0.stringValue != nil }) {
                    return .string(values.compactMap(\.stringValue).joined(separator: ","))
                }
                return values.count == 1 ? values[0] : .list(values)
            }
            return .list(values)
        case "dict":
            // Python's dict(mapping_or_pairs, **kwargs): the mapping's order, then the keywords'.
            var out = ValueDict()
            switch try args.value(0, nil) {
            case .dict(let d)?: out = d
            case .list(let pairs)?, .tuple(let pairs)?:
                for pair in pairs {
                    guard let kv = pair.listValue, kv.count == 2 else {
                        throw TemplateError.type("dict() needs a list of [key, value] pairs", at: args.offset)
                    }
                    out[typedKey: kv[0]] = kv[1]
                }
            case nil, .null?: break
            case let other?: throw TemplateError.type("dict() cannot make a dict of a \(other.typeName)", at: args.offset)
            }
            for k in args.keywordOrder { if let v = args.keyword[k] { out[k] = try v.value(at: args.offset) } }
            return .dict(out)
        default:
            throw TemplateError.evaluation("'\(name)' is not a function (functions: \(Evaluator.functionNames.sorted().joined(separator: ", ")))", at: args.offset)
        }
    }

    /// `lookup('env', ...)` and `lookup('file', ...)`, both read on the controller.
    private func lookupPlugin(_ args: CallArguments) throws -> [Value] {
        let plugin = try args.requiredString(0, "plugin")
        if plugin == "first_found" || plugin == "ansible.builtin.first_found" { return try firstFoundLookup(args) }
        if !["env", "file", "vars"].contains(plugin.hasPrefix("ansible.builtin.") ? String(plugin.dropFirst(16)) : plugin) {
            return try moreLookups(plugin, args)
        }
        let terms = try (1..<max(1, args.positional.count)).map { try args.requiredString($0, "term") }
        switch plugin {
        case "env", "ansible.builtin.env":
            let env = ProcessInfo.processInfo.environment
            let fallback = try args.value(-1, "default")
            return terms.map { env[$0].map(Value.string) ?? fallback ?? .string("") }
        case "file", "ansible.builtin.file":
            return try terms.map { term in
                // A relative name is looked for as Ansible's search path does: under `files/`
                // and then as is, in the role and then the playbook directory.
                var path = term
                if !term.hasPrefix("/") {
                    var candidates: [String] = []
                    for name in ["role_path", "playbook_dir"] {
                        guard let dir = scope.lookup(name)?.materialized.stringValue, !dir.isEmpty else { continue }
                        candidates += [dir + "/files/" + term, dir + "/" + term]
                    }
                    path = candidates.first { FileManager.default.fileExists(atPath: $0) } ?? term
                }
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw TemplateError.evaluation("lookup('file'): cannot read '\(path)'", at: args.offset)
                }
                return .string(PythonString.strip(text, "\n", leading: false))
            }
        case "vars", "ansible.builtin.vars":
            let fallback = try args.value(-1, "default")
            return try terms.map { name in
                let found = lookup(name, at: args.offset)
                if found.isUndefined {
                    guard let fallback else {
                        throw TemplateError.evaluation("lookup('vars'): no variable found with this name: \(name)", at: args.offset)
                    }
                    return fallback
                }
                return try found.value(at: args.offset)
            }
        default:
            return try moreLookups(plugin, args)
        }
    }

    private func callMappingMethod(_ method: String, _ m: any LazyMapping, path: String, _ args: CallArguments) throws -> Operand {
        switch method {
        case "get":
            let key = try args.required(0, "key").renderedString
            if let entry = m.member(key) { return Operand(entry, path: path + "." + key) }
            return .value(try args.value(1, "default") ?? .null)
        case "keys": return .value(.list(m.memberNames.sorted().map(Value.string)))
        default: return .value(try callMethod(method, on: m.materialized, args))
        }
    }

    /// The `str`, `dict` and `list` methods users write in Ansible expressions.
    func callMethod(_ method: String, on object: Value, _ args: CallArguments) throws -> Value {
        switch object {
        case .string(let s): return try stringMethod(method, s, args)
        case .dict(let d):
            switch method {
            case "keys": return .list(d.typedKeys)
            case "values": return .list(d.values)
            case "copy": return .dict(d)
            case "items": return .list(d.typedPairs.map { .tuple([$0.key, $0.value]) })
            case "get":
                if let found = d[typedKey: try args.required(0, "key")] { return found }
                return try args.value(1, "default") ?? .null
            default: break
            }
        case .list(let l), .tuple(let l):
            switch method {
            case "index":
                let item = try args.required(0, "value")
                guard let i = l.firstIndex(where: { $0.templateEquals(item) }) else {
                    throw TemplateError.evaluation("\(item.renderedString) is not in list", at: args.offset)
                }
                return .int(i)
            case "count":
                let item = try args.required(0, "value")
                return .int(l.filter { $0.templateEquals(item) }.count)
            case "copy" where object.typeName == "list": return .list(l)
            default: break
            }
        default: break
        }
        throw TemplateError.type("'\(object.typeName)' object has no method '\(method)'", at: args.offset)
    }

    private func stringMethod(_ method: String, _ s: String, _ args: CallArguments) throws -> Value {
        switch method {
        case "startswith", "endswith":
            let arg = try args.required(0, "prefix")
            let candidates = arg.listValue ?? [arg]
            return .bool(candidates.contains { c in
                let t = c.renderedString
                return method == "startswith" ? s.hasPrefix(t) : s.hasSuffix(t)
            })
        case "split":
            let parts = PythonString.split(s, separator: try args.string(0, "sep"), maxSplits: try args.int(1, "maxsplit") ?? -1)
            return .list(parts.map(Value.string))
        case "rsplit":
            // Python's rsplit is split from the right: split the reversed text by the reversed
            // separator, then reverse each part and their order.
            let sep = try args.string(0, "sep")
            let parts = PythonString.split(String(s.reversed()), separator: sep.map { String($0.reversed()) },
                                           maxSplits: try args.int(1, "maxsplit") ?? -1)
            return .list(parts.reversed().map { .string(String($0.reversed())) })
        case "splitlines": return .list(PythonString.splitLines(s).map(Value.string))
        case "strip": return .string(PythonString.strip(s, try args.string(0, "chars")))
        case "lstrip": return .string(PythonString.strip(s, try args.string(0, "chars"), trailing: false))
        case "rstrip": return .string(PythonString.strip(s, try args.string(0, "chars"), leading: false))
        case "lower": return .string(s.lowercased())
        case "swapcase":
            return .string(String(s.map { c in c.isUppercase ? Character(c.lowercased()) : (c.isLowercase ? Character(c.uppercased()) : c) }))
        case "zfill":
            let width = try args.int(0, "width") ?? 0
            var body = Substring(s), sign = ""
            if let f = body.first, f == "-" || f == "+" { sign = String(f); body = body.dropFirst() }
            return .string(sign + String(repeating: "0", count: try PythonString.width(width - s.unicodeScalars.count, "zfill width")) + body)
        case "ljust", "rjust", "center":
            let width = try args.int(0, "width") ?? 0
            let fill = try args.string(1, "fillchar") ?? " "
            guard fill.unicodeScalars.count == 1 else { throw TemplateError.type("\(method)(): the fill character must be exactly one character long", at: args.offset) }
            return .string(PythonString.justify(method, s, width: try PythonString.width(width, "\(method) width"), fill: fill))
        case "upper": return .string(s.uppercased())
        case "capitalize": return .string(PythonString.capitalize(s))
        case "title": return .string(PythonString.title(s))
        case "replace":
            return .string(PythonString.replace(s, try args.requiredString(0, "old"), try args.requiredString(1, "new"),
                                                count: try args.int(2, "count") ?? -1))
        case "join":
            let items = try args.required(0, "iterable")
            guard let l = items.listValue else { throw TemplateError.type("join() needs a list", at: args.offset) }
            return .string(l.map(\.renderedString).joined(separator: s))
        case "find":
            let sub = try args.requiredString(0, "sub")
            return .int(PythonString.find(s, sub) ?? -1)
        case "count":
            let sub = try args.requiredString(0, "sub")
            return .int(sub.isEmpty ? s.unicodeScalars.count + 1 : PythonString.count(s, sub))
        case "isdigit": return .bool(!s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber })
        case "isalpha": return .bool(!s.isEmpty && s.allSatisfy { $0.isLetter })
        case "isspace": return .bool(!s.isEmpty && s.allSatisfy { $0.isWhitespace })
        case "islower": return .bool(s.contains { $0.isLetter } && s == s.lowercased())
        case "isupper": return .bool(s.contains { $0.isLetter } && s == s.uppercased())
        default:
            return try moreStringMethod(method, s, args)
        }
    }
}

extension Evaluator {
    func evaluateArguments(_ args: ExpressionNode.Arguments, callee: String, at offset: Int) throws -> CallArguments {
        var keyword: [String: Operand] = [:]
        var order: [String] = []
        for (name, node) in args.keyword {
            keyword[name] = try evaluate(node)
            order.append(name)
        }
        var positional = try args.positional.map { try evaluate($0) }
        if let star = args.starArgs {
            switch try value(star) {
            case .list(let items): positional += items.map(Operand.value)
            case .dict(let d): positional += d.typedKeys.map(Operand.value)
            case .string(let s): positional += s.map { .value(.string(String($0))) }
            case let other: throw TemplateError.type("\(callee) argument after * must be an iterable, not \(other.typeName)", at: offset)
            }
        }
        if let star = args.starKwargs {
            guard case .dict(let d) = try value(star) else {
                throw TemplateError.type("\(callee) argument after ** must be a mapping", at: offset)
            }
            for key in d.keys {
                guard keyword[key] == nil else {
                    throw TemplateError.type("\(callee) got multiple values for keyword argument '\(key)'", at: offset)
                }
                keyword[key] = .value(d[key] ?? .null)
                order.append(key)
            }
        }
        var out = CallArguments(callee: callee, positional: positional, keyword: keyword, offset: offset)
        out.keywordOrder = order
        return out
    }
}
