import Foundation

/// Lookups beyond env/file/vars/first_found: the `with_<lookup>` list plugins (their loop
/// counterparts live in `LoopItems`), and `pipe`/`lines`, which run a command on the
/// controller as Ansible does.
extension Evaluator {
    static let supportedLookups = ["env", "file", "vars", "first_found", "pipe", "lines", "items", "list", "dict",
                                   "indexed_items", "nested", "together", "sequence", "fileglob", "varnames", "template", "random_choice", "subelements", "flattened", "inventory_hostnames", "password", "config"]

    func moreLookups(_ plugin: String, _ args: CallArguments) throws -> [Value] {
        let name = plugin.hasPrefix("ansible.builtin.") ? String(plugin.dropFirst("ansible.builtin.".count)) : plugin
        let terms = try (1..<max(1, args.positional.count)).map { try args.positional[$0].value(at: args.offset) }
        switch name {
        case "template": return try templateLookup(args)
        case "password": return try passwordLookup(terms, args)
        case "config": return try configLookup(terms, args)
        case "inventory_hostnames": return try inventoryHostnamesLookup(args)
        case "random_choice": return terms.randomElement().map { [$0] } ?? []
        case "pipe", "lines":
            return try terms.flatMap { term -> [Value] in
                let out = try runOnController(term.renderedString, args: args)
                if name == "pipe" { return [.string(PythonString.strip(out, nil, leading: false))] }
                return PythonString.splitLines(out).map(Value.string)
            }
        case "items", "list", "dict", "indexed_items", "nested", "together", "sequence", "fileglob", "subelements", "flattened":
            guard let kind = LoopKind(rawValue: name) else { break }
            // A lookup's terms are its arguments, as a list (`with_dict` takes the one mapping).
            let rendered: Value = kind == .dict && terms.count == 1 ? terms[0] : .list(terms)
            var dirs: [String] = []
            for n in ["role_path", "playbook_dir"] {
                if let s = scope.lookup(n)?.materialized.stringValue { dirs.append(s) }
            }
            do {
                let items = try LoopItems.expand(kind, rendered, searchDirectories: dirs.isEmpty ? ["."] : dirs)
                return kind == .subelements ? Self.withoutSubkey(items, rendered) : items
            } catch let e as ModuleError {
                throw TemplateError.evaluation("lookup('\(name)'): " + e.message, at: args.offset)
            }
        case "varnames":
            // The names of the variables this host and task see that each Python regex finds
            // (re.search), term after term; in name order, where Ansible follows its dict's order.
            guard case .mapping(let all)? = scope.lookup("vars") else { return [] }
            let names = all.memberNames.sorted()
            var found: [Value] = []
            for term in terms {
                guard case .string(let pattern) = term else {
                    throw TemplateError.evaluation("Invalid setting identifier, \"\(term.renderedString)\" is not a string, it is a \(term.typeName)", at: args.offset)
                }
                let re = try FilterLibrary.compileRegex(pattern, call: nil, optionIndex: -1)
                for n in names where re.firstMatch(in: n, range: NSRange(n.startIndex..., in: n)) != nil { found.append(.string(n)) }
            }
            return found
        default: break
        }
        throw TemplateError.evaluation("lookup plugin '\(plugin)' is not supported (supported: "
            + Evaluator.supportedLookups.joined(separator: ", ") + ")", at: args.offset)
    }

    /// The subelements lookup pops the sub-list from each parent (`item.0` lacks it), a nested
    /// one (`a.b`) from its own mapping; the loop form keeps it (see `LoopItems.subelements`).
    static func withoutSubkey(_ items: [Value], _ terms: Value) -> [Value] {
        guard case .list(let t) = terms, t.count >= 2, let key = t[1].stringValue else { return items }
        let parts = key.split(separator: ".").map(String.init)
        func pop(_ v: Value, _ path: ArraySlice<String>) -> Value {
            guard case .dict(var d) = v, let first = path.first else { return v }
            if path.count == 1 { d.removeValue(forKey: first) } else if let inner = d[first] { d[first] = pop(inner, path.dropFirst()) }
            return .dict(d)
        }
        return items.map { pair in
            guard case .list(let p) = pair, p.count == 2, case .dict(var parent) = p[0] else { return pair }
            if parts.count > 1 { parent.removeValue(forKey: key) }
            return .list([pop(.dict(parent), parts[...]), p[1]])
        }
    }

    /// Runs `command` with /bin/sh on the controller; its stdout, or an error on a non-zero exit.
    private func runOnController(_ command: String, args: CallArguments) throws -> String {
        // Ansible runs it in the playbook's directory; its stderr is not part of the value.
        let dir = scope.lookup("playbook_dir")?.materialized.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let o: ControllerProcess.Output
        do { o = try ControllerProcess.run(["/bin/sh", "-c", command], in: dir) } catch {
            throw TemplateError.evaluation("lookup('pipe'): cannot run /bin/sh: \(error)", at: args.offset)
        }
        guard o.status == 0 else {
            throw TemplateError.evaluation("lookup('pipe'): the command exited with \(o.status)", at: args.offset)
        }
        return String(decoding: o.stdout, as: UTF8.self)
    }
}
