import Foundation
import Yams

/// One task: its keywords, its module and the module's arguments.
extension PlaybookReader {
    func readTask(_ entries: [(key: String, keyNode: Node, value: Node)], node: Node, file: String,
                  handlers: Bool) -> Task? {
        let at = location(node, file)
        var actions: [(key: String, keyNode: Node, value: Node, type: any Module.Type)] = []
        for e in entries where !Self.taskKeys.contains(e.key) {
            if let type = loader.moduleLookup(e.key) ?? Self.loaderModules[e.key] {
                actions.append((e.key, e.keyNode, e.value, type))
            } else {
                var hint: String
                if let s = Self.closest(e.key, in: Self.taskKeys) { hint = "did you mean '\(s)'?" }
                else if e.key.contains(".") && !e.key.hasPrefix("ansible.") {
                    hint = "only built-in modules are available (ansible.builtin.*)"
                } else {
                    hint = "neither a task keyword nor a known module"
                }
                error("unknown key or module '\(e.key)' in a task", location(e.keyNode, file), hint: hint)
            }
        }
        if actions.count > 1 {
            error("a task runs one module, this one names \(actions.count): \(actions.map(\.key).joined(separator: ", "))",
                  location(actions[1].keyNode, file), hint: "split it into one task per module")
        }
        guard let action = actions.first else {
            if !entries.contains(where: { !Self.taskKeys.contains($0.key) }) {
                error("this task has no module to run", at, hint: "add one, e.g. 'command: uptime' or 'copy: {src: a, dest: b}'")
            }
            return nil
        }
        let canonical = action.type.name
        let parsed = readArguments(action.value, file: file, type: action.type, key: action.key)
        var args = parsed ?? [:]
        var fieldLocations: [String: SourceLocation] = [:]
        argumentLocations(action.value, file: file, into: &fieldLocations)
        if let argsEntry = entries.first(where: { $0.key == "args" }) {
            if let extra = dict(argsEntry.value, file, "args") { args.merge(extra) { own, _ in own } }
            argumentLocations(argsEntry.value, file: file, into: &fieldLocations)
        }
        var task = Task(action: TaskAction(module: canonical, key: action.key, type: action.type, arguments: args),
                        location: at)
        task.fieldLocations = fieldLocations
        task.fieldLocations["action"] = location(action.keyNode, file)
        for e in entries {
            let v = e.value
            let vat = location(v, file)
            if e.key != action.key { task.fieldLocations[e.key] = vat }
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
            case "loop": task.loop = value(v, file)
            case "with_items":
                task.loop = value(v, file)
                task.loopFlatten = true
                task.fieldLocations["loop"] = vat
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
            case "tags": task.tags = stringList(v, file, e.key)
            case "retries": task.retries = int(v, file, e.key)
            case "delay": task.delay = number(v, file, e.key) ?? 5
            case "run_once": task.runOnce = bool(v, file, e.key) ?? false
            case "delegate_to": task.delegateTo = string(v, file, e.key)
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
        if !handlers, task.name == nil, task.listen.isEmpty {} // unnamed tasks are fine outside handlers
        if handlers, (task.name ?? "").isEmpty, task.listen.isEmpty {
            error("a handler needs a 'name' (or 'listen') for 'notify' to find it", at)
        }
        if parsed != nil { checkArguments(task, file: file) }
        return task
    }

    func readLoopControl(_ node: Node, file: String, into task: inout Task) {
        guard let map = node.mapping else {
            error("'loop_control' must be a mapping (loop_var, label, index_var)", location(node, file))
            return
        }
        let allowed: Set<String> = ["loop_var", "label", "index_var", "pause", "extended"]
        for (k, v) in map {
            let key = k.scalar?.string ?? ""
            switch key {
            case "loop_var": if let s = string(v, file, "loop_var") { task.loopVar = s }
            case "label": task.loopLabel = value(v, file)
            case "index_var": task.indexVar = string(v, file, "index_var")
            case "pause", "extended": break
            default: unknownKey(key, k, file: file, allowed: allowed, what: "loop_control")
            }
        }
    }
}
