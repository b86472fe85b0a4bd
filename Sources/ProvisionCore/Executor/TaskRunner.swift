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

    func run(_ task: Task, on host: HostState, transport: Transport) throws -> TaskOutcome {
        let start = Date()
        var scope = HostScope(run: run, host: host, play: playVars, taskVars: task.vars,
                              locals: hostLocals[host.name] ?? [:], roleDefaults: task.roleDefaults)
        if task.noLog { redactor.addNoLogArguments(task.action.arguments, scope: scope) }
        var outcome: TaskOutcome
        if let loop = task.loop {
            outcome = try runLoop(task, loop: loop, scope: &scope, host: host, transport: transport)
        } else {
            outcome = try runItem(task, scope: scope, host: host, transport: transport)
        }
        if outcome.meta == "reset_connection", let t = transport as? ReconnectableTransport {
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

    /// Stores a task's effects on `host`'s variables. Secret-named results (`register:
    /// join_token`, `set_fact: db_password=…`) are masked in all later output.
    func apply(_ outcome: TaskOutcome, task: Task, to host: HostState) {
        if let r = task.register, let v = outcome.registered {
            host.setRuntime(r, v)
            if SecretRedactor.isSecretName(r) {
                redactor.addStrings(in: v["stdout"] ?? .null)
                redactor.addStrings(in: v["stdout_lines"] ?? .null)
            }
        }
        if !outcome.setFacts.isEmpty {
            host.setRuntime(outcome.setFacts)
            redactor.addSecretVariables(outcome.setFacts)
        }
        if !outcome.gatheredFacts.isEmpty { host.setFacts(outcome.gatheredFacts) }
        if !outcome.includedVars.isEmpty {
            host.setIncluded(outcome.includedVars)
            redactor.addSecretVariables(outcome.includedVars)
        }
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
        var setFacts: [String: Value] = [:]
        var delegated: String?
        for (i, item) in items.enumerated() {
            var itemScope = scope
            itemScope.locals[task.loopVar] = item
            if let iv = task.indexVar { itemScope.locals[iv] = .int(i) }
            itemScope.locals["ansible_loop"] = .dict([
                "index": .int(i + 1), "index0": .int(i), "first": .bool(i == 0), "last": .bool(i == items.count - 1),
                "length": .int(items.count), "revindex": .int(items.count - i), "revindex0": .int(items.count - i - 1),
            ])
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
            setFacts.merge(o.setFacts) { _, n in n }
            delegated = delegated ?? o.result.delegatedTo
            // Later items see facts set by earlier ones.
            if !o.setFacts.isEmpty { host.setRuntime(o.setFacts) }
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
        return TaskOutcome(result: result, registered: .dict(reg), setFacts: setFacts)
    }

    func loopItems(_ task: Task, _ loop: Value, scope: HostScope) throws -> [Value] {
        let rendered = try Templating.render(loop, in: scope)
        var items: [Value]
        switch rendered {
        case .list(let l): items = l
        case .null: items = []
        case .string(let s) where !task.loopFlatten:
            throw ModuleError("loop needs a list, got the string '\(s)'")
        case .dict: throw ModuleError("loop needs a list, got a mapping (use '| dict2items')")
        default: items = [rendered]
        }
        if task.loopFlatten {
            items = items.flatMap { v -> [Value] in if case .list(let l) = v { return l }; return [v] }
        }
        return items
    }

    func itemLabel(_ task: Task, item: Value, scope: HostScope) -> String {
        if task.noLog { return "(item hidden)" }
        if let label = task.loopLabel, let v = try? Templating.render(label, in: scope) { return v.renderedString }
        return item.renderedString
    }
}
