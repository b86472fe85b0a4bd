import Foundation

/// One task across the batch (the linear strategy's step), and handlers.
extension PlayRun {
    /// Runs `task` on `hosts` in parallel (bounded by forks) and waits for all of them.
    /// Returns the hosts that failed (not ignored) or became unreachable.
    func runTask(_ written: Task, hosts: [String], isHandler: Bool = false, forced: Bool = false) -> Set<String> {
        // `forced` (fact gathering) is exempt from --start-at-task, not from tags.
        if !isHandler, !(forced ? executor.selected(tags: written.tags) : executor.selected(written)) { return [] }
        // Unconditional directives (`meta: flush_handlers`) are the executor's, for the batch.
        if written.when.isEmpty, written.templatedKeywords.isEmpty, written.action.type is any RunDirectiveModule.Type,
           !PlaybookReader.hasTemplate(.dict(written.action.arguments)),
           let m = try? ModuleRegistry.make(written.action.type, arguments: written.action.arguments) as? any RunDirectiveModule {
            switch m.directive {
            case .flushHandlers: return flushHandlers(on: hosts)
            case .endPlay: aborted = true; return []
            case .endBatch: ended.formUnion(hosts); return []
            case .clearHostErrors: clearHostErrors(); return []
            case .refreshInventory:
                executor.refreshInventory()
                if executor.runError != nil { aborted = true }
                return []
            default: break
            }
        }
        // Keywords the batch shares (run_once, ignore_unreachable, throttle) rendered with the
        // first host's variables when they are templates.
        let task = batchKeywords(written, hosts: hosts)
        let once = task.runOnce || task.action.type.requirements.contains(.bypassHostLoop)
        let targets = once ? Array(hosts.prefix(1)) : hosts
        guard !targets.isEmpty else { return [] }
        let info = TaskInfo(name: task.displayName(in: self), module: task.action.module, location: task.location,
                            isHandler: isHandler, noLog: task.noLog, hosts: targets)
        executor.emit(.taskStarted(info))
        var runner = TaskRunner(run: executor.runVars, options: executor.options, play: play, playVars: playVariables,
                                borrowTransport: { [pool = executor.pool] host, body in try pool.perform(on: host, body) },
                                redactor: executor.redactor)
        if task.action.type.requirements.contains(.cluster) { runner.peers = peerDirectory(for: task, runner: runner) }
        runner.delegateTransports = delegateTransports(for: task, hosts: targets)
        runner.hostLocals = hostLocals
        runner.connectionTarget = { [pool = executor.pool] in pool.target(for: $0) }
        let states = executor.states
        let emit = executor.emit
        let runVars = executor.runVars
        var steps: [HostStep<TaskOutcome>] = []
        let locallyRun = localHosts(targets)
        // As Ansible reports `meta`: only when skipped (or failed), never as ok.
        let quiet = task.action.type is any RunDirectiveModule.Type
        // throttle: at most that many hosts at once, in inventory order.
        let chunk = max(1, task.throttle.map { $0 > 0 ? $0 : targets.count } ?? targets.count)
        for start in stride(from: 0, to: targets.count, by: chunk) {
            if executor.pool.isInterrupted { break }
            steps += executor.pool.run(on: Array(targets[start..<min(targets.count, start + chunk)]), locally: locallyRun,
                                       { host, transport -> TaskOutcome in
                emit(.hostStarted(host: host))
                guard let state = states[host] else { throw TransportError(.failed, host: host, "no state for host") }
                var o = try runner.run(task, on: state, transport: transport)
                // Inventory changes happen as the task ends on its host, as in Ansible.
                var inventoryChanged = false
                for h in o.effects.addedHosts where runVars.addHost(h) { inventoryChanged = true }
                for g in o.effects.joinedGroups where runVars.join(host, group: g.group, parents: g.parents) { inventoryChanged = true }
                if inventoryChanged && o.result.status == .ok { o.result.status = .changed }
                return o
            }, onFinish: { step in
                let r = Self.result(of: step, noLog: task.noLog)
                if !(quiet && r.status == .ok) { emit(.hostFinished(info, r)) }
            })
        }
        var results: [TaskHostResult] = []
        var outcomes: [String: TaskOutcome] = [:]
        for step in steps {
            if case .done(let o) = step.outcome { outcomes[step.host] = o }
            let r = Self.result(of: step, noLog: task.noLog)
            if case .interrupted = step.outcome { continue }
            if quiet && r.status == .ok { continue }
            results.append(r)
        }
        // run_once: the one result stands for every host of the batch.
        if task.runOnce, !task.action.type.requirements.contains(.bypassHostLoop), let first = targets.first, let o = outcomes[first] {
            for h in hosts.dropFirst() {
                guard let state = states[h] else { continue }
                runner.apply(o, task: task, to: state)
                outcomes[h] = o
            }
        }
        executor.emit(.taskFinished(info, results))
        if let fatal = outcomes.values.first(where: \.endsRun) {
            executor.runError = executor.runError ?? fatal.result.message
            aborted = true
        }
        var failedNow = Set<String>()
        for r in results {
            guard let state = states[r.host] else { continue }
            // As Ansible counts it: a failure inside a block with a rescue section is "rescued"
            // (the rescue's own failures count as failed).
            if protectedDepth > 0 && r.status == .failed && !r.ignored { state.countRescued() } else { state.count(r) }
            if r.status == .failed && !r.ignored {
                failedNow.insert(r.host)
                // What a rescue section reads, as Ansible sets it when the host enters one.
                if protectedDepth > 0 { state.setRuntime(Self.failureVariables(task, result: r, outcome: outcomes[r.host])) }
            }
            if r.status == .unreachable && !task.ignoreUnreachable { failedNow.insert(r.host) }
        }
        for (h, o) in outcomes where o.changed && !task.notify.isEmpty {
            states[h]?.notify(handlerTokens(task.notify))
        }
        if task.runOnce, let first = targets.first, failedNow.contains(first) {
            failedNow.formUnion(hosts)
        }
        // Directives of tasks that ran per host (`meta` with a `when`): carried out where they ran.
        let directives = Set(outcomes.values.compactMap(\.effects.directive))
        for (h, o) in outcomes where o.effects.directive == .endHost { ended.insert(h) }
        if directives.contains(.endBatch) { ended.formUnion(hosts) }
        if directives.contains(.endPlay) { aborted = true }
        if directives.contains(.clearHostErrors) { clearHostErrors() }
        if directives.contains(.refreshInventory) {
            executor.refreshInventory()
            if executor.runError != nil { aborted = true }
        }
        if directives.contains(.flushHandlers) { failedNow.formUnion(flushHandlers(on: hosts.filter { !failedNow.contains($0) })) }
        failedSinceClear.formUnion(failedNow)
        if protectedDepth == 0 && !failedNow.isEmpty {
            failedInBatch.formUnion(failedNow)
            if play.anyErrorsFatal {
                aborted = true
                endsPlaybook = true
                failedNow.formUnion(hosts)
            } else if let max = play.maxFailPercentage {
                let out = failedInBatch.intersection(batch).count
                if Double(out) / Double(batch.count) * 100 > max { aborted = true; endsPlaybook = true }
            }
        }
        return failedNow
    }

