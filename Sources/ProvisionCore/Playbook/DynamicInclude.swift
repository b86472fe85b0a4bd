import Foundation
import Yams

/// An `include_tasks`/`include_role` read when a host reaches it, as Ansible does: its target
/// (`"setup-{{ ansible_os_family }}.yml"`, a role name) is rendered per host, hosts that
/// include the same file run it together, and a file no host reaches is never read.
///
/// Like Ansible's dynamic includes, its `when` and `tags` are the include's own (checked once
/// per host, not copied onto the included tasks); its `vars` and `apply:` keywords go to every
/// included task.
public struct DynamicInclude: @unchecked Sendable {
    public enum Kind: String, Sendable { case tasks = "include_tasks", role = "include_role" }

    public var kind: Kind
    public var name: String?
    /// The task file or role name as written (may hold templates).
    public var target: Value
    /// The include's own conditions, with where each was written.
    public var conditions: [Value]
    public var tags: [String]
    /// A handler include's `listen` topics.
    public var listen: [String] = []
    public var loop: IncludeLoop?
    public var location: SourceLocation
    /// What the included tasks inherit: the enclosing block's keywords, the include's `vars`
    /// and its `apply:` keywords.
    var inherited: Inherited
    /// The role reference's options (`tasks_from`, …) for `include_role`.
    var roleReference: RoleReference?
    /// The file holding the include (relative task files are found from it).
    var file: String
    var playDirectory: String
    var handlers: Bool
    var loader: PlaybookLoader
    /// The tasks of a target named literally (no template), read at load time with every
    /// check (and for the before-run variable and notify checks); run when a host includes
    /// that same target, so its warnings are not given twice.
    public var preview: [TaskNode]? = nil
    var previewTarget: String?
    /// The handlers the previewed role brings: added to the play each time it is included.
    public var previewHandlers: [Task] = []

    /// The variables the included tasks see from the include (its `vars`, the role's).
    public var vars: [String: Value] { inherited.vars }
    public var roleDefaults: [String: Value] { inherited.roleDefaults }

    /// The name Ansible shows for the include: its own, else the keyword.
    var ownName: String? { name.flatMap { $0.isEmpty ? nil : $0 } }

    /// The task banner Ansible prints: an include_tasks in a role as `ROLE : name`, an
    /// unnamed include_role as `include_role : ROLE`, a named one by its name alone.
    public var title: String {
        switch kind {
        case .role: return ownName ?? "include_role : \(target.renderedString)"
        case .tasks: return (enclosingRole.map { $0.name + " : " } ?? "") + (ownName ?? kind.rawValue)
        }
    }

    /// The role whose task file holds the include (not the role an include_role brings).
    var enclosingRole: RoleInfo? { kind == .tasks ? inherited.role : nil }

    /// The include as one entry of `--list-tasks`, as ansible-playbook 2.14 lists it: only a
    /// named include_tasks in a role has the role's prefix.
    public var listingTask: Task {
        var t = Task(name: ownName ?? kind.rawValue, action: TaskAction(module: kind.rawValue, key: kind.rawValue, type: NoModule.self, arguments: [:]),
                     location: location)
        t.tags = tags
        if ownName != nil { t.role = enclosingRole }
        return t
    }

    /// What reading the target gave: the tasks, handlers a role brings, warnings; or errors.
    public struct Loaded: @unchecked Sendable {
        public var nodes: [TaskNode]
        public var handlers: [Task]
        public var warnings: [Diagnostic]
    }

    /// Reads the rendered target now (on the controller), with every load-time check.
    public func load(_ rendered: String) -> Result<Loaded, LoadError> {
        if let preview, previewTarget == rendered {
            return .success(Loaded(nodes: preview, handlers: previewHandlers, warnings: []))
        }
        let reader = PlaybookReader(loader: loader)
        reader.roles.playDirectory = playDirectory
        reader.insideDynamicInclude = true
        var nodes: [TaskNode] = []
        switch kind {
        case .tasks:
            guard let path = reader.taskFile(rendered, from: file, inherited: inherited) else {
                let looked = reader.taskFileCandidates(rendered, from: file, inherited: inherited)
                return .failure(LoadError(Diagnostic("include_tasks: no task file '\(rendered)'; looked in: "
                                                     + looked.joined(separator: ", "), at: location)))
            }
            reader.includeStack = [path]
            if let root = reader.loadYAML(path, at: location) {
                nodes = reader.readTaskList(root, file: path, inherited: inherited, section: rendered, handlers: handlers)
            }
        case .role:
            var ref = roleReference ?? RoleReference(name: rendered, location: location)
            ref.name = rendered
            nodes = reader.expandRole(ref, inherited: inherited, dedupe: false, parentRole: inherited.role?.path).nodes
        }
        if !reader.diagnostics.isEmpty { return .failure(LoadError(reader.diagnostics.diagnostics)) }
        return .success(Loaded(nodes: nodes, handlers: reader.roles.handlers, warnings: reader.sortedWarnings))
    }
}

