import Foundation

/// Runs a loaded playbook over an inventory: plays in order, each play's hosts in `serial`
/// batches, and in each batch the linear strategy — a task ends on every host of the batch
/// before the next starts, at most `--forks` hosts at once, one session per host for the
/// whole run (the `HostPool`'s).
///
/// Failed and unreachable hosts leave the play (and the later plays); the others go on.
/// Handlers run at the end of each section of the play, or at `meta: flush_handlers`, on the
/// hosts that notified them, in definition order.
public final class PlaybookExecutor {
    public let playbook: Playbook
    public let inventory: Inventory
    /// Hosts the run may touch (inventory order, `--limit` applied).
    public let selectedHosts: [String]
    public let pool: HostPool
    public let events: ReporterQueue
    public let options: RunOptions
    public let redactor: SecretRedactor

    /// Every host's state (hosts `add_host` created included).
    var states: [String: HostState] { runVars.states }
    let runVars: RunVariables
    /// How to reach a host `add_host` created (the CLI's connection defaults applied); nil:
    /// such hosts cannot be contacted, and a task on them fails saying so.
    public var connectionTarget: ((InventoryHost) -> ConnectionTarget?)?
    /// Set once the first task matching `--start-at-task` is reached. Coordinator thread only.
    var started: Bool
    /// Reads the inventory sources again, for `meta: refresh_inventory` (nil: that meta
    /// action fails saying the run cannot re-read them).
    public var reloadInventory: (() throws -> Inventory)?
    /// An error that ends the whole run, as Ansible's ERROR! does (a templated vars_files
    /// entry whose file is not found). Coordinator thread only.
    var runError: String?
    /// The login user of each host's session as the caller resolved it (`--user`, else the
    /// inventory's). Hosts missing here log in as the local user. Used to check `remote_user`.
    public var sessionUsers: [String: String] = [:]

    public init(playbook: Playbook, inventory: Inventory, selectedHosts: [String], pool: HostPool,
                events: ReporterQueue, options: RunOptions, redactor: SecretRedactor = SecretRedactor()) {
        self.playbook = playbook
        self.inventory = inventory
        self.selectedHosts = selectedHosts
        self.pool = pool
        self.events = events
        self.options = options
        self.redactor = redactor
        var states: [String: HostState] = [:]
        var all: [HostState] = []
        for h in inventory.everyHost {
            let s = HostState(name: h.name, groups: h.groups, inventoryVars: h.vars)
            states[h.name] = s
            all.append(s)
            redactor.addSecretVariables(h.vars)
        }
        _ = states
        self.runVars = RunVariables(extraVars: options.extraVars, inventory: inventory, hosts: all,
                                    playbookDirectory: Self.absolute(playbook.directory),
                                    inventoryDirectory: Self.absolute((inventory.path as NSString).deletingLastPathComponent),
                                    checkMode: options.checkMode, diffMode: options.diffMode,
                                    constants: RunVariables.constants(options: options,
                                                                      inventoryPath: inventory.path.isEmpty ? "" : Self.absolute(inventory.path),
                                                                      forks: pool.forks))
        self.started = options.startAtTask == nil
        redactor.addSecretVariables(options.extraVars)
        for play in playbook.plays {
            redactor.addSecretVariables(play.vars)
            redactor.addSecretVariables(play.varsFilesVars)
            // Roles' defaults and vars (and parameters) may name secrets too.
            for task in PlaybookReader.tasks(of: play) where task.role != nil {
                redactor.addSecretVariables(task.roleDefaults)
                redactor.addSecretVariables(task.vars)
            }
        }
        for b in options.becomeByHost.values { redactor.add(b.password) }
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let cwd = FileManager.default.currentDirectoryPath
        return path.isEmpty || path == "." ? cwd : (cwd as NSString).appendingPathComponent(path)
    }

    /// The play's host pattern; a templated one (`hosts: "{{ target | default('all') }}"`)
    /// is rendered with the extra vars and the play's vars, as Ansible does.
    func pattern(of play: Play) throws -> String {
        guard Templating.containsTemplate(play.hosts) else { return play.hosts }
        let scope = LayeredScope([options.extraVars, play.varsFilesVars, play.vars])
        return try Templating.renderString(play.hosts, in: scope)
    }

