import Foundation

/// A task's loop items on one host: `loop:` as rendered, or the `with_<lookup>` forms Ansible
/// has, expanded as its lookup plugins do.
enum LoopItems {
    /// `rendered`: the loop value after templating. `searchDirectories`: controller directories
    /// for `with_fileglob`/`with_first_found` (the role's, then the playbook's).
    /// `lookupSubdirectory`: where `with_first_found` looks inside each directory first
    /// (`lookupSubdirectory(forAction:)`).
    static func expand(_ kind: LoopKind, _ rendered: Value, searchDirectories: [String],
                       lookupSubdirectory: String = "files") throws -> [Value] {
        switch kind {
        case .loop:
            switch rendered {
            case .list(let l): return l
            case .null: return []
            case .string(let s): throw ModuleError("loop needs a list, got the string '\(s)'")
            case .dict: throw ModuleError("loop needs a list, got a mapping (use '| dict2items')")
            default: return [rendered]
            }
        case .items:
            return terms(rendered).flatMap { v -> [Value] in if case .list(let l) = v { return l }; return [v] }
        case .list:
            return terms(rendered)
        case .indexedItems:
            let items = terms(rendered).flatMap { v -> [Value] in if case .list(let l) = v { return l }; return [v] }
            return items.enumerated().map { .tuple([.int($0.offset), $0.element]) }
        case .dict:
            guard case .dict(let d) = rendered else {
                throw ModuleError("with_dict needs a mapping, got \(rendered.jsonString)")
            }
            // In the mapping's own order, as Python's dicts keep it.
            return d.map { .dict(["key": .string($0.key), "value": $0.value]) }
        case .together:
            let lists = terms(rendered).map { $0.listValue ?? [$0] }
            let n = lists.map(\.count).max() ?? 0
            return (0..<n).map { i in .list(lists.map { i < $0.count ? $0[i] : .null }) }
        case .nested:
            var out: [[Value]] = [[]]
            for term in terms(rendered) {
                let list = term.listValue ?? [term]
                out = out.flatMap { prefix in list.map { prefix + [$0] } }
            }
            return terms(rendered).isEmpty ? [] : out.map(Value.list)
        case .subelements:
            return try subelements(rendered)
        case .sequence:
            return try terms(rendered).flatMap { try sequence($0.renderedString) }
        case .fileglob:
            return terms(rendered).flatMap { pattern -> [Value] in
                let p = pattern.renderedString
                let dirs = p.hasPrefix("/") ? [""] : searchDirectories.flatMap { [$0 + "/files", $0] }
                for dir in dirs {
                    let found = PlaybookReader.glob(dir.isEmpty ? p : dir + "/" + p).filter { path in
                        var isDir: ObjCBool = false
                        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
                    }
                    if !found.isEmpty { return found.sorted().map(Value.string) }
                }
                return []
            }
        case .firstFound:
            return try firstFound(rendered, searchDirectories: searchDirectories, subdirectory: lookupSubdirectory)
                .map { [.string($0)] } ?? []
        case .flattened:
            guard case .list(let l) = rendered else { throw ModuleError("with_flattened expects a list") }
            return flatten(l)
        case .randomChoice:
            throw ModuleError("with_random_choice is not supported")
        }
    }

    /// Where `with_fileglob`/`with_first_found` look, as Ansible's search path for a task: the
    /// role's directory, the directory of the file holding the task (`roles/x/tasks`, so a
    /// role's `tasks/tests/*.yml` is found), then the playbook's.
    static func searchDirectories(role: String?, taskFile: String, playbook: String) -> [String] {
        var out: [String] = []
        let taskDirectory = PlaybookExecutor.absolute((taskFile as NSString).deletingLastPathComponent)
        for d in [role, taskFile.isEmpty ? nil : taskDirectory, playbook].compactMap({ $0 }) where !out.contains(d) { out.append(d) }
        return out
    }

    /// community.general's `flattened`: lists inside lists spread out at every depth, a list of
    /// one item stands for that item, mappings stay whole, and a 'None' or 'null' string ends
    /// the list there (the plugin's marker for an undefined item).
    static func flatten(_ terms: [Value]) -> [Value] {
        var out: [Value] = []
        for var term in terms {
            while case .list(let one) = term, one.count == 1 { term = one[0] }
            if term == .string("None") || term == .string("null") { break }
            if case .list(let inner) = term { out += flatten(inner) } else { out.append(term) }
        }
        return out
    }

    /// A lookup's terms: a list, or one value.
    static func terms(_ v: Value) -> [Value] {
        switch v {
        case .list(let l): return l
        case .null: return []
        default: return [v]
        }
    }

    /// `with_subelements: [users, keys]` (or `[users, keys, {skip_missing: true}]`).
    static func subelements(_ v: Value) throws -> [Value] {
        let t = terms(v)
        guard t.count >= 2, let key = t[1].stringValue else {
            throw ModuleError("with_subelements needs a list (or mapping) and the name of a sub-list: [users, keys]")
        }
        let skipMissing = t.count > 2 && (t[2].dictValue?["skip_missing"].map(Task.boolean) ?? false)
        let parents: [Value]
        switch t[0] {
        case .list(let l): parents = l
        case .dict(let d): parents = d.map(\.value)
        default: throw ModuleError("with_subelements: the first term must be a list or a mapping")
        }
        var out: [Value] = []
        for p in parents {
            guard case .dict(var d) = p else { throw ModuleError("with_subelements: each element must be a mapping") }
            // Ansible walks a dotted path (`a.b`) into nested mappings.
            var sub: Value? = nil
            var cur: Value? = p
            for part in key.split(separator: ".") { cur = cur?.dictValue?[String(part)] }
            sub = cur
            guard let sub, !sub.isNull else {
                if skipMissing { continue }
                throw ModuleError("with_subelements: could not find '\(key)' in \(Value.dict(d).jsonString)")
            }
            guard case .list(let items) = sub else { throw ModuleError("with_subelements: '\(key)' must be a list") }
            d[key] = sub
            out += items.map { .list([.dict(d), $0]) }
        }
        return out
    }

