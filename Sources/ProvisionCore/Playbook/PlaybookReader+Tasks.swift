import Foundation
import Yams

/// Task lists: tasks, blocks and included task files.
extension PlaybookReader {
    static let taskKeys: Set<String> = Inherited.keys.union(taskOnlyKeys)
    static let blockKeys: Set<String> = Inherited.keys.union(["block", "rescue", "always"])
    static let includeKeys: Set<String> = Inherited.keys.union(["import_tasks", "include_tasks", "include", "loop", "loop_control", "args", "apply"])

    /// Ansible's task keywords that are written as modules: every spelling means the short one.
    static let keywordModules: Set<String> = [
        "include_tasks", "import_tasks", "include_role", "import_role", "import_playbook", "include",
    ]

    /// `ansible.builtin.include_tasks` and `ansible.legacy.include_tasks` as `include_tasks`.
    static func shortKeyword(_ key: String) -> String {
        var k = key
        for p in ["ansible.builtin.", "ansible.legacy."] where k.hasPrefix(p) { k = String(k.dropFirst(p.count)) }
        return keywordModules.contains(k) ? k : key
    }

    func readTaskList(_ node: Node, file: String, inherited: Inherited, section: String,
                      handlers: Bool = false) -> [TaskNode] {
        if case .null = value(node, file) { return [] }
        guard let seq = node.sequence else {
            error("'\(section)' must be a list of tasks", location(node, file), hint: "start each task with '- name: …'")
            return []
        }
        var out: [TaskNode] = []
        for item in seq {
            out += readTaskNode(item, file: file, inherited: inherited, handlers: handlers)
        }
        return out
    }