    /// The play's `connection: local` for these hosts: the controller runs their tasks, except
    /// for hosts whose inventory sets `ansible_connection` (a variable beats the keyword, as
    /// in Ansible).
    func localHosts(_ hosts: [String]) -> Set<String> {
        guard play.connectionLocal else { return [] }
        return Set(hosts.filter { h in
            guard let c = executor.states[h]?.inventoryVars["ansible_connection"]?.stringValue else { return true }
            return c == "local" || c == "ansible.builtin.local"
        })
    }

    /// `task` with the keywords the whole batch shares rendered for its first host.
    func batchKeywords(_ task: Task, hosts: [String]) -> Task {
        let shared: Set<String> = ["run_once", "ignore_unreachable", "throttle", "no_log"]
        guard !shared.isDisjoint(with: task.templatedKeywords.keys), let first = hosts.first,
              let state = executor.states[first] else { return task }
        let scope = HostScope(run: executor.runVars, host: state, play: playVariables, taskVars: task.vars,
                              locals: hostLocals[first] ?? [:], roleDefaults: task.roleDefaults)
        var probe = task
        probe.templatedKeywords = task.templatedKeywords.filter { shared.contains($0.key) }
        guard let resolved = try? probe.resolvingKeywords(in: scope, play: play) else { return task }
        var out = task
        for k in shared { out.templatedKeywords[k] = nil }
        out.runOnce = resolved.runOnce
        out.ignoreUnreachable = resolved.ignoreUnreachable
        out.throttle = resolved.throttle
        out.noLog = resolved.noLog
        return out
    }

