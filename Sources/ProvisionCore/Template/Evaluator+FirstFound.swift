import Foundation

/// `lookup('first_found', …)` / `query('first_found', …)` as ansible-core 2.14's: the terms
/// (names, mappings with `files`/`paths`/`skip`, nested lists) become one search list — a
/// mapping's `paths × files` joined as os.path.join does (an absolute name stays itself), or
/// its `files` alone, which replace what came before as Ansible's do; keyword `files`/`paths`
/// take a string term's place. Relative names are looked for in the role (`role_path`) and the
/// playbook directory, each under `files/` first. No match fails, unless `skip` is true.
extension Evaluator {
    func firstFoundLookup(_ args: CallArguments) throws -> [Value] {
        func fail(_ message: String) -> TemplateError { .evaluation("lookup('first_found'): " + message, at: args.offset) }
        var terms: [Value] = []
        for i in 1..<max(1, args.positional.count) {
            if let v = try args.value(i) { terms.append(v) }
        }
        var keywords = ValueDict()
        for key in ["files", "paths", "skip"] {
            if let v = try args.value(-1, key) { keywords[key] = v }
        }
        var search: [String] = []
        var skip = false
        func process(_ list: [Value]) throws {
            for term in list {
                let options: ValueDict
                switch term {
                case .dict(let d): options = d
                case .string: options = keywords
                case .list(let inner): try process(inner); continue
                default: throw fail("Invalid term supplied, can handle string, mapping or list of strings but got: \(term.typeName) for \(PythonRepr.str(term))")
                }
                let files = try Self.splitOn(options["files"], ",;", fail: fail)
                let paths = try Self.splitOn(options["paths"], ",:;", fail: fail)
                skip = options["skip"].map(Task.boolean) ?? false
                if !paths.isEmpty {
                    for p in paths { for f in files { search.append(f.hasPrefix("/") || p.isEmpty ? f : (p.hasSuffix("/") ? p + f : p + "/" + f)) } }
                } else if !files.isEmpty {
                    search = files
                } else if case .string(let s) = term {
                    search.append(s)
                }
            }
        }
        try process(terms)
        var dirs: [String] = []
        for name in ["role_path", "playbook_dir"] {
            if let s = scope.lookup(name)?.materialized.stringValue, !s.isEmpty { dirs.append(s) }
        }
        if dirs.isEmpty { dirs = [FileManager.default.currentDirectoryPath] }
        let fm = FileManager.default
        for name in search where !name.isEmpty {
            let candidates = name.hasPrefix("/") ? [name] : dirs.flatMap { [$0 + "/files/" + name, $0 + "/" + name] }
            if let hit = candidates.first(where: { fm.fileExists(atPath: $0) }) { return [.string(hit)] }
        }
        if skip { return [] }
        throw fail("No file was found when using first_found.")
    }

    /// `_split_on`: strings split on any of the characters, lists flattened.
    private static func splitOn(_ v: Value?, _ chars: String, fail: (String) -> TemplateError) throws -> [String] {
        switch v {
        case nil, .null?: return []
        case .string(let s)?: return s.split(omittingEmptySubsequences: false) { chars.contains($0) }.map(String.init)
        case .list(let l)?: return try l.flatMap { try splitOn($0, chars, fail: fail) }
        case let other?: throw fail("files and paths must be strings or lists, not \(other.typeName)")
        }
    }
}
