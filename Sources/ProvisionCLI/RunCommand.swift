import ArgumentParser
import Foundation
import ProvisionCore

/// `provision run PLAYBOOK`: runs an Ansible-shaped playbook over the inventory's hosts.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a playbook on the selected hosts.",
        discussion: """
        The playbook and inventory are read and checked first, as Ansible parses them: YAML \
        syntax, unknown keys, module names no Ansible collection has, bad literal arguments and \
        template syntax are errors, shown with file:line:col; then no host is contacted and the \
        exit status is 1. What depends on run-time values is decided per host when the task \
        runs; what only looks wrong (a variable not visibly defined, a module provision does \
        not implement) is a warning before the run, an error with --strict.

        Tasks run in order; each task ends on every host of the batch before the next starts \
        (at most --forks hosts at once, one SSH session per host for the whole run). A host \
        that fails or is unreachable leaves the play; the others go on. Per task, outcomes are \
        folded by node set (ok: red[01-04]); a recap per host ends the run.

        With --json, stdout holds one JSON object per line and nothing else: task_start, \
        host_outcome (host, status, msg, output_tail, diff), recap. Hosts that failed or were \
        unreachable are written to .provision/last-failed.

        A run locks its hosts (~/.provision/locks): a second run on a held host stops at once \
        and names the holder; --no-lock skips this. Ctrl-C once lets the running tasks finish \
        and starts no new one; Ctrl-C twice aborts, ends the commands still running on the \
        hosts and lists those hosts as possibly mid-change in .provision/last-failed.

        Examples:
          provision run playbooks/site.yml -i inventories/hosts.yml
          provision run site.yml --limit workers --check --diff
          provision run site.yml -e docker_version=24.0 -e @vars/prod.yml --tags docker
          provision run site.yml --limit @.provision/last-failed

        Exit status: 0 all ok, 2 a host failed, 4 a host unreachable (or-ed: 6), 1 usage or \
        load error, 130 interrupted.
        """
    )

    @Argument(help: "The playbook file.")
    var playbook: String

    @OptionGroup var inventoryOptions: InventoryOptions
    @OptionGroup var execution: ExecutionOptions

    @Flag(name: [.customShort("C"), .long], help: "Report what would change; change nothing.")
    var check = false

    @Flag(name: [.customShort("D"), .long], help: "Show a unified diff of each content change.")
    var diff = false

    @Option(name: [.customShort("e"), .customLong("extra-vars")],
            help: ArgumentHelp("Variables above all others: key=value, @FILE (YAML/JSON) or an inline mapping.", valueName: "VARS"))
    var extraVars: [String] = []

    @Option(name: [.customShort("t"), .long], help: ArgumentHelp("Run only tasks with one of these tags (comma-separated).", valueName: "TAGS"))
    var tags: [String] = []

    @Option(name: .customLong("skip-tags"), help: ArgumentHelp("Skip tasks with one of these tags.", valueName: "TAGS"))
    var skipTags: [String] = []

    @Option(name: .customLong("start-at-task"), help: ArgumentHelp("Start at the first task with this name.", valueName: "NAME"))
    var startAtTask: String?

    @Flag(help: "One JSON event per line on stdout, nothing else.")
    var json = false

    @Flag(help: "Refuse to run on the before-run warnings (variables not visibly defined, modules provision does not implement, …).")
    var strict = false

    @Flag(name: .customLong("syntax-check"), help: "Load and check the playbook and inventory, contact no host.")
    var syntaxCheck = false

    @Flag(name: .customLong("list-hosts"), help: "List each play's hosts; run nothing.")
    var listHosts = false

    @Flag(name: .customLong("list-tasks"), help: "List each play's tasks; run nothing.")
    var listTasks = false

    @Flag(name: .customLong("list-tags"), help: "List the tags of each play; run nothing.")
    var listTags = false

    @Flag(name: .customLong("no-lock"),
          help: "Do not take the run lock on the hosts (~/.provision/locks): another run may then change them at the same time.")
    var noLock = false

    @OptionGroup(title: "Connection options") var common: CommonOptions
    @OptionGroup(title: "Output limits") var outputOptions: OutputOptions

    /// The run lock on every host this run may touch (nil with --no-lock); a busy host ends
    /// the run before any host is contacted.
    private func takeLock(hosts: [String], targets: [ConnectionTarget]) throws -> RunLock? {
        if noLock { return nil }
        var byName: [String: ConnectionTarget] = [:]
        for t in targets where byName[t.name] == nil { byName[t.name] = t }
        let keys = hosts.map { name -> (name: String, key: String) in
            guard let t = byName[name] else { return (name, "local:" + name) }
            return (name, "\(t.address):\(t.port ?? 22)")
        }
        do {
            return try RunLock(hosts: keys, playbook: URL(fileURLWithPath: playbook).standardized.path) { note in
                FileHandle.standardError.write(Data("provision: note: \(note)\n".utf8))
            }
        } catch let busy as RunLock.Busy {
            throw HostSelection.fail("provision: error: \(busy.description)", count: 1)
        }
    }

    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }

    func run() throws {
        let config = try HostSelection.loadConfig()
        var selection = try HostSelection(inventoryOptions, config: config,
                                          playbookDir: (playbook as NSString).deletingLastPathComponent)
        let extra: [String: Value]
        let book: Playbook
        do {
            extra = try ExtraVars.parse(extraVars)
            // ansible_user is the login user however it was given, before the playbook is checked.
            selection.defineLoginUsers(defaults: try common.connectionDefaults(config: config, execution: execution,
                                                                               extraVars: extra, askingNothing: true))
            var known = Set(extra.keys)
            for h in selection.inventory.everyHost { known.formUnion(h.vars.keys) }
            for g in selection.inventory.groups { known.formUnion(g.vars.keys) }
            let home = NSHomeDirectory()
            var loader = PlaybookLoader(knownVariables: known,
                                        rolesPath: PlaybookLoader.environmentRolesPath() + config.effectiveRolesPath(home: home))
            loader.strict = strict
            var loaded = try loader.load(playbook)
            SwarmLock.Identity.playbook = URL(fileURLWithPath: playbook).standardized.path
            try VarsPromptAnswers.answer(&loaded, extraVars: extra)
            book = loaded
        } catch let e as LoadError {
            throw HostSelection.fail(e.diagnostics.map { $0.rendered() }.joined(separator: "\n"), count: e.diagnostics.count)
        }
        let inventory = selection.inventory
        if syntaxCheck || listHosts || listTasks || listTags {
            let listing = PlaybookListing(playbook: book, path: playbook, inventory: inventory,
                                          limit: Set(selection.hosts.map(\.name)), limited: inventoryOptions.limit != nil)
            var text = "\nplaybook: \(playbook)\n"
            var warnings: [String] = []
            var stop: HostPatternError?
            do { try listing.resolvePatterns(warnings: &warnings) } catch let e as HostPatternError { stop = e }
            for w in warnings { FileHandle.standardError.write(Data("provision: warning: \(w)\n".utf8)) }
            if let stop { throw HostSelection.fail("\(stop)", count: 1) }
            if listHosts || listTasks || listTags {
                text += listing.render(hosts: listHosts, tasks: listTasks, tags: listTags)
            }
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        // Ansible would run these: shown, then the run goes on (--strict refused them above).
        for w in book.warnings { FileHandle.standardError.write(Data((w.renderedAsWarning() + "\n").utf8)) }

        // Passwords are asked for only once the files are known to be good.
        var defaults = try common.connectionDefaults(config: config, execution: execution, extraVars: extra)
        defaults.output = try outputOptions.limits()
        let redactor = SecretRedactor()
        [defaults.password, defaults.becomePassword, defaults.passphrase, defaults.passwordOverride,
         defaults.becomePasswordOverride].forEach { redactor.add($0) }
        let selectedNames = Set(selection.hosts.map(\.name))
        var targets = try selection.targets(defaults: defaults)
        // Other inventory hosts may be delegated to; they connect only if a task does.
        targets += inventory.everyHost.filter { !selectedNames.contains($0.name) }
            .compactMap { try? $0.connectionTarget(defaults: defaults) }
        for t in targets { redactor.add(t.password) }
        let becomeAll = execution.become(config: config)
        var become: [String: Become] = [:]
        for host in inventory.everyHost {
            if selectedNames.contains(host.name) && (becomeAll || host.connection.become) {
                do { become[host.name] = try host.become(defaults: defaults) } catch let e as LoadError {
                    throw HostSelection.fail(e.diagnostics.map { $0.rendered() }.joined(separator: "\n"), count: 1)
                }
            } else if let b = try? host.become(defaults: defaults) {
                become[host.name] = b
            }
        }

        let stdoutStyle = TerminalStyle.detect(fileDescriptor: STDOUT_FILENO)
        let stderrStyle = TerminalStyle.detect(fileDescriptor: STDERR_FILENO)
        var reporters: [Reporter] = []
        if common.verbose > 0 {
            reporters.append(VerboseReporter(output: .standardError, level: common.verbose, style: stderrStyle))
        }
        reporters.append(json ? RunJSONReporter(output: .standardOutput, redactor: redactor)
            : RunConsoleReporter(output: .standardOutput, style: stdoutStyle, redactor: redactor,
                                 verbosity: common.verbose, live: isatty(STDOUT_FILENO) == 1))
        let events = ReporterQueue(reporters)
        let allLocal = Set(inventory.everyHost.filter { $0.connection.kind == .local }.map(\.name))
        let factory = RoutingTransportFactory(localHosts: allLocal, local: LocalTransportFactory(),
                                              remote: SSHTransportFactoryProvider.make())
        let pool = HostPool(targets: targets, factory: factory, forks: execution.forks(config: config), events: events)
        var options = RunOptions(checkMode: check, diffMode: diff, extraVars: extra, tags: Self.split(tags),
                                 skipTags: Self.split(skipTags), startAtTask: startAtTask, become: becomeAll,
                                 becomeByHost: become, verbosity: common.verbose)
        if let managed = config.ansibleManaged { options.ansibleManaged = managed }
        // Without --limit every play's own pattern decides, so `hosts: localhost` reaches the
        // implicit localhost that `all` leaves out.
        let limit = inventoryOptions.limit == nil ? inventory.everyHost.map(\.name) : selection.hosts.map(\.name)
        let executor = PlaybookExecutor(playbook: book, inventory: inventory, selectedHosts: limit,
                                        pool: pool, events: events, options: options, redactor: redactor)
        executor.connectionTarget = { try? $0.connectionTarget(defaults: defaults) }
        // meta: refresh_inventory reads the same sources again, as the run first read them.
        let sources = inventoryOptions.sources(config: config), playbookDir = (playbook as NSString).deletingLastPathComponent
        executor.reloadInventory = {
            var inv = try InventoryLoader().load(sources, playbookDir: playbookDir)
            HostSelection.defineConnectionVariables(&inv, defaults: defaults)
            return inv
        }
        executor.sessionUsers = Dictionary(targets.compactMap { t in t.user.map { (t.name, $0) } }) { first, _ in first }
        let problems = executor.validate()
        if !problems.isEmpty {
            throw HostSelection.fail(problems.map { $0.rendered() }.joined(separator: "\n"), count: problems.count)
        }
        // The implicit localhost is every run's controller: locking it would make any two runs
        // of this machine collide.
        let implicit = Set(inventory.everyHost.filter(\.isImplicit).map(\.name))
        let lock = try takeLock(hosts: limit.filter { !implicit.contains($0) }, targets: targets)
        defer { lock?.release() }
        // Ctrl-C once drains (running tasks finish, none starts); twice aborts, and the hosts
        // still running then may be mid-change: they are named and go to last-failed.
        let aborted = AbortedHosts()
        let interrupt = InterruptHandler(onFirst: { pool.drain() }, onSecond: {
            aborted.set(pool.hostsRunning)
            pool.interrupt()
        })
        let recap = executor.run()
        events.flush()
        interrupt.cancel()
        let midChange = aborted.hosts
        // Nothing this run started may keep running on a host after an abort.
        if !midChange.isEmpty { pool.endRunningCommands(on: midChange, timeout: 15) }
        pool.close(timeout: recap.interrupted ? 0.2 : 10)
        if !midChange.isEmpty {
            FileHandle.standardError.write(Data(("provision: interrupted while running on \(NodeSet.fold(midChange)): "
                + "these hosts may be mid-change; check them, or rerun with --limit @.provision/last-failed\n").utf8))
        }
        LastFailedFile.record(recap.failedHosts + midChange.filter { !recap.failedHosts.contains($0) })
        if let error = recap.error {
            FileHandle.standardError.write(Data("provision: error: \(TerminalSafe.escape(error)); the run stopped there\n".utf8))
        }
        let code = recap.exitCode
        if code != 0 { throw ExitCode(code) }
    }
}

/// The hosts that were running when a second Ctrl-C aborted the run (set on the signal queue).
final class AbortedHosts: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []

    func set(_ hosts: [String]) { lock.withLock { names = hosts } }
    var hosts: [String] { lock.withLock { names } }
}