    /// `with_sequence: start=1 end=5 stride=1 format=web%02d`, `count=3`, or `1-5/1:fmt`.
    static func sequence(_ text: String) throws -> [Value] {
        var start = 1, end: Int?, stride = 1, format = "%d", count: Int?
        func int(_ s: Substring) throws -> Int {
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("0x"), let i = Int(t.dropFirst(2), radix: 16) { return i }
            if t.hasPrefix("0o"), let i = Int(t.dropFirst(2), radix: 8) { return i }
            guard let i = Int(t) else { throw ModuleError("with_sequence: '\(t)' is not a number") }
            return i
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.contains("=") {
            var rest = Substring(trimmed)
            if let c = rest.firstIndex(of: ":") { format = String(rest[rest.index(after: c)...]); rest = rest[..<c] }
            if let sl = rest.firstIndex(of: "/") { stride = try int(rest[rest.index(after: sl)...]); rest = rest[..<sl] }
            if let dash = rest.dropFirst().firstIndex(of: "-") {
                start = try int(rest[..<dash]); end = try int(rest[rest.index(after: dash)...])
            } else { end = try int(rest) }
        } else {
            for word in trimmed.split(separator: " ") {
                let kv = word.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { throw ModuleError("with_sequence: '\(word)' is not key=value") }
                switch kv[0] {
                case "start": start = try int(kv[1])
                case "end": end = try int(kv[1])
                case "stride": stride = try int(kv[1])
                case "count": count = try int(kv[1])
                case "format": format = String(kv[1])
                default: throw ModuleError("with_sequence: unknown argument '\(kv[0])' (start, end, count, stride, format)")
                }
            }
        }
        if let count {
            guard end == nil else { throw ModuleError("with_sequence: give either end or count, not both") }
            let (span, o1) = (count - 1).multipliedReportingOverflow(by: stride)
            let (last, o2) = start.addingReportingOverflow(span)
            if count != 0, o1 || o2 { throw ModuleError("with_sequence: count \(count) with stride \(stride) passes 64 bits") }
            end = count == 0 ? start : last
            if count == 0 { return [] }
        }
        guard let end else { throw ModuleError("with_sequence needs end or count") }
        guard stride != 0 else { throw ModuleError("with_sequence: stride cannot be 0") }
        if (stride > 0 && end < start) || (stride < 0 && end > start) {
            throw ModuleError("with_sequence: to count backwards make stride negative")
        }
        var out: [Value] = []
        var i = start
        while stride > 0 ? i <= end : i >= end {
            // `format % i`, Python's % formatting (a format that wants two values fails as there).
            do { out.append(.string(try PythonFormat.format(format, [.int(i)]))) } catch let e as PythonFormat.Failure {
                throw ModuleError("with_sequence: format '\(format)': \(e.message)")
            }
            let (next, overflow) = i.addingReportingOverflow(stride)
            if overflow { break }
            i = next
            if out.count > 100_000 { throw ModuleError("with_sequence: more than 100000 items") }
        }
        return out
    }

    /// `with_first_found`: the first existing file among the names (a list, or mappings with
    /// `files` and `paths`), relative names looked up in the role's and playbook's `files/`
    /// and directories.
    /// Ansible gives a loop's lookup the subdirectory of the task's action: `templates` for an
    /// action whose name holds "template", `vars` for one holding "var" (include_vars), else
    /// `files`. `with_first_found` looks there before the directory itself.
    static func lookupSubdirectory(forAction action: String) -> String {
        if action.contains("template") { return "templates" }
        if action.contains("var") { return "vars" }
        return "files"
    }

    static func firstFound(_ v: Value, searchDirectories: [String], subdirectory: String = "files") throws -> String? {
        var names: [String] = []
        var skip = false
        for term in terms(v) {
            switch term {
            case .dict(let d):
                let files = terms(d["files"] ?? .null).flatMap { $0.renderedString.split(separator: ",").map(String.init) }
                let paths = terms(d["paths"] ?? .null).flatMap { $0.renderedString.split(separator: ",").map(String.init) }
                if d["skip"].map(Task.boolean) == true { skip = true }
                if paths.isEmpty { names += files } else { names += paths.flatMap { p in files.map { p + "/" + $0 } } }
            default: names.append(term.renderedString)
            }
        }
        let fm = FileManager.default
        for name in names {
            let candidates = name.hasPrefix("/") ? [name]
                : searchDirectories.flatMap { [$0 + "/" + subdirectory + "/" + name, $0 + "/" + name] }
            if let hit = candidates.first(where: { fm.fileExists(atPath: $0) }) { return hit }
        }
        if skip { return nil }
        throw ModuleError("with_first_found: none of these files exists: " + names.joined(separator: ", "))
    }
}
