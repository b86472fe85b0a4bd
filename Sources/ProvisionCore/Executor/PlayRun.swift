import Foundation

/// One batch of one play, run by the coordinator thread: facts, pre_tasks, tasks, post_tasks,
/// each section followed by its handlers.
final class PlayRun {
    let executor: PlaybookExecutor
    let play: Play
    let batch: [String]
    let playHosts: [String]
    /// Hosts still in the play, in inventory order.
    var active: [String]
    /// Hosts that failed for good (not rescued, not ignored) or became unreachable.
    var failed = Set<String>()
    /// `any_errors_fatal`, `max_fail_percentage` or `meta: end_play` stopped the play.
    var aborted = false
    /// `any_errors_fatal` or `max_fail_percentage` stopped the play: as in Ansible, the later
    /// plays do not run either (`meta: end_play` ends only this play).
    var endsPlaybook = false
    /// Per host, the item of the looped `include_tasks`/`include_role` being run (see `runInclude`).
    var hostLocals: [String: [String: Value]] = [:]
    /// Hosts out of the play for `ansible_play_hosts`/`ansible_play_batch`: failed (for
    /// good, not rescued) or unreachable, in this batch or an earlier one — updated after
    /// each task, as Ansible's `_removed_hosts`.
    var removed = Set<String>()
    /// Dynamic includes being run, nested (a runaway recursion fails the host at a limit).
    var includeDepth = 0
    /// Hosts of the batch that failed for good so far (for `max_fail_percentage`).
    var failedInBatch = Set<String>()
    /// Hosts that failed (or became unreachable) since the play began or since the last
    /// `meta: clear_host_errors`.
    var failedSinceClear = Set<String>()
    /// Hosts whose errors `meta: clear_host_errors` cleared: as in Ansible they stay out of
    /// this play but later plays take them again (unless they failed anew).
    var clearedErrors = Set<String>()
    /// The hosts that failed for good in this play, for the later plays to leave out.
    var failedForLaterPlays: Set<String> {
        failed.filter { !clearedErrors.contains($0) || failedSinceClear.contains($0) }
    }
    /// Hosts that `meta: end_host`/`end_batch` took out of the play (not failures).
    var ended = Set<String>()
    /// The play's handlers, and those roles included per host brought.
    var handlers: [Task]

    init(executor: PlaybookExecutor, play: Play, batch: [String], playHosts: [String]) {
        self.executor = executor
        self.play = play
        self.batch = batch
        self.playHosts = playHosts
        self.active = batch
        self.handlers = play.handlers
    }

    var playVariables: PlayVariables {
        // An unnamed play is named by its hosts pattern, as Ansible's ansible_play_name.
        var v = PlayVariables(vars: play.vars, varsFilesVars: play.varsFilesVars, name: play.name.isEmpty ? play.hosts : play.name,
                              hosts: playHosts, batch: active.filter { !removed.contains($0) })
        v.liveHosts = playHosts.filter { !removed.contains($0) }
        v.roleNames = play.roleNames
        v.dependentRoleNames = play.dependentRoleNames
        return v
    }

    func run() {
        // A previous play's per-host vars_files do not carry over.
        for h in batch { executor.states[h]?.playVarsFiles = nil }
        if wantsFacts { gatherFacts() }
        // Roles run after pre_tasks (and their handlers), with the play's tasks, as Ansible.
        for section in [play.preTasks, play.roles + play.tasks, play.postTasks] {
            if aborted || stopped { break }
            let f = runNodes(section, hosts: active)
            leave(f)
            active.removeAll { ended.contains($0) }
            if !aborted { leave(flushHandlers()) }
        }
        // force_handlers: hosts that failed still run what they were notified of.
        if play.forceHandlers, !aborted {
            let unreachable = Set(executor.pool.unreachableHosts.keys)
            flushHandlers(on: batch.filter { failed.contains($0) && !unreachable.contains($0) })
        }
    }