    /// The handlers a `notify` reaches, bound when the task ends as Ansible binds them: by
    /// name the last handler so named in the play so far (a role included twice brings its
    /// handlers twice; each notify reaches the newest copy), by `listen` every listener.
    /// A name nothing answers to yet is kept as written.
    func handlerTokens(_ names: [String]) -> [String] {
        func byName(_ h: Task, _ n: String) -> Bool {
            guard let name = h.name else { return false }
            return name == n || h.role.map { "\($0.name) : \(name)" == n } == true
        }
        var out: [String] = []
        for n in names {
            var found = false
            if let i = handlers.lastIndex(where: { byName($0, n) }) { out.append("#\(i)"); found = true }
            for (i, h) in handlers.enumerated() where h.listen.contains(n) && !byName(h, n) {
                out.append("#\(i)")
                found = true
            }
            if !found { out.append(n) }
        }
        return out
    }

    /// `ansible_failed_task` (the task as Ansible serialises it: name, action, args, …) and
    /// `ansible_failed_result` (what `register` would hold) for a host entering a rescue.
    static func failureVariables(_ task: Task, result r: TaskHostResult, outcome: TaskOutcome?) -> [String: Value] {
        var failedResult: Value
        if let reg = outcome?.registered, case .dict = reg {
            failedResult = reg
        } else {
            failedResult = .dict(["failed": .bool(true), "changed": .bool(false), "msg": .string(r.message ?? "")])
        }
        if task.noLog { failedResult = .dict(["censored": .string(TaskHostResult.hidden), "failed": .bool(true)]) }
        var t: [String: Value] = [
            "name": .string(task.name ?? ""), "action": .string(task.action.module),
            "args": task.noLog ? .dict([:]) : .dict(task.action.arguments),
            "tags": .list(task.tags.map(Value.string)), "when": .list(task.when),
            "ignore_errors": .bool(task.ignoreErrors), "no_log": .bool(task.noLog),
        ]
        if let reg = task.register { t["register"] = .string(reg) }
        if let d = task.delegateTo { t["delegate_to"] = .string(d) }
        return ["ansible_failed_task": .dict(t), "ansible_failed_result": failedResult]
    }

    static func result(of step: HostStep<TaskOutcome>, noLog: Bool) -> TaskHostResult {
        switch step.outcome {
        case .done(let o): return o.result
        case .unreachable(let e), .skipped(let e):
            return TaskHostResult(host: step.host, status: .unreachable, message: e.message, duration: step.duration)
        case .failed(let e):
            let message = noLog ? TaskHostResult.hidden : ((e as? TransportError)?.message ?? "\(e)")
            return TaskHostResult(host: step.host, status: .failed, message: message, duration: step.duration)
        case .interrupted:
            return TaskHostResult(host: step.host, status: .failed, message: "interrupted", duration: step.duration)
        }
    }

    /// Runs notified handlers in definition order on the hosts (still active) that notified
    /// them, then forgets those notifications. A handler notifying a later one is picked up in
    /// the same flush; one notifying an earlier one, in a second pass.
    /// `hosts`: the hosts still running at this point (nil: the play's active hosts). Returns
    /// the hosts whose handlers failed.
    @discardableResult
    func flushHandlers(on hosts: [String]? = nil) -> Set<String> {
        var failedHere = Set<String>()
        for _ in 0..<3 {
            var ranAny = false
            for (index, handler) in handlers.enumerated() {
                if aborted || executor.pool.isInterrupted || (hosts ?? active).isEmpty { return failedHere }
                // Notified as this very handler (`#index`), or by a name no handler had when
                // the task notified it.
                let names = Set(["#\(index)"] + [handler.name].compactMap { $0 } + handler.listen)
                let candidates = (hosts ?? active).filter { !ended.contains($0) && !failedHere.contains($0) }
                let targets = candidates.filter { h in
                    guard let s = executor.states[h] else { return false }
                    return !Set(s.notified).isDisjoint(with: names)
                }
                guard !targets.isEmpty else { continue }
                for h in targets { executor.states[h]?.clearNotified(names) }
                ranAny = true
                if let inc = handler.handlerInclude {
                    failedHere.formUnion(runInclude(inc, hosts: targets))
                } else {
                    failedHere.formUnion(runTask(handler, hosts: targets, isHandler: true))
                }
            }
            if !ranAny { return failedHere }
        }
        return failedHere
    }
}

extension Task {
    /// The name shown for this task, rendered with play variables when it holds a template
    /// (left as written when it cannot be rendered yet, e.g. it reads a loop item).
    func displayName(in run: PlayRun) -> String {
        let raw = displayName
        guard Templating.containsTemplate(raw), let first = run.active.first,
              let state = run.executor.states[first] else { return raw }
        let scope = HostScope(run: run.executor.runVars, host: state, play: run.playVariables, taskVars: vars,
                              roleDefaults: roleDefaults)
        return (try? Templating.renderString(raw, in: scope)) ?? raw
    }
}
