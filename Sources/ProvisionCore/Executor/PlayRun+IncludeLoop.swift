import Foundation

/// `include_tasks` with `loop`: per host, the items are rendered just before, then the task
/// file runs once per item — item 1 on every host that has one, then item 2, … — keeping the
/// linear strategy (each task ends on all hosts before the next).
extension PlayRun {
    func runLoopedInclude(_ block: TaskBlock, loop: IncludeLoop, hosts: [String]) -> Set<String> {
        var items: [String: [Value]] = [:]
        var failedHere = Set<String>()
        var problems: [TaskHostResult] = []
        for host in hosts {
            guard let state = executor.states[host] else { continue }
            let scope = HostScope(run: executor.runVars, host: state, play: playVariables,
                                  locals: hostLocals[host] ?? [:])
            do {
                items[host] = try LoopItems.expand(loop.kind, try Templating.render(loop.items, in: scope),
                                                   searchDirectories: [executor.runVars.playbookDirectory])
            } catch {
                problems.append(TaskHostResult(host: host, status: .failed, message: "\(loop.location): loop: \(error)"))
            }
        }
        if !problems.isEmpty {
            let info = TaskInfo(name: "include_tasks " + (block.name ?? ""), module: "include_tasks",
                                location: block.location, hosts: problems.map(\.host))
            executor.emit(.taskStarted(info))
            for r in problems {
                executor.emit(.hostFinished(info, r))
                executor.states[r.host]?.count(r)
                failedHere.insert(r.host)
            }
            executor.emit(.taskFinished(info, problems))
        }
        let saved = hostLocals
        defer { hostLocals = saved }
        let rounds = items.values.map(\.count).max() ?? 0
        for i in 0..<rounds {
            let running = hosts.filter { (items[$0]?.count ?? 0) > i && !failedHere.contains($0) }
            if running.isEmpty || aborted || executor.pool.isInterrupted { break }
            for h in running {
                var locals = saved[h] ?? [:]
                locals[loop.loopVar] = items[h]?[i] ?? .null
                if let iv = loop.indexVar { locals[iv] = .int(i) }
                hostLocals[h] = locals
            }
            failedHere.formUnion(runNodes(block.tasks, hosts: running))
        }
        return failedHere
    }
}
