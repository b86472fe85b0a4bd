import Foundation

/// Load-time template checks: syntax, and variables that no source can define.
extension PlaybookReader {
    /// Variables every task can read without anyone defining them.
    public static let magicVariables: Set<String> = [
        "inventory_hostname", "inventory_hostname_short", "groups", "group_names", "hostvars",
        "play_hosts", "ansible_play_hosts", "ansible_play_hosts_all", "ansible_play_batch",
        "ansible_play_name", "playbook_dir", "inventory_dir", "inventory_file", "ansible_check_mode",
        "ansible_diff_mode", "ansible_verbosity", "omit", "ansible_facts", "ansible_loop_var",
        "ansible_version", "ansible_run_tags", "ansible_skip_tags", "vars", "role_name", "role_path",
        "ansible_failed_task", "ansible_failed_result", "ansible_play_role_names", "role_names",
        "ansible_role_names", "ansible_dependent_role_names",
    ]

    func checkVariables(_ playbook: Playbook) {
        var global = loader.knownVariables.union(Self.magicVariables).union(includedVariables)
        for play in playbook.plays {
            for task in Self.tasks(of: play) {
                if let r = task.register { global.insert(r) }
                if task.action.type.requirements.contains(.argumentKeysAreVariables) {
                    for k in task.action.arguments.keys where !Templating.containsTemplate(k) { global.insert(k) }
                }
            }
        }
        for play in playbook.plays {
            let playDefined = global.union(play.vars.keys).union(play.varsFilesVars.keys)
            // Templated vars_files define what is known only per host at run time.
            let unchecked = uncheckedPlays.contains(play.location.description) || dynamicPlays.contains(play.location.description)
                || !play.varsFilesEntries.isEmpty
            for task in Self.tasks(of: play) { check(task, defined: playDefined, undefinedToo: !unchecked) }
            checkNotify(play)
        }
    }

    /// Every `notify` must name a handler of the play (by name or `listen` topic).
    func checkNotify(_ play: Play) {
        var topics = Set<String>()
        for h in play.handlers + previewedHandlers {
            if let n = h.name { topics.insert(n) }
            topics.formUnion(h.listen)
        }
        for task in Self.tasks(of: play) {
            for n in task.notify where !topics.contains(n) && !Templating.containsTemplate(n) {
                var hint = "handlers of this play: " + (topics.isEmpty ? "none" : topics.sorted().joined(separator: ", "))
                if let s = Self.closest(n, in: topics) { hint = "did you mean '\(s)'?" }
                // A role included per host may bring the handler.
                if dynamicPlays.contains(play.location.description) {
                    warn("notify: no handler named '\(n)' (nor listening to it) in this play yet", task.location(of: "notify"), hint: hint)
                    continue
                }
                error("notify: no handler named '\(n)' (nor listening to it) in this play", task.location(of: "notify"),
                      hint: hint)
            }
        }
    }

    static func tasks(of play: Play) -> [Task] {
        (play.preTasks + play.roles + play.tasks + play.postTasks).flatMap(\.allTasks)
            + play.handlers.flatMap { h in h.handlerInclude.map { TaskNode.include($0).allTasks } ?? [h] }
    }

    /// `undefinedToo`: false checks template syntax only (the play includes variables from a
    /// file the loader could not read in advance).
    func check(_ task: Task, defined outer: Set<String>, undefinedToo: Bool = true) {
        var defined = outer.union(task.vars.keys).union(task.roleDefaults.keys).union(Self.guardedNames(task.when))
        if task.loop != nil {
            defined.insert(task.loopVar)
            defined.insert("ansible_loop")
            if let i = task.indexVar { defined.insert(i) }
        }
        func templates(_ v: Value, _ field: String) {
            report(v, at: task.location(of: field), defined: defined, condition: false, undefinedToo: undefinedToo)
        }
        func conditions(_ v: Value, _ field: String) {
            report(v, at: task.location(of: field), defined: defined, condition: true, undefinedToo: undefinedToo)
        }
        for (k, v) in task.action.arguments {
            let field = task.fieldLocations["args.\(k)"] != nil ? "args.\(k)" : task.fieldLocations["args"] != nil ? "args" : "action"
            if task.unrenderedArguments.contains(k) { conditions(v, field) } else { templates(.string(k), field); templates(v, field) }
        }
        for (i, w) in task.when.enumerated() { conditions(w, "when.\(i)") }
        if let l = task.loop { templates(l, "loop") }
        if let l = task.loopLabel { templates(l, "loop_control") }
        if let c = task.changedWhen { conditions(c, "changed_when") }
        if let c = task.failedWhen { conditions(c, "failed_when") }
        if let c = task.until { conditions(c, "until") }
        if let e = task.environment { templates(e, "environment") }
        if let d = task.delegateTo { templates(.string(d), "delegate_to") }
        for (k, v) in task.vars { templates(v, "vars"); _ = k }
    }

    /// Names a task's conditions test with `NAME is defined`: the task runs only where they
    /// are, so using them is no reason to warn.
    static func guardedNames(_ when: [Value]) -> Set<String> {
        var names = Set<String>()
        for case .string(let w) in when where w.contains(" is ") {
            var rest = w[...]
            while let r = rest.range(of: #"[A-Za-z_][A-Za-z0-9_]*\s+is\s+(defined|not\s+undefined)\b"#, options: .regularExpression) {
                names.insert(String(rest[r].prefix { $0.isLetter || $0.isNumber || $0 == "_" }))
                rest = rest[r.upperBound...]
            }
        }
        return names
    }

    func report(_ v: Value, at: SourceLocation, defined: Set<String>, condition: Bool, undefinedToo: Bool = true) {
        let names: Set<String>
        do {
            names = condition ? try Templating.conditionVariables(v, requiredOnly: true)
                : try Templating.referencedVariables(in: v, requiredOnly: true)
        } catch let e as TemplateError where e.kind == .unknownName {
            // Ansible compiles a template only when it renders it: a filter it lacks fails the
            // task on the host that reaches it, not the playbook (a branch for other systems).
            warn("template: \(e.message) in '\(e.source)': a task that renders it fails on that host", at,
                 hint: "provision does not have this filter or test; see README 'Templates'")
            return
        } catch let e as TemplateError {
            error("template error: \(e.message) in '\(e.source)'", at,
                  hint: "check the Jinja syntax: {{ expression }}, filters after '|', strings quoted")
            return
        } catch {
            self.error("template error: \(error)", at)
            return
        }
        guard undefinedToo else { return }
        // Only a warning: Ansible decides on the host, when the value is used (a branch not
        // taken, a variable an include or the inventory sets on some hosts only).
        for name in names.sorted() where !defined.contains(name) && !name.hasPrefix("ansible_") {
            warn("'\(name)' is not visibly defined: not in the inventory, play vars, vars_files, extra vars, "
                 + "a register or set_fact, include_vars, a role's defaults or vars, a loop variable or facts; "
                 + "a task that uses it undefined fails on that host", at,
                 hint: "define it (play 'vars:', inventory, -e \(name)=…) or guard it with '| default(…)'")
        }
    }
}
