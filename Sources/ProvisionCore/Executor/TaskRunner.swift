import Foundation

/// Runs one task on one host, on that host's queue: loop, `when`, argument rendering, the
/// module itself with retries, `changed_when`/`failed_when`, and `register`/`set_fact`.
///
/// Every template is rendered here, just before the module runs on this host, so a task sees
/// what earlier tasks registered and gathered on it.
struct TaskRunner {
    let run: RunVariables
    let options: RunOptions
    let play: Play
    let playVars: PlayVariables
    /// Runs a body with another host's transport, on that host's queue (`delegate_to`).
    let borrowTransport: (String, (Transport) throws -> ModuleResult) throws -> ModuleResult
    let redactor: SecretRedactor
    /// The play's hosts, for modules that act across hosts (nil for the others).
    var peers: PeerDirectory? = nil
    /// `delegate_to` hosts' transports, fetched by the coordinator before the step, so two
    /// hosts delegating to each other in one task never wait on each other's queue (the
    /// transports serialise their own sessions). Delegates missing here go through
    /// `borrowTransport`.
    var delegateTransports: [String: Transport] = [:]
    /// A host's resolved SSH login, handed to modules as `HostContext.connection`.
    var connectionTarget: (String) -> ConnectionTarget? = { _ in nil }
    /// Per host, variables bound by an enclosing looped `include_tasks` (its item).
    var hostLocals: [String: [String: Value]] = [:]

    func run(_ written: Task, on host: HostState, transport: Transport) throws -> TaskOutcome {
        let start = Date()
        if !play.varsFilesEntries.isEmpty {
            // Templated vars_files: read for this host with its variables as they are now.
            do {
                host.playVarsFiles = try VarsFilesResolver(entries: play.varsFilesEntries).resolve(host: host) { sofar in
                    host.playVarsFiles = sofar
                    return HostScope(run: run, host: host, play: playVars, locals: hostLocals[host.name] ?? [:])
                }
            } catch let f as VarsFilesResolver.Failure {
                var o = failure(written, host, f.description)
                o.result.ignored = false
                o.endsRun = true
                return o
            }
        }
        var scope = HostScope(run: run, host: host, play: playVars, taskVars: written.vars,
                              locals: hostLocals[host.name] ?? [:], roleDefaults: written.roleDefaults)
        let task: Task
        do {
            task = try written.resolvingKeywords(in: scope, play: play)
        } catch {
            var o = failure(written, host, "\(written.location): " + describe(error, scope))
            o.result.duration = Date().timeIntervalSince(start)
            return o
        }
        if task.noLog { redactor.addNoLogArguments(task.action.arguments, scope: scope) }
        var outcome: TaskOutcome
        if let loop = task.loop {
            outcome = try runLoop(task, loop: loop, scope: &scope, host: host, transport: transport)
        } else {
            outcome = try runItem(task, scope: scope, host: host, transport: transport)
        }
        if outcome.effects.directive == .resetConnection, let t = transport as? ReconnectableTransport {
            do { try t.reconnect(timeout: 60) } catch {
                outcome.result.status = .failed
                outcome.result.message = "reset_connection: \(error)"
            }
        }
        outcome.result.duration = Date().timeIntervalSince(start)
        if task.noLog { outcome.result = Self.hide(outcome.result) }
        apply(outcome, task: task, to: host)
        return outcome
    }

    /// The `set_fact` arguments that make NativeJinjaText (`x: "{{ d | to_nice_json }}"`).
    static func nativeTextFacts(_ task: Task) -> Set<String> {
        guard task.action.type == SetFactModule.self else { return [] }
        return Set(task.action.arguments.filter { Templating.isNativeTextDefinition($0.value) }.keys)
    }

    /// Stores a task's effects on `host`'s variables. Secret-named results (`register:
    /// join_token`, `set_fact: db_password=…`) are masked in all later output.
    /// With `delegate_facts`, variables go to the delegate instead (`factsHost`).
    func apply(_ outcome: TaskOutcome, task: Task, to host: HostState) {
        if let v = outcome.registered { redactor.addSecretFields(in: v) }
        if let r = task.register, let v = outcome.registered {
            host.setRuntime(r, v, registered: true)
            if task.noLog || SecretRedactor.isSecretName(r) { redactor.addRegisteredResult(v) }
        }
        var target = host
        if task.delegateFacts, let d = outcome.result.delegatedTo, let s = run.states[d] { target = s }
        let e = outcome.effects
        if !e.hostVariables.isEmpty {
            target.setRuntime(e.hostVariables, nativeText: Self.nativeTextFacts(task))
            redactor.addSecretVariables(e.hostVariables)
        }
        if !e.facts.isEmpty { target.setFacts(e.facts) }
        if !e.includedVariables.isEmpty {
            target.setIncluded(e.includedVariables)
            redactor.addSecretVariables(e.includedVariables)
        }
        if e.directive == .clearFacts { target.clearFacts() }
    }

    static func hide(_ r: TaskHostResult) -> TaskHostResult {
        var h = TaskHostResult(host: r.host, status: r.status, ignored: r.ignored, delegatedTo: r.delegatedTo,
                               duration: r.duration)
        if r.status == .failed || r.status == .unreachable || r.message != nil { h.message = TaskHostResult.hidden }
        h.items = r.items.map { (label: "(item hidden)", status: $0.status) }
        return h
    }

    // MARK: - loops

