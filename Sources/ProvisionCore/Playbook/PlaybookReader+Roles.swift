import Foundation
import Yams

/// `roles:` of a play, meta `dependencies:` and task-level `import_role`/`include_role`: each
/// role is expanded here, at load time, into a block of its tasks (dependencies first) with
/// its variables folded in, so the executor runs it like any other task list.
extension PlaybookReader {
    /// Keys of a role reference that are keywords, not role parameters.
    static let roleReferenceKeywords: Set<String> = Inherited.keys.subtracting(["name"])
    static let roleTaskKeys: Set<String> = Inherited.keys.union([
        "import_role", "include_role", "loop", "loop_control", "apply",
    ])
    static let roleTaskOptions: Set<String> = [
        "name", "tasks_from", "vars_from", "defaults_from", "handlers_from", "allow_duplicates", "public", "apply",
        "rolespec_validate",
    ]

    func readPlayRoles(_ node: Node, file: String, inherited: Inherited) -> [TaskNode] {
        if case .null = value(node, file) { return [] }
        guard let seq = node.sequence else {
            error("'roles' must be a list of role names or mappings with 'role:'", location(node, file),
                  hint: "e.g. roles: [common, {role: web, http_port: 8080}]")
            return []
        }
        var out: [TaskNode] = []
        for item in seq {
            guard let ref = readRoleReference(item, file: file) else { continue }
            roles.sectionRoleNames.append(RoleState.displayName(ref.name))
            out += expandRecordingDependencies(ref, inherited: inherited, dedupe: true)
        }
        return out
    }