    /// One list entry: a task, a block, or an include (which may stand for many tasks).
    func readTaskNode(_ node: Node, file: String, inherited: Inherited, handlers: Bool) -> [TaskNode] {
        guard let map = node.mapping else {
            error("a task must be a mapping (name, a module, its arguments…)", location(node, file))
            return []
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (k, v) in map {
            guard let key = k.scalar?.string else { error("a task key must be a string", location(k, file)); continue }
            entries.append((Self.shortKeyword(key), k, v))
        }
        let keys = Set(entries.map(\.key))
        if keys.contains("block") {
            return readBlock(entries, node: node, file: file, inherited: inherited, handlers: handlers)
        }
        if keys.contains("include_role") || keys.contains("import_role") {
            return readRoleTask(entries, node: node, file: file, inherited: inherited)
        }
        if keys.contains("import_tasks") || keys.contains("include_tasks") || keys.contains("include") {
            return readInclude(entries, node: node, file: file, inherited: inherited, handlers: handlers)
        }
        if keys.contains("rescue") || keys.contains("always") {
            let e = entries.first { $0.key == "rescue" || $0.key == "always" }
            error("'\(e?.key ?? "rescue")' without 'block'", location(e?.keyNode ?? node, file),
                  hint: "put the tasks to protect under 'block:' in the same entry")
        }
        guard var task = readTask(entries, node: node, file: file, handlers: handlers, inherited: inherited) else { return [] }
        inherited.apply(to: &task)
        // After apply: the task's role decides where its file is looked up.
        if task.action.module == IncludeVarsModule.name { readIncludeVarsKeys(task, file: file) }
        return [.task(task)]
    }

    /// The keywords of a block or include, on top of the parent's.
    func readInherited(_ entries: [(key: String, keyNode: Node, value: Node)], file: String,
                       parent: Inherited) -> Inherited {
        var h = parent
        for e in entries {
            let v = e.value
            if Inherited.templatable.contains(e.key), let t = templateOf(v, file) {
                h.templated[e.key] = t
                continue
            }
            // A literal on an inner block beats a template on an outer one.
            if Inherited.templatable.contains(e.key) { h.templated[e.key] = nil }
            switch e.key {
            case "when": h.when += conditions(v, file: file)
            case "become": h.become = bool(v, file, e.key) ?? h.become
            case "become_user": h.becomeUser = string(v, file, e.key) ?? h.becomeUser
            case "become_method": h.becomeMethod = string(v, file, e.key) ?? h.becomeMethod
            case "tags": h.tags = Array(Set(h.tags + stringList(v, file, e.key))).sorted()
            case "vars": h.vars.merge(dict(v, file, e.key) ?? [:]) { _, new in new }
            case "environment":
                h.environment = value(v, file)
                h.environmentLocation = location(v, file)
            case "ignore_errors": h.ignoreErrors = bool(v, file, e.key) ?? h.ignoreErrors
            case "ignore_unreachable": h.ignoreUnreachable = bool(v, file, e.key) ?? h.ignoreUnreachable
            case "no_log": h.noLog = bool(v, file, e.key) ?? h.noLog
            case "check_mode": h.checkMode = bool(v, file, e.key) ?? h.checkMode
            case "delegate_to":
                h.delegateTo = string(v, file, e.key) ?? h.delegateTo
                h.delegateLocation = location(v, file)
            case "run_once": h.runOnce = bool(v, file, e.key) ?? h.runOnce
            case "notify": h.notify = stringList(v, file, e.key)
            case "delegate_facts": h.delegateFacts = bool(v, file, e.key) ?? h.delegateFacts
            case "throttle": h.throttle = int(v, file, e.key) ?? h.throttle
            case "diff": h.diff = bool(v, file, e.key) ?? h.diff
            case "module_defaults": h.moduleDefaults.merge(readModuleDefaults(v, file: file)) { _, new in new }
            case "collections": h.collections = stringList(v, file, e.key) + h.collections
            case "connection":
                if isLocalConnection(v, file: file) {
                    h.delegateTo = "localhost"
                    h.delegateLocation = location(v, file)
                }
            case "become_flags", "debugger", "timeout", "any_errors_fatal", "remote_user", "port":
                readUnsupportedKeyword(e.key, v, file: file)
            default: break
            }
        }
        return h
    }

    func readBlock(_ entries: [(key: String, keyNode: Node, value: Node)], node: Node, file: String,
                   inherited: Inherited, handlers: Bool) -> [TaskNode] {
        for e in entries where !Self.blockKeys.contains(e.key) {
            unknownKey(e.key, e.keyNode, file: file, allowed: Self.blockKeys, what: "block")
        }
        let h = readInherited(entries, file: file, parent: inherited)
        var block = TaskBlock(tasks: [], location: location(node, file))
        for e in entries {
            switch e.key {
            case "name": block.name = value(e.value, file).renderedString
            case "block": block.tasks = readTaskList(e.value, file: file, inherited: h, section: "block", handlers: handlers)
            case "rescue": block.rescue = readTaskList(e.value, file: file, inherited: h, section: "rescue", handlers: handlers)
            case "always": block.always = readTaskList(e.value, file: file, inherited: h, section: "always", handlers: handlers)
            default: break
            }
        }
        return [.block(block)]
    }

    /// `import_tasks: FILE` / `include_tasks: FILE` (or `{file: FILE}`): the file's tasks, read
    /// now with the include's keywords applied, as a block.
    func readInclude(_ entries: [(key: String, keyNode: Node, value: Node)], node: Node, file: String,
                     inherited: Inherited, handlers: Bool) -> [TaskNode] {
        // A handler that is an include may `listen` like any handler.
        for e in entries where !Self.includeKeys.contains(e.key) && LoopKind.forKey(e.key) == nil && !(handlers && e.key == "listen") {
            unknownKey(e.key, e.keyNode, file: file, allowed: Self.includeKeys, what: "import_tasks/include_tasks")
        }
        guard let e = entries.first(where: { ["import_tasks", "include_tasks", "include"].contains($0.key) }) else { return [] }
        var rel: String?
        switch value(e.value, file) {
        case .string(let s): rel = s
        case .dict(let d): rel = d["file"]?.stringValue
        default: break
        }
        guard let rel, !rel.isEmpty else {
            error("'\(e.key)' needs a task file path", location(e.value, file))
            return []
        }
        // include_tasks is dynamic in Ansible: one result of its own per host ("included: …"),
        // its when/tags/keywords the include's, the file read when a host reaches it. The old
        // `include:` is static unless templated, looped or inside a dynamic include (2.14).
        let looped = entries.contains { LoopKind.forKey($0.key) != nil }
        let dynamic = e.key == "include_tasks"
            || (e.key == "include" && (Templating.containsTemplate(rel) || looped || insideDynamicInclude))
        if dynamic {
            // `include_tasks: {file: F, apply: {…}}`: apply is an option of the include.
            var entries = entries
            if let a = e.value.mapping?.first(where: { $0.key.scalar?.string == "apply" }) { entries.append(("apply", a.key, a.value)) }
            return [.include(dynamicInclude(entries, node: node, file: file, inherited: inherited,
                                            handlers: handlers, target: .string(rel), kind: .tasks))]
        }
        if Templating.containsTemplate(rel) {
            error("import_tasks needs a file path known before the run (not templated)", location(e.value, file),
                  hint: "use include_tasks for a file chosen per host")
            return []
        }
        let path = taskFile(rel, from: file, inherited: inherited) ?? Self.resolve(rel, relativeTo: file)
        if includeStack.contains(path) || includeStack.count > 20 {
            error("'\(rel)' includes itself (through \(includeStack.map { ($0 as NSString).lastPathComponent }.joined(separator: " → ")))",
                  location(e.value, file))
            return []
        }
        var h = readInherited(entries, file: file, parent: inherited)
        if let apply = entries.first(where: { $0.key == "apply" }) {
            // Read now, `apply:`'s keywords go to every task of the file like the include's own.
            guard let map = apply.value.mapping else {
                error("'apply' must be a mapping of task keywords", location(apply.value, file))
                return []
            }
            let applied: [(key: String, keyNode: Node, value: Node)] = map.compactMap { k, v in
                guard let key = k.scalar?.string, Inherited.keys.contains(key) else {
                    unknownKey(k.scalar?.string ?? "", k, file: file, allowed: Inherited.keys, what: "apply")
                    return nil
                }
                return (key, k, v)
            }
            h = readInherited(applied, file: file, parent: h)
        }
        // An import cannot loop (an error given by readIncludeLoop).
        _ = readIncludeLoop(entries, file: file, dynamic: false)
        let root: Node?
        do {
            root = try YAMLFile.load(path)
        } catch let err as LoadError {
            for d in err.diagnostics {
                if d.location.line == 0 {
                    error("cannot read task file '\(rel)': \(d.message)", location(e.value, file),
                          hint: "paths are relative to the file that includes them")
                } else { diagnostics.add(d) }
            }
            return []
        } catch {
            self.error("cannot read task file '\(rel)': \(error)", location(e.value, file))
            return []
        }
        guard let root else { return [] }
        includeStack.append(path)
        defer { includeStack.removeLast() }
        let tasks = readTaskList(root, file: path, inherited: h, section: rel, handlers: handlers)
        var name: String?
        if let n = entries.first(where: { $0.key == "name" }) { name = value(n.value, file).renderedString }
        return [.block(TaskBlock(name: name, tasks: tasks, location: location(node, file)))]
    }

    /// `loop`/`with_items`/`loop_control` of an `include_tasks`/`include_role` (an import is
    /// static and cannot loop, as in Ansible).
    func readIncludeLoop(_ entries: [(key: String, keyNode: Node, value: Node)], file: String, dynamic: Bool) -> IncludeLoop? {
        guard let l = entries.first(where: { LoopKind.forKey($0.key) != nil }) else {
            if let c = entries.first(where: { $0.key == "loop_control" }) {
                error("'loop_control' without 'loop'", location(c.keyNode, file))
            }
            return nil
        }
        guard dynamic else {
            error("an import (import_tasks, import_role, a static include) cannot loop", location(l.keyNode, file),
                  hint: "use include_tasks or include_role to run a task file or role per item")
            return nil
        }
        var loop = IncludeLoop(items: value(l.value, file), kind: LoopKind.forKey(l.key) ?? .loop, location: location(l.value, file))
        if let c = entries.first(where: { $0.key == "loop_control" }) {
            var probe = Task(action: TaskAction(module: "", key: "", type: NoModule.self, arguments: [:]), location: loop.location)
            readLoopControl(c.value, file: file, into: &probe)
            loop.loopVar = probe.loopVar
            loop.indexVar = probe.indexVar
        }
        return loop
    }

    func unknownKey(_ key: String, _ node: Node, file: String, allowed: Set<String>, what: String) {
        var hint: String
        if let s = Self.closest(key, in: allowed) { hint = "did you mean '\(s)'?" }
        else { hint = "a \(what) accepts: " + allowed.sorted().joined(separator: ", ") }
        if loader.moduleLookup(key) != nil { hint = "a \(what) cannot run a module itself; put '\(key)' in a task inside it" }
        error("unknown key '\(key)' in a \(what)", location(node, file), hint: hint)
    }

    /// `when:`-like values: a string, a boolean, or a list of them; each with its position.
    func conditions(_ node: Node, file: String) -> [(Value, SourceLocation)] {
        if let seq = node.sequence {
            return seq.map { (value($0, file), location($0, file)) }
        }
        let v = value(node, file)
        if case .null = v { return [] }
        if case .dict = v {
            error("a condition must be an expression, not a mapping", location(node, file),
                  hint: "write it as a string, e.g. when: result.rc == 0")
            return []
        }
        return [(v, location(node, file))]
    }
}
