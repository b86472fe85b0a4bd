import Foundation
import Yams

/// One task: its keywords, its module and the module's arguments.
extension PlaybookReader {
    /// Task keys that are not modules (besides `with_<lookup>` loops).
    static let taskOnlyKeys: Set<String> = [
        "register", "loop", "loop_control", "changed_when", "failed_when",
        "retries", "delay", "until", "args", "listen", "async", "poll", "action", "local_action",
    ]

    func readTask(_ entries: [(key: String, keyNode: Node, value: Node)], node: Node, file: String,
                  handlers: Bool, inherited: Inherited = Inherited()) -> Task? {
        let at = location(node, file)
        var entries = entries
        var delegateLocal = false
        if let i = entries.firstIndex(where: { $0.key == "action" || $0.key == "local_action" }) {
            delegateLocal = entries[i].key == "local_action"
            guard let rewritten = readActionKeyword(entries[i], file: file) else { return nil }
            entries.remove(at: i)
            entries.insert(rewritten, at: i)
        }
        var actions: [(key: String, keyNode: Node, value: Node, type: any Module.Type, unsupported: String?)] = []
        for e in entries where !Self.taskKeys.contains(e.key) && LoopKind.forKey(e.key) == nil {
            if let type = loader.moduleLookup(e.key) {
                actions.append((e.key, e.keyNode, e.value, type, nil))
            } else if let canonical = ansibleModule(e.key, collections: inherited.collections) {
                actions.append((e.key, e.keyNode, e.value, UnsupportedModule.self, canonical))
            } else if e.key.hasPrefix("with_") {
                error("'\(e.key)': no lookup '\(e.key.dropFirst(5))' for loops", location(e.keyNode, file),
                      hint: "with_ loops provision runs: " + LoopKind.allCases.compactMap(\.key).joined(separator: ", "))
            } else {
                var hint: String
                if let s = Self.closest(e.key, in: Self.taskKeys) { hint = "did you mean '\(s)'?" }
                else if let s = ModuleRegistry.suggestion(for: e.key) { hint = "did you mean '\(s)'?" }
                else { hint = "neither a task keyword nor a module of Ansible or its collections" }
                error("unknown key or module '\(e.key)' in a task", location(e.keyNode, file), hint: hint)
            }
        }
        if actions.count > 1 {
            error("a task runs one module, this one names \(actions.count): \(actions.map(\.key).joined(separator: ", "))",
                  location(actions[1].keyNode, file), hint: "split it into one task per module")
        }
        guard let action = actions.first else {
            if !entries.contains(where: { !Self.taskKeys.contains($0.key) && LoopKind.forKey($0.key) == nil }) {
                error("this task has no module to run", at, hint: "add one, e.g. 'command: uptime' or 'copy: {src: a, dest: b}'")
            }
            return nil
        }
        let canonical = action.unsupported ?? action.type.name
        let parsed = action.unsupported == nil
            ? readArguments(action.value, file: file, type: action.type, key: action.key)
            : readUnsupportedArguments(action.value, file: file)
        var args = parsed ?? [:]
        var fieldLocations: [String: SourceLocation] = [:]
        argumentLocations(action.value, file: file, into: &fieldLocations)
        if let argsEntry = entries.first(where: { $0.key == "args" }) {
            if let extra = dict(argsEntry.value, file, "args") { args.merge(extra) { own, _ in own } }
            argumentLocations(argsEntry.value, file: file, into: &fieldLocations)
        }
        var task = Task(action: TaskAction(module: canonical, key: action.key, type: action.type, arguments: args),
                        location: at)
        task.unsupportedModule = action.unsupported
        task.fieldLocations = fieldLocations
        task.fieldLocations["action"] = location(action.keyNode, file)
        if delegateLocal { task.delegateTo = "localhost" }
        if let u = action.unsupported {
            warn("module '\(action.key)'\(u == action.key ? "" : " (\(u))") is not implemented by provision: "
                 + "a host that reaches this task fails there", location(action.keyNode, file),
                 hint: "guard it with 'when:' for the hosts that need it, or use a module provision has")
        }
        for e in entries {
            let v = e.value
            let vat = location(v, file)
            if e.key != action.key { task.fieldLocations[e.key] = vat }
            if Inherited.templatable.contains(e.key), let t = templateOf(v, file) {
                task.templatedKeywords[e.key] = t
                continue
            }
            if let kind = LoopKind.forKey(e.key) {
                if task.loop != nil {
                    error("a task takes one loop; this one has another before '\(e.key)'", location(e.keyNode, file))
                }
                if kind == .randomChoice {
                    error("'with_random_choice' is not supported: provision runs the same on every run", location(e.keyNode, file),
                          hint: "pick the item with '{{ list | random }}' in the task instead")
                }
                task.loop = value(v, file)
                task.loopKind = kind
                task.fieldLocations["loop"] = vat
                continue
            }
            switch e.key {
            case "name": task.name = value(v, file).renderedString
            case "when":
                for (i, c) in conditions(v, file: file).enumerated() {
                    task.when.append(c.0)
                    task.fieldLocations["when.\(i)"] = c.1
                }
            case "register":
                if let r = string(v, file, e.key) {
                    if r.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) == nil {
                        error("'\(r)' is not a valid variable name for register", vat)
                    } else { task.register = r }
                }
            case "loop_control": readLoopControl(v, file: file, into: &task)
            case "notify": task.notify = stringList(v, file, e.key)
            case "listen":
                if !handlers { error("'listen' is only for handlers", location(e.keyNode, file)) }
                task.listen = stringList(v, file, e.key)
            case "changed_when": task.changedWhen = value(v, file)
            case "failed_when": task.failedWhen = value(v, file)
            case "until": task.until = value(v, file)
            case "ignore_errors": task.ignoreErrors = bool(v, file, e.key) ?? false
            case "ignore_unreachable": task.ignoreUnreachable = bool(v, file, e.key) ?? false
            case "become": task.become = bool(v, file, e.key)
            case "become_user": task.becomeUser = string(v, file, e.key)
            case "become_method": task.becomeMethod = string(v, file, e.key)
            case "tags": task.tags = stringList(v, file, e.key)
            case "retries": task.retries = int(v, file, e.key)
            case "delay": task.delay = number(v, file, e.key) ?? 5
            case "run_once": task.runOnce = bool(v, file, e.key) ?? false
            case "delegate_to": task.delegateTo = string(v, file, e.key)
            case "delegate_facts": task.delegateFacts = bool(v, file, e.key) ?? false
            case "async": task.asyncSeconds = int(v, file, e.key)
            case "poll": task.poll = int(v, file, e.key) ?? 15
            case "throttle": task.throttle = int(v, file, e.key)
            case "diff": task.diff = bool(v, file, e.key)
            case "module_defaults":
                if let d = ModuleDefaults.arguments(for: task.action, in: readModuleDefaults(v, file: file)) {
                    task.moduleDefaults = d
                }
            case "collections": _ = stringList(v, file, e.key)
            case "connection":
                if isLocalConnection(v, file: file), task.fieldLocations["delegate_to"] == nil { task.delegateTo = "localhost" }
            case "become_flags", "debugger", "timeout", "any_errors_fatal", "remote_user", "port":
                readUnsupportedKeyword(e.key, v, file: file)
            case "environment":
                let env = value(v, file)
                switch env {
                case .dict, .null: task.environment = env
                case .string(let s) where Templating.containsTemplate(s): task.environment = env
                default: error("'environment' must be a mapping of names to values", vat)
                }
            case "no_log": task.noLog = bool(v, file, e.key) ?? false
            case "check_mode": task.checkMode = bool(v, file, e.key)
            case "vars": task.vars = dict(v, file, e.key) ?? [:]
            default: break
            }
        }
        // `async` on a module that is not one background command: with poll > 0 it runs in the
        // foreground within the time limit; poll: 0 then fails on the host that reaches it.
        if task.asyncSeconds != nil || task.templatedKeywords["async"] != nil,
           !task.action.type.supportsAsync, task.unsupportedModule == nil,
           task.templatedKeywords["poll"] == nil, task.poll == 0 {
            warn("'async' with 'poll: 0' on '\(task.action.key)': provision runs only command-like modules "
                 + "(command, shell, …) in the background; this task will fail on every host that reaches it",
                 task.location(of: "async"), hint: "use poll > 0 (it then waits for the module), or a command module")
        }
        if handlers, (task.name ?? "").isEmpty, task.listen.isEmpty {
            error("a handler needs a 'name' (or 'listen') for 'notify' to find it", at)
        }
        if parsed != nil && task.unsupportedModule == nil { checkArguments(task, file: file) }
        return task
    }

    /// The canonical Ansible name of a module provision does not implement, trying the
    /// `collections:` in force for a short name; nil when no Ansible collection has it.
    func ansibleModule(_ key: String, collections: [String]) -> String? {
        ModuleRegistry.ansibleName(key, collections: collections)
    }

    /// `action: shell echo hi` / `local_action: {module: copy, src: a, dest: b}` as the module's
    /// own entry.
    func readActionKeyword(_ e: (key: String, keyNode: Node, value: Node), file: String)
        -> (key: String, keyNode: Node, value: Node)? {
        switch value(e.value, file) {
        case .string(let s):
            let trimmed = s.trimmingCharacters(in: .whitespaces)
            let parts = trimmed.split(separator: " ", maxSplits: 1)
            guard let first = parts.first else { break }
            let rest = parts.count > 1 ? String(parts[1]) : ""
            return (String(first), e.keyNode, Node.scalar(.init(rest)))
        case .dict(let d):
            guard let module = d["module"]?.stringValue, let map = e.value.mapping else { break }
            var pairs: [(Node, Node)] = []
            for (k, v) in map where k.scalar?.string != "module" { pairs.append((k, v)) }
            _ = module
            return (module, e.keyNode, Node.mapping(.init(pairs)))
        default: break
        }
        error("'\(e.key)' needs a module and its arguments ('\(e.key): shell echo hi' or a mapping with 'module:')",
              location(e.value, file))
        return nil
    }

    /// Arguments of a module provision does not implement: kept as written, unchecked.
    func readUnsupportedArguments(_ node: Node, file: String) -> [String: Value]? {
        switch value(node, file) {
        case .null: return [:]
        case .dict(let d): return [String: Value](d)
        case let v: return ["_raw_params": .string(v.renderedString)]
        }
    }

    func readLoopControl(_ node: Node, file: String, into task: inout Task) {
        guard let map = node.mapping else {
            error("'loop_control' must be a mapping (loop_var, label, index_var)", location(node, file))
            return
        }
        let allowed: Set<String> = ["loop_var", "label", "index_var", "pause", "extended", "extended_allitems"]
        for (k, v) in map {
            let key = k.scalar?.string ?? ""
            switch key {
            case "loop_var": if let s = string(v, file, "loop_var") { task.loopVar = s }
            case "label": task.loopLabel = value(v, file)
            case "index_var": task.indexVar = string(v, file, "index_var")
            case "pause": task.loopPause = number(v, file, "pause") ?? 0
            case "extended": task.loopExtended = bool(v, file, "extended") ?? false
            case "extended_allitems": _ = bool(v, file, "extended_allitems")
            default: unknownKey(key, k, file: file, allowed: allowed, what: "loop_control")
            }
        }
    }
}