    /// Problems found before any host is contacted: play patterns that do not render or parse,
    /// and `remote_user`s the run's sessions cannot honour (see `remoteUserProblems`).
    public func validate() -> [Diagnostic] {
        var out: [Diagnostic] = []
        for play in playbook.plays {
            do { _ = try HostPattern(try pattern(of: play)) } catch {
                out.append(Diagnostic("bad host pattern '\(play.hosts)': \(error)", at: play.location))
            }
            out += remoteUserProblems(play)
        }
        return out
    }

    /// Each host keeps one session for the whole run, so a play cannot log in as another user.
    /// As in Ansible, a host's inventory `ansible_user` beats the play's `remote_user`, and a
    /// local connection has no login: those hosts are fine. For the others `remote_user` must
    /// be the user the session logs in as; when it differs, the play is refused before anything
    /// runs rather than run as the wrong user.
    func remoteUserProblems(_ play: Play) -> [Diagnostic] {
        // A `connection: local` play logs in nowhere.
        guard let raw = play.remoteUser, !play.connectionLocal else { return [] }
        let at = play.remoteUserLocation ?? play.location
        let user: String
        do {
            user = try Templating.renderString(raw, in: LayeredScope([options.extraVars, play.varsFilesVars, play.vars]))
        } catch {
            return [Diagnostic("remote_user '\(raw)' cannot be rendered before the run: \(error)", at: at,
                               hint: "use play vars or extra vars in remote_user, not host variables")]
        }
        var wrong: [(String, String)] = []
        for name in hosts(of: play, excluding: []) {
            guard let host = inventory.everyHost.first(where: { $0.name == name }),
                  host.connection.kind != .local, host.connection.user == nil else { continue }
            let session = sessionUsers[name] ?? ProcessInfo.processInfo.userName
            if session != user { wrong.append((name, session)) }
        }
        guard let first = wrong.first else { return [] }
        let others = wrong.count > 1 ? " (and \(wrong.count - 1) more host(s))" : ""
        return [Diagnostic("remote_user '\(user)' differs from the user host '\(first.0)' logs in as ('\(first.1)')\(others); "
                           + "each host keeps one SSH session for the whole run, so a play cannot switch users", at: at,
                           hint: "set ansible_user in the inventory or pass --user \(user), or use become/become_user for the play")]
    }

    /// The hosts of a play: its pattern over the inventory as it stands now (`add_host`,
    /// `group_by`), within `--limit` (hosts added during the run are in it), without hosts
    /// already out, in the play's `order`.
    func hosts(of play: Play, excluding out: Set<String>) -> [String] {
        matched(play).filter { !out.contains($0) }
    }

    /// The play's pattern and `--limit`, before hosts that failed earlier are taken out.
    /// `warn`: emit Ansible's warning for parts that match nothing (at the play's start).
    func matched(_ play: Play, warn: Bool = false) -> [String] {
        let inv = runVars.inventory
        let limit = Set(selectedHosts)
        guard let text = try? pattern(of: play), let pattern = try? HostPattern(text),
              let resolution = try? pattern.resolve(in: inv) else { return [] }
        if warn { for w in resolution.warnings { emit(.warning(w)) } }
        let matched = resolution.indices.map { inv.host(at: $0) }
        let names = matched.map(\.name).filter { limit.contains($0) || inventory.host(named: $0) == nil }
        return play.order.apply(names)
    }

    func emit(_ e: PlaybookEvent) { events.emit(.playbook(e)) }

    /// `meta: refresh_inventory`: the sources read again; later plays and patterns see them.
    /// A source that no longer loads stops the run, as Ansible's error does.
    func refreshInventory() {
        guard let reloadInventory else {
            runError = runError ?? "meta: refresh_inventory: this run cannot re-read its inventory"
            return
        }
        do {
            runVars.refresh(with: try reloadInventory())
        } catch let e as LoadError {
            runError = runError ?? "meta: refresh_inventory: " + e.diagnostics.map { $0.rendered() }.joined(separator: "\n")
        } catch {
            runError = runError ?? "meta: refresh_inventory: \(error)"
        }
    }