    /// A `roles:`/`dependencies:` entry: a name, or a mapping with `role:` (or `name:`), keywords
    /// and role parameters.
    func readRoleReference(_ node: Node, file: String) -> RoleReference? {
        if let s = node.scalar?.string {
            guard !s.isEmpty, !Templating.containsTemplate(s) else {
                error("a role name must be given directly (not empty, not templated)", location(node, file))
                return nil
            }
            return RoleReference(name: s, location: location(node, file))
        }
        guard let map = node.mapping else {
            error("a role must be a name or a mapping with 'role:'", location(node, file))
            return nil
        }
        var ref = RoleReference(name: "", location: location(node, file))
        for (k, v) in map {
            guard let key = k.scalar?.string else { error("a role key must be a string", location(k, file)); continue }
            switch key {
            case "role", "name":
                if let s = string(v, file, key), !s.isEmpty, !Templating.containsTemplate(s) {
                    ref.name = s
                    ref.location = location(v, file)
                } else {
                    error("'\(key)' must name a role directly (not templated)", location(v, file))
                    return nil
                }
            case "vars": ref.params.merge(dict(v, file, key) ?? [:]) { _, new in new }
            case _ where Self.roleReferenceKeywords.contains(key): ref.keywords.append((key, k, v))
            case "allow_duplicates", "public": break
            default:
                if key.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) == nil {
                    error("'\(key)' is not a valid role parameter name", location(k, file))
                } else {
                    ref.params[key] = value(v, file)
                }
            }
        }
        guard !ref.name.isEmpty else {
            error("this role entry names no role", ref.location, hint: "add 'role: NAME'")
            return nil
        }
        return ref
    }

    /// Expands one role: its dependencies (each once per play), then a block of its tasks;
    /// its handlers join the play's. `dedupe`: skip the role's tasks when it already ran in
    /// this play with the same parameters (play roles and dependencies, not include_role).
    func expandRole(_ ref: RoleReference, inherited: Inherited, dedupe: Bool,
                    parentRole: String?) -> (nodes: [TaskNode], exports: RoleExports) {
        guard let path = locateRole(ref, parentRole: parentRole) else { return ([], RoleExports()) }
        if roles.stack.contains(path) || roles.stack.count > 20 {
            error("role '\(ref.name)' depends on itself (through \(roles.stack.map { ($0 as NSString).lastPathComponent }.joined(separator: " → ")))",
                  ref.location, hint: "remove the cycle from the roles' meta/main.yml dependencies")
            return ([], RoleExports())
        }
        roles.stack.append(path)
        defer { roles.stack.removeLast() }
        let meta = readRoleMeta(path)
        // The reference's keywords (when, tags, become, …) apply to the role's dependencies too.
        var base = readInherited(ref.keywords, file: ref.location.file, parent: inherited)
        base.vars = inherited.vars
        var nodes: [TaskNode] = []
        var exports = RoleExports()
        for dep in meta.dependencies {
            if roles.recordingDependencies { roles.dependencyRoleNames.append(RoleState.displayName(dep.name)) }
            let (depNodes, depExports) = expandRole(dep, inherited: base, dedupe: true, parentRole: path)
            nodes += depNodes
            exports.defaults.merge(depExports.defaults) { _, new in new }
            exports.vars.merge(depExports.vars) { _, new in new }
        }
        let defaults = readRoleVars(path, dir: "defaults", name: ref.defaultsFrom, at: ref.location)
        let vars = readRoleVars(path, dir: "vars", name: ref.varsFrom, at: ref.location)
        exports.defaults.merge(defaults) { _, new in new }
        exports.vars.merge(vars) { _, new in new }

        let info = RoleInfo(name: ref.name, path: path)
        var h = base
        h.role = info
        h.collections = meta.collections + base.collections
        h.roleDefaults = inherited.roleDefaults.merging(exports.defaults) { _, new in new }
        h.vars = inherited.vars.merging(exports.vars) { _, new in new }
            .merging(ref.params) { _, new in new }
        h.vars["role_name"] = .string(RoleState.displayName(ref.name))
        h.vars["role_path"] = .string(path)

        if !roles.handlersLoaded.contains(path) {
            roles.handlersLoaded.insert(path)
            roles.handlers += readRoleHandlers(path, name: ref.handlersFrom, inherited: h, at: ref.location)
        }
        let key = path + "|" + ref.tasksFrom + "|" + Value.dict(ref.params).jsonString
        if dedupe && !meta.allowDuplicates && roles.seen.contains(key) { return (nodes, exports) }
        roles.seen.insert(key)
        var tasks = readRoleTasks(path, name: ref.tasksFrom, inherited: h, at: ref.location)
        if let check = argumentValidationTask(path, ref: ref, inherited: h) { tasks.insert(.task(check), at: 0) }
        nodes.append(.block(TaskBlock(name: "role \(ref.name)", tasks: tasks, location: ref.location)))
        return (nodes, exports)
    }

    /// Expands a role that becomes one of the play's roles (`roles:` or `import_role`), noting
    /// the names of its dependencies for `ansible_dependent_role_names`.
    func expandRecordingDependencies(_ ref: RoleReference, inherited: Inherited, dedupe: Bool) -> [TaskNode] {
        let saved = roles.recordingDependencies
        roles.recordingDependencies = true
        defer { roles.recordingDependencies = saved }
        return expandRole(ref, inherited: inherited, dedupe: dedupe, parentRole: inherited.role?.path).nodes
    }

    /// `import_role:`/`include_role:` as a task: the role's tasks (or `tasks_from`) in place.
    /// Both are read at load time; `include_role` may loop like `include_tasks`.
    func readRoleTask(_ entries: [(key: String, keyNode: Node, value: Node)], node: Node, file: String,
                      inherited: Inherited) -> [TaskNode] {
        for e in entries where !Self.roleTaskKeys.contains(e.key) && LoopKind.forKey(e.key) == nil {
            unknownKey(e.key, e.keyNode, file: file, allowed: Self.roleTaskKeys, what: "import_role/include_role")
        }
        guard let e = entries.first(where: { $0.key.hasSuffix("import_role") || $0.key.hasSuffix("include_role") }),
              let map = e.value.mapping ?? Self.keyValueMapping(e.value) else {
            let at = entries.first { $0.key.hasSuffix("_role") }.map { location($0.value, file) } ?? location(node, file)
            error("import_role/include_role needs a mapping with 'name: ROLE'", at, hint: "e.g. include_role: {name: web, tasks_from: install}")
            return []
        }
        var ref = RoleReference(name: "", location: location(e.value, file))
        var allowDuplicates = true
        var templatedName: String?
        let dynamic = e.key == "include_role"
        for (k, v) in map {
            let key = k.scalar?.string ?? ""
            switch key {
            case "name":
                if let s = string(v, file, key), !s.isEmpty, !Templating.containsTemplate(s) {
                    ref.name = s
                    ref.location = location(v, file)
                } else if dynamic, let s = string(v, file, key), !s.isEmpty {
                    templatedName = s
                    ref.location = location(v, file)
                } else { error("import_role: 'name' must name a role directly (not templated)", location(v, file),
                               hint: "use include_role for a role chosen per host") }
            case "tasks_from", "vars_from", "defaults_from", "handlers_from":
                guard let s = string(v, file, key), !s.isEmpty, !Templating.containsTemplate(s) else {
                    error("'\(key)' must name a file of the role directly (not templated)", location(v, file))
                    continue
                }
                switch key {
                case "tasks_from": ref.tasksFrom = s
                case "vars_from": ref.varsFrom = s
                case "defaults_from": ref.defaultsFrom = s
                default: ref.handlersFrom = s
                }
            case "allow_duplicates": allowDuplicates = bool(v, file, key) ?? true
            case "public":
                // Not silently: later tasks would not see what Ansible shows them.
                if bool(v, file, key) == true {
                    warn("'public: true' is not supported: the role's vars and defaults stay visible to its own tasks only",
                         location(v, file), hint: "set the variables the play needs with set_fact or include_vars")
                }
            case "rolespec_validate": ref.validateSpec = bool(v, file, key) ?? true
            case "apply":
                if !dynamic { error("'apply' is for include_role, not import_role", location(k, file)) }
            default: unknownKey(key, k, file: file, allowed: Self.roleTaskOptions, what: e.key)
            }
        }
        // include_role is dynamic in Ansible (its own result, its keywords its own); a
        // literal name is still read now, for the checks.
        if dynamic, let target = templatedName ?? (ref.name.isEmpty ? nil : ref.name) {
            if let v = entries.first(where: { $0.key == "vars" }) { ref.params = dict(v.value, file, "vars") ?? [:] }
            var withApply = entries
            if let a = map.first(where: { $0.key.scalar?.string == "apply" }) { withApply.append(("apply", a.key, a.value)) }
            return [.include(dynamicInclude(withApply.filter { $0.key != "vars" }, node: node, file: file, inherited: inherited,
                                            handlers: false, target: .string(target), kind: .role, roleReference: ref))]
        }
        guard !ref.name.isEmpty else {
            error("'\(e.key)' needs 'name: ROLE'", location(e.value, file))
            return []
        }
        // The task's `vars:` are the role's parameters; its other keywords apply to each task.
        if let v = entries.first(where: { $0.key == "vars" }) { ref.params = dict(v.value, file, "vars") ?? [:] }
        ref.keywords = entries.filter { Inherited.keys.contains($0.key) && $0.key != "vars" && $0.key != "name" }
        // An import cannot loop (an error given by readIncludeLoop).
        _ = readIncludeLoop(entries, file: file, dynamic: false)
        roles.importedRoleNames.append(RoleState.displayName(ref.name))
        let nodes = expandRecordingDependencies(ref, inherited: inherited, dedupe: !allowDuplicates)
        var name: String?
        if let n = entries.first(where: { $0.key == "name" }) { name = value(n.value, file).renderedString }
        return [.block(TaskBlock(name: name, tasks: nodes, location: location(node, file)))]
    }

    /// `include_role: name=web tasks_from=install` (Ansible's `k=v` form) as a mapping node,
    /// each value at the position of the whole line.
    static func keyValueMapping(_ node: Node) -> Node.Mapping? {
        guard let text = node.scalar?.string, case .success(let pairs) = keyValueArguments(text), !pairs.isEmpty else { return nil }
        let mark = node.mark
        return Node.Mapping(pairs.sorted { $0.key < $1.key }.map { k, v in
            (Node.scalar(Node.Scalar(k, .implicit, .any, mark)), Node.scalar(Node.Scalar(v.renderedString, .implicit, .any, mark)))
        })
    }

    static func directory(of file: String) -> String {
        let dir = (file as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }
}