    var stopped: Bool { executor.pool.isInterrupted || active.isEmpty }

    /// `meta: clear_host_errors`: the play's failed and unreachable hosts so far are forgiven.
    /// As Ansible, every host of the play's pattern is forgiven, those that failed in earlier
    /// plays included.
    func clearHostErrors() {
        let matched = Set(executor.matched(play)).union(playHosts)
        clearedErrors.formUnion(matched)
        failedSinceClear = []
        executor.pool.clearUnreachable(Array(matched))
    }

    func leave(_ hosts: Set<String>) {
        failed.formUnion(hosts)
        removed.formUnion(hosts)
        active.removeAll { hosts.contains($0) }
    }

    /// `gather_facts`, a template rendered with the extra vars and play vars when it is one.
    var wantsFacts: Bool {
        guard let t = play.templatedKeywords["gather_facts"] else { return play.gatherFacts }
        let scope = LayeredScope([executor.options.extraVars, play.varsFilesVars, play.vars])
        return (try? Templating.render(t, in: scope)).map(Task.boolean) ?? true
    }

    func gatherFacts() {
        let setup = ModuleRegistry.factGatherer
        var task = Task(name: "Gathering Facts", action: TaskAction(module: setup.name, key: setup.name, type: setup,
                                                              arguments: play.gatherArguments),
                        location: play.location)
        // As Ansible: gathering runs whatever --tags select, unless the play has tags of its
        // own; then it is selected by those.
        task.tags = play.tags.isEmpty ? ["always"] : play.tags
        task.when = play.gatherConditions
        // Become as the play says, as Ansible gathers: with become, the ids, `env` and the
        // root-only facts (DMI serials, lvm) are root's.
        leave(runTask(task, hosts: active, forced: true))
    }

    /// Runs nodes in order on `hosts`; returns the hosts that failed (they stop there).
    func runNodes(_ nodes: [TaskNode], hosts: [String]) -> Set<String> {
        var current = hosts
        var failedHere = Set<String>()
        for node in nodes {
            current.removeAll { ended.contains($0) }
            if aborted || executor.pool.isInterrupted || current.isEmpty { break }
            let f: Set<String>
            switch node {
            case .task(let t): f = runTask(t, hosts: current)
            case .block(let b): f = runBlock(b, hosts: current)
            case .include(let i): f = runInclude(i, hosts: current)
            }
            failedHere.formUnion(f)
            // Inside a block with a rescue the host is not out yet: the rescue takes it.
            if protectedDepth == 0 { removed.formUnion(f) }
            current.removeAll { f.contains($0) }
        }
        return failedHere
    }

    func runBlock(_ block: TaskBlock, hosts: [String]) -> Set<String> {
        if !block.rescue.isEmpty { protectedDepth += 1 }
        let inBlock = runNodes(block.tasks, hosts: hosts)
        if !block.rescue.isEmpty { protectedDepth -= 1 }
        var stillFailed = inBlock
        if !block.rescue.isEmpty && !inBlock.isEmpty {
            let unreachable = Set(executor.pool.unreachableHosts.keys)
            let rescuable = hosts.filter { inBlock.contains($0) && !unreachable.contains($0) }
            let rescueFailed = runNodes(block.rescue, hosts: rescuable)
            stillFailed = rescueFailed.union(inBlock.filter { unreachable.contains($0) })
        }
        if !block.always.isEmpty {
            let unreachable = Set(executor.pool.unreachableHosts.keys)
            let alwaysHosts = hosts.filter { !unreachable.contains($0) }
            stillFailed.formUnion(runNodes(block.always, hosts: alwaysHosts))
        }
        return stillFailed
    }

    /// Inside a block with a rescue section, failures are not final yet: they neither trip
    /// `any_errors_fatal` nor count towards `max_fail_percentage` until the rescue failed too.
    var protectedDepth = 0
}