    /// Runs every play and returns the recap (also emitted as `runFinished`).
    public func run() -> RunRecap {
        let start = Date()
        var out = Set<String>()
        var endsPlaybook = false
        for play in playbook.plays {
            if pool.isInterrupted || runError != nil { break }
            let all = matched(play, warn: true)
            let hosts = all.filter { !out.contains($0) }
            let title = play.name.isEmpty ? play.hosts : play.name
            guard !hosts.isEmpty else {
                let reason = all.isEmpty ? "no hosts matched '\(play.hosts)'"
                    : "every host of '\(play.hosts)' (\(all.joined(separator: ", "))) failed or was unreachable earlier in the run"
                emit(.playSkipped(name: title, reason: reason))
                continue
            }
            for h in hosts where !pool.knows(h) {
                if let ih = runVars.inventory.host(named: h), let t = connectionTarget?(ih) { pool.add(t) }
            }
            emit(.playStarted(name: title, hosts: hosts))
            for batch in BatchSize.batches(hosts, sizes: play.serial) {
                if pool.isInterrupted || runError != nil { break }
                let run = PlayRun(executor: self, play: play, batch: batch, playHosts: hosts)
                run.removed = out.intersection(hosts)
                run.run()
                out.subtract(run.clearedErrors)
                out.formUnion(run.failedForLaterPlays)
                out.formUnion(pool.unreachableHosts.keys)
                // As Ansible does: a batch where every host failed, any_errors_fatal and
                // max_fail_percentage end the play and the playbook (Ansible's break_play);
                // end_play ends only the play.
                if run.endsPlaybook || run.failedForLaterPlays.isSuperset(of: batch) { endsPlaybook = true; break }
                if run.aborted { break }
            }
            if endsPlaybook { break }
            for s in states.values { s.clearNotified(Set(s.notified)) }
        }
        if let name = options.startAtTask, !started {
            emit(.warning("no task named '\(name)' was found: nothing ran"))
        }
        let added = runVars.hostOrder.filter { inventory.host(named: $0) == nil }
        let touched = (selectedHosts + added).filter { states[$0]?.recap != HostRecap() || pool.unreachableHosts[$0] != nil }
        var recap = RunRecap(hosts: touched.map { name in
            var r = states[name]?.recap ?? HostRecap()
            if pool.unreachableHosts[name] != nil, r.unreachable == 0 { r.unreachable = 1 }
            return (name, r)
        }, duration: Date().timeIntervalSince(start), interrupted: pool.isInterrupted)
        recap.error = runError
        emit(.runFinished(recap))
        events.flush()
        return recap
    }

    /// True when `task` runs under `--tags`/`--skip-tags` and `--start-at-task`.
    func selected(_ task: Task) -> Bool {
        if !started {
            guard let pattern = options.startAtTask else { return false }
            let name = task.name ?? ""
            if name == pattern || fnmatch(pattern, name, 0) == 0 { started = true } else { return false }
        }
        return selected(tags: task.tags)
    }

    /// Whether --tags/--skip-tags select something carrying `tags`.
    func selected(tags: [String]) -> Bool {
        Self.tagsSelect(Set(tags), tags: Set(options.tags), skip: Set(options.skipTags))
    }

    static func tagsSelect(_ t: Set<String>, tags: Set<String>, skip: Set<String>) -> Bool {
        if !t.isDisjoint(with: skip) { return false }
        if skip.contains("tagged") && !t.isEmpty { return false }
        if skip.contains("untagged") && t.isEmpty { return false }
        if t.contains("always") { return true }
        if tags.isEmpty || tags.contains("all") { return !t.contains("never") }
        if tags.contains("tagged") && !t.isEmpty { return true }
        if tags.contains("untagged") && t.isEmpty { return true }
        return !t.isDisjoint(with: tags)
    }
}
