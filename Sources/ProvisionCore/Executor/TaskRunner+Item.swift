import Foundation

/// One run of a task's module on a host (one loop item): `when`, rendering, retries.
extension TaskRunner {
    func runItem(_ task: Task, scope: HostScope, host: HostState, transport: Transport) throws -> TaskOutcome {
        switch conditions(task, scope: scope, host: host) {
        case .skip(let o), .failed(let o): return o
        case .run: break
        }
        var delegate: String?
        if let d = task.delegateTo {
            do {
                let name = try Templating.renderString(d, in: scope)
                guard run.states[name] != nil else {
                    return failure(task, host, "delegate_to: '\(name)' is not a host of the inventory")
                }
                if name != host.name { delegate = name }
            } catch {
                return failure(task, host, "delegate_to: " + describe(error, scope))
            }
        }
        if let unsupported = task.unsupportedModule {
            return failure(task, host, "module '\(task.action.key)' (\(unsupported)) is not implemented by provision; "
                           + "this host reached it (\(task.location(of: "action")))")
        }
        let module: any Module
        let environment: [String: String]
        var args: [String: Value] = [:]
        // module_defaults sit below the task's own arguments.
        let written = task.moduleDefaults.merging(task.action.arguments) { _, own in own }
        for (k, v) in written {
            if task.unrenderedArguments.contains(k) { args[k] = v; continue }
            do {
                let key = Templating.containsTemplate(k) ? try Templating.renderString(k, in: scope) : k
                let rendered = try Templating.render(v, in: scope)
                if !Templating.isOmitted(rendered) {
                    // A module gets its arguments as JSON, which has no tuples; set_fact keeps
                    // the Python values (a tuple stays one in the variable).
                    let kept = Templating.removingOmitted(rendered)
                    args[key] = task.action.type.requirements.contains(.argumentKeysAreVariables) ? kept : kept.tuplesAsLists
                }
                if rendered != v, scope.readsSecret(v, marked: redactor.derivedSecretNames) {
                    redactor.addScalars(rendered, unlessShowingASecret: true)
                    if task.action.type.requirements.contains(.argumentKeysAreVariables) { redactor.markSecretName(key) }
                }
            } catch {
                // Name where the failing argument was written, as load errors do.
                let at = task.fieldLocations["args.\(k)"] ?? task.fieldLocations["args"] ?? task.location
                return failure(task, host, "\(at): \(k): " + describe(error, scope))
            }
        }
        do {
            if task.noLog { redactor.addNoLogArguments(args, scope: nil) }
            module = try ModuleRegistry.make(task.action.type, arguments: args)
            environment = try renderEnvironment(task, scope: scope)
        } catch {
            return failure(task, host, describe(error, scope))
        }
        let checkMode = task.checkMode ?? options.checkMode
        let type = task.action.type
        let becomeSetting: Become?
        do { becomeSetting = try become(for: task, host: host.name, delegate: delegate) } catch {
            return failure(task, host, describe(error, scope))
        }
        var context = HostContext(
            host: host.name, transport: transport, vars: scope.flattened(), checkMode: checkMode,
            diffMode: task.diff ?? options.diffMode, become: becomeSetting,
            environment: environment, controllerBaseDirectory: run.playbookDirectory,
            renderTemplate: { try Templating.renderFile($0, in: scope) },
            cluster: type.requirements.contains(.cluster) ? peers : nil)
        if type.requirements.contains(.inventory) { context.inventory = run.inventoryView() }
        context.renderTemplateFile = { text, fileVars in
            try Templating.renderFile(text, in: LayeredScope([fileVars], fallback: scope))
        }
        context.ansibleManaged = options.ansibleManaged
        context.controllerSearchDirectories = (task.role?.searchDirectories(forSubdirectory: type.controllerSubdirectory) ?? [])
            + (type.controllerSubdirectory.map { [run.playbookDirectory + "/" + $0] } ?? [])
        context.connection = connectionTarget(delegate ?? host.name)
        context.controllerSearchPaths = (task.role.map { [$0.path] } ?? [])
            + [(task.location.file as NSString).deletingLastPathComponent].filter { !$0.isEmpty }
        // As ansible-core 2.14 counts: `retries: N` gives N+1 attempts, none given 3, 0 one.
        let attempts: Int
        if task.until == nil { attempts = 1 } else if let r = task.retries { attempts = r <= 0 ? 1 : r + 1 } else { attempts = 3 }
        var result = ModuleResult()
        var registered: Value = .null
        for attempt in 1...attempts {
            if let seconds = task.asyncSeconds, seconds > 0, let job = module as? any AsyncModule {
                do { result = try runAsync(job, seconds: seconds, poll: task.poll, context: context) } catch let e as ModuleError {
                    result = .failed(e.message)
                }
            } else if let seconds = task.asyncSeconds, seconds > 0 {
                result = try runAsyncInForeground(module, seconds: seconds, poll: task.poll, context: context, delegate: delegate)
            } else {
                result = try execute(module, context, delegate: delegate)
            }
            registered = result.registered
            if attempts > 1, case .dict(var d) = registered {
                d["attempts"] = .int(attempt)
                registered = .dict(d)
            }
            var checkScope = scope
            if let r = task.register { checkScope.locals[r] = registered }
            do {
                if let c = task.changedWhen, !result.failed {
                    result.changed = try Templating.evaluateCondition(c, in: checkScope)
                }
                if let c = task.failedWhen {
                    result.failed = try Templating.evaluateCondition(c, in: checkScope)
                    if result.failed, result.message == nil { result.message = "failed_when held: \(c.renderedString)" }
                }
                if let u = task.until {
                    if try Templating.evaluateCondition(u, in: checkScope) { break }
                    if attempt == attempts {
                        result.failed = true
                        result.message = "still not done after \(attempts) attempts (until: \(u.renderedString))"
                            + (result.message.map { ": " + $0 } ?? "")
                        break
                    }
                    let pause = task.delay * options.delayScale
                    if pause > 0 { Thread.sleep(forTimeInterval: pause) }
                    continue
                }
            } catch {
                result.failed = true
                result.message = describe(error, checkScope)
            }
            break
        }
        if case .dict(var d) = registered {
            d["changed"] = .bool(result.changed)
            d["failed"] = .bool(result.failed)
            registered = .dict(d)
        }
        return outcome(task, host: host, result: result, registered: registered, delegate: delegate)
    }