extension PlaybookReader {
    /// Where a relative task file named in `file` may be: next to it, in the role's `tasks/`,
    /// then the playbook directory (Ansible's search).
    func taskFileCandidates(_ rel: String, from file: String, inherited: Inherited) -> [String] {
        if rel.hasPrefix("/") { return [rel] }
        var out = [Self.resolve(rel, relativeTo: file)]
        if let role = inherited.role { out += [role.path + "/tasks/" + rel, role.path + "/" + rel] }
        out.append(roles.playDirectory + "/" + rel)
        var seen = Set<String>()
        return out.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    /// The first existing candidate, nil when none exists.
    func taskFile(_ rel: String, from file: String, inherited: Inherited) -> String? {
        taskFileCandidates(rel, from: file, inherited: inherited).first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The include as a node run per host; its `apply:` keywords and `vars` go to the tasks.
    func dynamicInclude(_ entries: [(key: String, keyNode: Node, value: Node)], node: Node, file: String,
                        inherited: Inherited, handlers: Bool, target: Value, kind: DynamicInclude.Kind,
                        roleReference: RoleReference? = nil) -> DynamicInclude {
        var inner = inherited
        var conditions: [Value] = []
        var tags: [String] = []
        var listen: [String] = []
        var name: String?
        for e in entries {
            switch e.key {
            case "when": conditions += self.conditions(e.value, file: file).map(\.0)
            case "tags": tags = stringList(e.value, file, e.key)
            case "listen" where handlers: listen = stringList(e.value, file, e.key)
            case "vars": inner.vars.merge(dict(e.value, file, e.key) ?? [:]) { _, new in new }
            case "name": name = value(e.value, file).renderedString
            case "apply":
                guard let map = e.value.mapping else {
                    error("'apply' must be a mapping of task keywords", location(e.value, file))
                    continue
                }
                let applied: [(key: String, keyNode: Node, value: Node)] = map.compactMap { k, v in
                    guard let key = k.scalar?.string else { return nil }
                    if !Inherited.keys.contains(key) {
                        unknownKey(key, k, file: file, allowed: Inherited.keys, what: "apply")
                        return nil
                    }
                    return (key, k, v)
                }
                inner = readInherited(applied, file: file, parent: inner)
            default:
                // Other keywords of a dynamic include apply to the include itself in Ansible,
                // not to its tasks (that is what `apply:` is for).
                break
            }
        }
        let loop = readIncludeLoop(entries, file: file, dynamic: true)
        if let loop {
            inner.vars[loop.loopVar] = inner.vars[loop.loopVar] ?? .null
            if let i = loop.indexVar { inner.vars[i] = inner.vars[i] ?? .null }
        }
        if kind == .tasks { previewCandidates(target, loop: loop, file: file, inherited: inner, handlers: handlers) }
        var inc = DynamicInclude(kind: kind, name: name, target: target, conditions: conditions, tags: Array(Set(tags + inherited.tags)).sorted(),
                                 loop: loop, location: location(node, file), inherited: inner, roleReference: roleReference,
                                 file: file, playDirectory: roles.playDirectory, handlers: handlers, loader: loader)
        inc.listen = listen
        if case .string(let literal) = target, !Templating.containsTemplate(literal) {
            let unconditional = conditions.isEmpty && loop == nil && inherited.when.isEmpty && inherited.templated["when"] == nil
            (inc.preview, inc.previewHandlers) = collectingRoleHandlers {
                previewLiteral(literal, kind: kind, file: file, inherited: inner, handlers: handlers,
                               roleReference: roleReference, at: inc.location, unconditional: unconditional)
            }
            previewedHandlers += inc.previewHandlers
            if inc.preview != nil { inc.previewTarget = literal }
        }
        // What an include read only at run time defines is unknown now.
        if inc.preview == nil, let p = currentPlay { dynamicPlays.insert(p) }
        return inc
    }

    /// The tasks of an include whose target is written literally, read now with every
    /// load-time check, as an import's would be (nil when they are left to the run: the
    /// file is absent now, or includes itself — a recursion a condition ends per host).
    func previewLiteral(_ literal: String, kind: DynamicInclude.Kind, file: String, inherited: Inherited, handlers: Bool,
                        roleReference: RoleReference?, at: SourceLocation, unconditional: Bool) -> [TaskNode]? {
        switch kind {
        case .tasks:
            guard let path = taskFile(literal, from: file, inherited: inherited) else { return nil }
            if includeStack.contains(path) || includeStack.count > 20 {
                // Without a condition nothing can end the recursion: Ansible would never finish.
                if unconditional {
                    error("'\(literal)' includes itself (through \(includeStack.map { ($0 as NSString).lastPathComponent }.joined(separator: " → "))) with no condition to end it",
                          at, hint: "give the include a 'when' that ends the recursion")
                }
                return nil
            }
            guard let root = loadYAML(path, at: at) else { return [] }
            includeStack.append(path)
            let outer = insideDynamicInclude
            insideDynamicInclude = true
            defer { includeStack.removeLast(); insideDynamicInclude = outer }
            return readTaskList(root, file: path, inherited: inherited, section: literal, handlers: handlers)
        case .role:
            var ref = roleReference ?? RoleReference(name: literal, location: at)
            ref.name = literal
            return expandRole(ref, inherited: inherited, dedupe: false, parentRole: inherited.role?.path).nodes
        }
    }

    /// Runs `read` with a fresh list of role handlers and returns the handlers it brought,
    /// leaving the play's own list as it was: an included role's handlers join the play only
    /// when a host includes it (each time, as in Ansible).
    func collectingRoleHandlers<T>(_ read: () -> T) -> (T, [Task]) {
        let saved = (roles.handlers, roles.handlersLoaded)
        roles.handlers = []
        roles.handlersLoaded = []
        let out = read()
        let brought = roles.handlers
        (roles.handlers, roles.handlersLoaded) = saved
        return (out, brought)
    }
}

extension PlaybookReader {
    /// Reads, now, the files a templated `include_tasks` may choose (each `{{ … }}` read as
    /// `*`): what is wrong in them, or a module provision lacks there, becomes a warning —
    /// the file may never be chosen (`setup-RedHat.yml` on Debian hosts), so it cannot be an
    /// error before the run; a host that reaches it gets the error then.
    func previewCandidates(_ target: Value, loop: IncludeLoop?, file: String, inherited: Inherited, handlers: Bool) {
        guard case .string(let rel) = target, Templating.containsTemplate(rel) else { return }
        var patterns: [String] = []
        if let loop, Self.isBareReference(rel, to: loop.loopVar) {
            // `include_tasks: "{{ item }}"`: the files are the loop's (with_first_found's
            // candidates, a literal list), not whatever a bare `*` would match.
            patterns = Self.literalLoopFiles(loop.items).map(Self.wildcarded)
        } else {
            patterns = [Self.wildcarded(rel)]
        }
        // A component that is nothing but a template could be any file: too broad to preview.
        patterns = patterns.filter { p in
            !Templating.containsTemplate(p) && !p.contains("{%") && !p.split(separator: "/").contains("*")
        }
        var seen = Set<String>()
        let matches = patterns.flatMap { taskFileCandidates($0, from: file, inherited: inherited) }.flatMap { Self.glob($0) }
            .filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                    && seen.insert(URL(fileURLWithPath: path).standardizedFileURL.path).inserted && !includeStack.contains(path)
            }
        for path in matches.prefix(20) {
            let sub = PlaybookReader(loader: loader)
            sub.roles.playDirectory = roles.playDirectory
            sub.includeStack = includeStack + [path]
            if let root = sub.loadYAML(path, at: SourceLocation(file: path)) {
                _ = sub.readTaskList(root, file: path, inherited: inherited, section: rel, handlers: handlers)
            }
            for d in sub.diagnostics.diagnostics + sub.warnings.diagnostics {
                warn(d.message, d.location, hint: d.hint ?? "in a file '\(rel)' may choose; a host that includes it fails there")
            }
        }
    }

    /// `{{ name }}` and nothing else.
    static func isBareReference(_ text: String, to name: String) -> Bool {
        text.range(of: #"^\s*\{\{-?\s*"# + NSRegularExpression.escapedPattern(for: name) + #"\s*-?\}\}\s*$"#,
                   options: .regularExpression) != nil
    }

    /// Every `{{ … }}` of a path read as `*`.
    static func wildcarded(_ text: String) -> String {
        text.replacingOccurrences(of: #"\{\{.*?\}\}"#, with: "*", options: .regularExpression)
    }

    /// The file names a loop written literally gives: a list of strings, or first_found's
    /// `files:` (joined with its `paths:`) in either form.
    static func literalLoopFiles(_ items: Value) -> [String] {
        func files(_ v: Value) -> [String] {
            switch v {
            case .string(let s): return [s]
            case .list(let l): return l.flatMap(files)
            case .dict(let d):
                let names = d["files"].map(files) ?? []
                let paths = d["paths"].map(files) ?? []
                return paths.isEmpty ? names : paths.flatMap { p in names.map { p + "/" + $0 } }
            default: return []
            }
        }
        return files(items)
    }
}