    func runLoop(_ task: Task, loop: Value, scope: inout HostScope, host: HostState,
                 transport: Transport) throws -> TaskOutcome {
        let items: [Value]
        do {
            items = try loopItems(task, loop, scope: scope)
        } catch let e as TemplateError {
            // As Ansible: a loop over something undefined is an error only where the task's
            // `when` (read without the item) holds; `with_items: "{{ x }}"` + `when: x is
            // defined` skips.
            if e.undefinedVariable != nil, case .skip(let skipped) = conditions(task, scope: scope, host: host) {
                return skipped
            }
            return failure(task, host, "loop: " + describe(e, scope))
        } catch {
            return failure(task, host, "\(error)")
        }
        if items.isEmpty {
            return TaskOutcome(result: TaskHostResult(host: host.name, status: .skipped, message: "no items in the loop"),
                               registered: .dict(["results": .list([]), "skipped": true, "changed": false,
                                                  "msg": "No items in the list"]))
        }
        var results: [Value] = []
        var itemStatus: [(label: String, status: TaskStatus)] = []
        var anyChanged = false, anyFailed = false, allSkipped = true
        var messages: [String] = []
        var tails: [String] = []
        var diffs: [String] = []
        var effects = ModuleEffects()
        var delegated: String?
        for (i, item) in items.enumerated() {
            if i > 0 && task.loopPause > 0 { Thread.sleep(forTimeInterval: task.loopPause * options.delayScale) }
            var itemScope = scope
            itemScope.locals[task.loopVar] = item
            if let iv = task.indexVar { itemScope.locals[iv] = .int(i) }
            var loopInfo: [String: Value] = [
                "index": .int(i + 1), "index0": .int(i), "first": .bool(i == 0), "last": .bool(i == items.count - 1),
                "length": .int(items.count), "revindex": .int(items.count - i), "revindex0": .int(items.count - i - 1),
            ]
            if task.loopExtended {
                loopInfo["allitems"] = .list(items)
                if i > 0 { loopInfo["previtem"] = items[i - 1] }
                if i + 1 < items.count { loopInfo["nextitem"] = items[i + 1] }
            }
            itemScope.locals["ansible_loop"] = .dict(loopInfo)
            itemScope.locals["ansible_loop_var"] = .string(task.loopVar)
            if task.noLog { redactor.addItem(item) }
            let label = itemLabel(task, item: item, scope: itemScope)
            let o = try runItem(task, scope: itemScope, host: host, transport: transport)
            var reg = o.registered?.dictValue ?? [:]
            reg[task.loopVar] = item
            reg["ansible_loop_var"] = .string(task.loopVar)
            results.append(.dict(reg))
            itemStatus.append((label, o.result.status))
            if o.result.status != .skipped { allSkipped = false }
            if o.result.status == .changed { anyChanged = true }
            if o.result.status == .failed || o.result.status == .unreachable {
                anyFailed = true
                if let m = o.result.message { messages.append("\(label): \(m)") }
                if let t = o.result.outputTail { tails.append(t) }
            }
            diffs += o.result.diffs
            effects.merge(o.effects)
            delegated = delegated ?? o.result.delegatedTo
            // Later items see facts set by earlier ones.
            if !o.effects.hostVariables.isEmpty { host.setRuntime(o.effects.hostVariables, nativeText: Self.nativeTextFacts(task)) }
            if o.result.status == .unreachable { break }
        }
        var status: TaskStatus = allSkipped ? .skipped : (anyChanged ? .changed : .ok)
        if anyFailed { status = itemStatus.contains { $0.status == .unreachable } ? .unreachable : .failed }
        let ignored = anyFailed && task.ignoreErrors
        var reg: [String: Value] = ["results": .list(results), "changed": .bool(anyChanged), "failed": .bool(anyFailed),
                                    "msg": .string(anyFailed ? "One or more items failed" : "All items completed")]
        if allSkipped { reg["skipped"] = true }
        let result = TaskHostResult(host: host.name, status: status, ignored: ignored,
                                    message: anyFailed ? messages.joined(separator: "; ") : nil,
                                    outputTail: tails.isEmpty ? nil : tails.joined(separator: "\n"),
                                    diffs: diffs, items: itemStatus, delegatedTo: delegated,
                                    detail: task.noLog || options.verbosity == 0 ? nil : Value.dict(reg).jsonString)
        return TaskOutcome(result: result, registered: .dict(reg), effects: effects)
    }

    func loopItems(_ task: Task, _ loop: Value, scope: HostScope) throws -> [Value] {
        var value = loop
        // Old style `with_items: users` names a variable.
        if task.loopKind != .loop, case .string(let s) = loop, !Templating.containsTemplate(s),
           s.range(of: #"^[A-Za-z_][A-Za-z0-9_.]*$"#, options: .regularExpression) != nil,
           task.loopKind != .sequence, task.loopKind != .fileglob, task.loopKind != .firstFound,
           scope.lookup(s) != nil {
            value = .string("{{ \(s) }}")
        }
        let rendered = try Templating.render(value, in: scope)
        return try LoopItems.expand(task.loopKind, rendered, searchDirectories: controllerDirectories(task),
                                    lookupSubdirectory: LoopItems.lookupSubdirectory(forAction: task.action.key))
    }

    /// The role's directory, then the playbook's: where loops find controller files.
    func controllerDirectories(_ task: Task) -> [String] {
        LoopItems.searchDirectories(role: task.role?.path, taskFile: task.location.file, playbook: run.playbookDirectory)
    }

    func itemLabel(_ task: Task, item: Value, scope: HostScope) -> String {
        if task.noLog { return "(item hidden)" }
        if let label = task.loopLabel, let v = try? Templating.render(label, in: scope) { return v.renderedString }
        return item.renderedString
    }
}