    /// Runs the module on the host or its delegate. A broken connection to the host itself is
    /// rethrown (the pool marks the host unreachable); other errors fail the task.
    func execute(_ module: any Module, _ context: HostContext, delegate: String?) throws -> ModuleResult {
        do {
            if let delegate, let t = delegateTransports[delegate] {
                var c = context
                c.transport = t
                return try module.run(in: c)
            }
            if let delegate {
                return try borrowTransport(delegate) { t in
                    var c = context
                    c.transport = t
                    return try module.run(in: c)
                }
            }
            return try module.run(in: context)
        } catch let e as TransportError where e.isUnreachable && delegate == nil {
            throw e
        } catch let e as TransportError {
            return .failed(delegate.map { "on \($0): " } .map { $0 + e.message } ?? e.message)
        } catch let e as ModuleError {
            return .failed(e.message)
        } catch {
            return .failed("\(error)")
        }
    }

    func outcome(_ task: Task, host: HostState, result: ModuleResult, registered: Value, delegate: String?) -> TaskOutcome {
        let status: TaskStatus = result.failed ? .failed : result.skipped ? .skipped : result.changed ? .changed : .ok
        var tail: String?
        if result.failed {
            let err = (result.data["stderr"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let out = (result.data["stdout"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let text = err.isEmpty ? out : err
            if !text.isEmpty {
                tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(5).joined(separator: "\n")
            }
        }
        var message = result.message
        if result.failed, message == nil, let rc = result.data["rc"] { message = "non-zero return code \(rc.renderedString)" }
        let diffs = (task.diff ?? options.diffMode) && !task.noLog ? result.diffs.map { UnifiedDiff.render($0) } : []
        var r = TaskHostResult(host: host.name, status: status, ignored: result.failed && task.ignoreErrors,
                               message: message, outputTail: tail, diffs: diffs, delegatedTo: delegate,
                               detail: task.noLog || options.verbosity == 0 ? nil : registered.jsonString, warnings: result.warnings)
        if task.noLog { r = Self.hide(r) }
        return TaskOutcome(result: r, registered: registered, effects: result.failed ? ModuleEffects() : result.effects)
    }

    func failure(_ task: Task, _ host: HostState, _ message: String) -> TaskOutcome {
        let r = TaskHostResult(host: host.name, status: .failed, ignored: task.ignoreErrors,
                               message: task.noLog ? TaskHostResult.hidden : message)
        return TaskOutcome(result: r, registered: .dict(["failed": true, "changed": false, "msg": .string(message)]))
    }

    /// A template or module error for the user, with the inner errors of variables it read.
    func describe(_ error: Error, _ scope: HostScope) -> String {
        var s: String
        if let e = error as? TemplateError { s = "template error: \(e.description)" }
        else if let e = error as? ModuleError { s = e.message }
        else { s = "\(error)" }
        if !scope.depth.errors.isEmpty {
            s += " (while rendering " + scope.depth.errors.joined(separator: "; ") + ")"
            scope.depth.errors.removeAll()
        }
        return s
    }

    func renderEnvironment(_ task: Task, scope: HostScope) throws -> [String: String] {
        guard let env = task.environment else { return [:] }
        let rendered = try Templating.render(env, in: scope)
        guard case .dict(let d) = rendered else {
            if rendered.isNull { return [:] }
            throw ModuleError("environment must be a mapping of names to values")
        }
        return [String: Value](d).mapValues(\.renderedString)
    }

    /// sudo or su for this task: the task's `become`, else the play's, else `--become`, else the
    /// inventory's `ansible_become`; the user likewise; the password from the CLI/inventory.
    /// The method as Ansible ranks it: extra var `ansible_become_method`, then the host's
    /// inventory variable, then the `become_method` keyword (task, block, play), then
    /// `--become-method`/ansible.cfg; a method provision does not speak fails the task.
    func become(for task: Task, host: String, delegate: String?) throws -> Become? {
        let target = delegate ?? host
        let base = options.becomeByHost[target]
        let inventoryWants = run.states[target]?.inventoryVars.contains { k, v in
            (k == "ansible_become" || k == "become") && Templating.conditionTruth(v)
        } ?? false
        let wanted = task.become ?? play.become ?? (options.become || inventoryWants)
        guard wanted else { return nil }
        // An extra var `ansible_become_user` is above every keyword, as in Ansible.
        let user = options.extraVars["ansible_become_user"]?.stringValue ?? task.becomeUser ?? play.becomeUser
            ?? base?.user ?? "root"
        let written = options.extraVars["ansible_become_method"]?.stringValue
            ?? run.states[target]?.inventoryVars["ansible_become_method"]?.stringValue ?? task.becomeMethod
        var method = base?.method ?? .sudo
        if let written {
            let name = written.hasPrefix("ansible.builtin.") ? String(written.dropFirst("ansible.builtin.".count))
                : written.hasPrefix("community.general.") ? String(written.dropFirst("community.general.".count)) : written
            guard let m = Become.Method(rawValue: name) else {
                throw ModuleError("become_method '\(written)' is not supported: provision becomes with "
                                  + Become.Method.allCases.map(\.rawValue).joined(separator: " or "))
            }
            method = m
        }
        return Become(user: user, password: base?.password, method: method)
    }
}

extension TaskRunner {
    enum ConditionVerdict {
        case run
        case skip(TaskOutcome)
        case failed(TaskOutcome)
    }

    /// The task's `when`, in order: the first false one skips it, an error fails it.
    func conditions(_ task: Task, scope: HostScope, host: HostState) -> ConditionVerdict {
        for (i, condition) in task.when.enumerated() {
            do {
                if try !Templating.evaluateCondition(condition, in: scope) {
                    let text = condition.renderedString
                    return .skip(TaskOutcome(result: TaskHostResult(host: host.name, status: .skipped),
                                             registered: .dict(["changed": false, "skipped": true,
                                                                "skip_reason": "Conditional result was False",
                                                                "false_condition": .string(text)])))
                }
            } catch {
                return .failed(failure(task, host, "when (\(task.location(of: "when.\(i)"))): " + describe(error, scope)))
            }
        }
        return .run
    }
}
