/// `lookup('first_found', …)` / `query('first_found', …)`: the first file that exists on the
/// controller among the terms (names, or mappings with `files` and `paths`, `skip`), relative
/// names looked up in the role (`role_path`) and the playbook directory, each also under
/// `files/` — Ansible's search, as the Galaxy idiom `include_vars: "{{ lookup('first_found',
/// params) }}"` with `paths: [vars]` needs. No match fails, unless `skip: true`, which gives no item
/// (`errors='ignore'` is handled by the lookup call itself).
extension Evaluator {
    func firstFoundLookup(_ args: CallArguments) throws -> [Value] {
        var terms: [Value] = []
        for i in 1..<max(1, args.positional.count) {
            if let v = try args.value(i) { terms.append(v) }
        }
        for key in ["files", "paths", "skip"] {
            if let v = try args.value(-1, key) {
                if terms.isEmpty || terms.allSatisfy({ $0.dictValue == nil }) {
                    terms = [.dict(["files": .list(terms)])]
                }
                if case .dict(var d) = terms[0] { d[key] = v; terms[0] = .dict(d) }
            }
        }
        var dirs: [String] = []
        for name in ["role_path", "playbook_dir"] {
            if let s = scope.lookup(name)?.materialized.stringValue { dirs.append(s) }
        }
        if dirs.isEmpty { dirs = ["."] }
        do {
            return try LoopItems.firstFound(.list(terms), searchDirectories: dirs).map { [.string($0)] } ?? []
        } catch let e as ModuleError {
            throw TemplateError.evaluation("lookup('first_found'): " + e.message, at: args.offset)
        }
    }
}
