import Foundation

/// Dynamic `include_tasks`/`include_role`: decided per host when reached, as Ansible does.
extension PlayRun {
    /// One host's part of an include: the file or role it rendered, and the loop item it runs with.
    static let maxIncludeDepth = 64

    struct IncludeEntry {
        var target: String
        var locals: [String: Value]
    }

    /// Renders the include on each host (its `when`, its loop, its target), reports it as a
    /// task (ok, skipped or failed per host, as Ansible's "included: … for host"), then runs
    /// each file or role on the hosts that chose it — hosts that chose the same one together,
    /// in the order the targets were first chosen — item by item for a loop.
    func runInclude(_ inc: DynamicInclude, hosts: [String]) -> Set<String> {
        if !executor.selected(tags: inc.tags) {
            return []
        }
        var entries: [String: [IncludeEntry]] = [:]
        var results: [TaskHostResult] = []
        let title = inc.title
        let info = TaskInfo(name: title, module: inc.kind.rawValue, location: inc.location, hosts: hosts)
        executor.emit(.taskStarted(info))
        for host in hosts {
            guard let state = executor.states[host] else { continue }
            let scope = HostScope(run: executor.runVars, host: state, play: playVariables, taskVars: inc.vars,
                                  locals: hostLocals[host] ?? [:], roleDefaults: inc.roleDefaults)
            do {
                // An include that keeps including itself: fail the host rather than recurse forever.
                if includeDepth >= Self.maxIncludeDepth {
                    throw ModuleError("includes nested \(Self.maxIncludeDepth) deep: does a file include itself with a condition that never ends it?")
                }
                // With a loop, `when` is checked per item (it may read the item), as in Ansible.
                func holds(_ s: HostScope) throws -> Bool {
                    for c in inc.conditions where try !Templating.evaluateCondition(c, in: s) { return false }
                    return true
                }
                if inc.loop == nil, try !holds(scope) {
                    results.append(TaskHostResult(host: host, status: .skipped))
                    continue
                }
                var list: [IncludeEntry] = []
                if let loop = inc.loop {
                    let rendered: Value
                    do {
                        rendered = try Templating.render(loop.items, in: scope)
                    } catch let e as TemplateError where e.undefinedVariable != nil {
                        // As for a task: a loop over something undefined fails only where the
                        // include's `when` (read without the item) holds.
                        if (try? holds(scope)) == false {
                            results.append(TaskHostResult(host: host, status: .skipped))
                            continue
                        }
                        throw e
                    }
                    let items = try LoopItems.expand(loop.kind, rendered, searchDirectories: LoopItems.searchDirectories(
                        role: inc.inherited.role?.path, taskFile: inc.file, playbook: executor.runVars.playbookDirectory))
                    for (i, item) in items.enumerated() {
                        var s = scope
                        s.locals[loop.loopVar] = item
                        if let iv = loop.indexVar { s.locals[iv] = .int(i) }
                        guard try holds(s) else { continue }
                        list.append(IncludeEntry(target: try Templating.renderString(inc.target.renderedString, in: s), locals: s.locals))
                    }
                } else {
                    list.append(IncludeEntry(target: try Templating.renderString(inc.target.renderedString, in: scope),
                                             locals: scope.locals))
                }
                entries[host] = list
                results.append(TaskHostResult(host: host, status: list.isEmpty ? .skipped : .ok,
                                              message: list.isEmpty ? nil : list.map(\.target).joined(separator: ", ")))
            } catch {
                results.append(TaskHostResult(host: host, status: .failed, message: "\(inc.location): \(inc.kind.rawValue): \(error)"))
            }
        }
        // Read each chosen file or role once, now: a host whose target cannot be read fails
        // the include itself, as in Ansible.
        var loaded: [String: DynamicInclude.Loaded] = [:]
        var problems: [String: String] = [:]
        for list in entries.values {
            for e in list where loaded[e.target] == nil && problems[e.target] == nil {
                switch inc.load(e.target) {
                case .success(let l):
                    loaded[e.target] = l
                    for w in l.warnings { executor.emit(.warning(w.renderedAsWarning())) }
                case .failure(let err):
                    problems[e.target] = err.diagnostics.map(\.description).joined(separator: "\n")
                }
            }
        }
        for (i, r) in results.enumerated() where r.status == .ok {
            let bad = (entries[r.host] ?? []).compactMap { problems[$0.target] }
            if let first = bad.first {
                results[i] = TaskHostResult(host: r.host, status: .failed, message: first)
                entries[r.host] = nil
            }
        }
        var failedHere = Set<String>()
        for r in results {
            executor.emit(.hostFinished(info, r))
            // Ansible's recap counts include_tasks once per file included (per item of a
            // loop), and an include_role that ran not at all (2.14).
            let times = r.status != .ok ? 1 : inc.kind == .role ? 0 : max(1, entries[r.host]?.count ?? 1)
            for _ in 0..<times { executor.states[r.host]?.count(r) }
            if r.status == .failed { failedHere.insert(r.host) }
        }
        executor.emit(.taskFinished(info, results))

        let saved = hostLocals
        includeDepth += 1
        defer { hostLocals = saved; includeDepth -= 1 }
        let rounds = entries.values.map(\.count).max() ?? 0
        for i in 0..<rounds {
            if aborted || executor.pool.isInterrupted { break }
            let running = hosts.filter { (entries[$0]?.count ?? 0) > i && !failedHere.contains($0) && !ended.contains($0) }
            var order: [String] = []
            for h in running { if let t = entries[h]?[i].target, !order.contains(t) { order.append(t) } }
            for target in order {
                let group = running.filter { entries[$0]?[i].target == target && !failedHere.contains($0) }
                guard !group.isEmpty, let l = loaded[target] else { continue }
                for h in group { hostLocals[h] = entries[h]?[i].locals }
                // Each inclusion of a role adds its handlers to the play again, as Ansible
                // does (a handler notified by name runs once per copy).
                handlers += l.handlers
                failedHere.formUnion(runNodes(l.nodes, hosts: group))
            }
        }
        return failedHere
    }
}
