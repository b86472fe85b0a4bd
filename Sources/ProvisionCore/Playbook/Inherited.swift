/// Keywords a block or an include passes down to every task inside it.
struct Inherited: @unchecked Sendable {
    /// Conditions with where each was written.
    var when: [(Value, SourceLocation)] = []
    var become: Bool?
    var becomeUser: String?
    var becomeMethod: String?
    var tags: [String] = []
    var vars: [String: Value] = [:]
    var environment: Value?
    var ignoreErrors: Bool?
    var ignoreUnreachable: Bool?
    var noLog: Bool?
    var checkMode: Bool?
    var delegateTo: String?
    var runOnce: Bool?
    var delegateLocation: SourceLocation?
    var environmentLocation: SourceLocation?
    /// Set inside a role: its identity and its defaults (the lowest variable layer).
    var role: RoleInfo?
    var roleDefaults: [String: Value] = [:]
    /// Keywords written as templates, rendered per host when each task runs.
    var templated: [String: Value] = [:]
    /// `notify` of a block: tasks without their own notify take it.
    var notify: [String]?
    var delegateFacts: Bool?
    var throttle: Int?
    var diff: Bool?
    /// `module_defaults` in force, outermost first (inner ones win per module).
    var moduleDefaults: [String: Value] = [:]
    /// `collections:` searched for short module names (play, role meta, block).
    var collections: [String] = []

    /// The keywords a block or an include accepts (and passes down).
    static let keys: Set<String> = [
        "name", "when", "become", "become_user", "tags", "vars", "environment", "ignore_errors",
        "ignore_unreachable", "no_log", "check_mode", "delegate_to", "run_once", "notify",
        "delegate_facts", "throttle", "diff", "module_defaults", "collections", "any_errors_fatal",
        "become_method", "become_flags", "debugger", "timeout", "connection", "remote_user", "port",
    ]

    /// Keywords whose value Ansible templates: each may be `"{{ … }}"`, rendered per host.
    static let templatable: Set<String> = [
        "become", "become_user", "become_method", "ignore_errors", "ignore_unreachable", "no_log", "check_mode", "run_once",
        "delegate_facts", "throttle", "diff", "retries", "delay", "async", "poll", "any_errors_fatal",
    ]

    /// Puts these conditions before the task's own, keeping where each was written.
    func applyConditions(to task: inout Task) {
        task.when = when.map(\.0) + task.when
        var locs = task.fieldLocations
        for (i, w) in when.enumerated() { locs["when.\(i)"] = w.1 }
        let own = task.when.count - when.count
        for i in 0..<own { locs["when.\(when.count + i)"] = task.fieldLocations["when.\(i)"] }
        task.fieldLocations = locs
    }

    /// Applies these keywords to a task: lists add up, the task's own settings win.
    func apply(to task: inout Task) {
        applyConditions(to: &task)
        task.become = task.become ?? become
        task.becomeUser = task.becomeUser ?? becomeUser
        task.becomeMethod = task.becomeMethod ?? becomeMethod
        task.tags = Array(Set(tags + task.tags)).sorted()
        task.vars = vars.merging(task.vars) { _, own in own }
        if let role {
            task.role = role
            task.roleDefaults = roleDefaults
        }
        if task.environment == nil, let environment {
            task.environment = environment
            task.fieldLocations["environment"] = environmentLocation
        }
        if task.fieldLocations["ignore_errors"] == nil, let ignoreErrors { task.ignoreErrors = ignoreErrors }
        if task.fieldLocations["ignore_unreachable"] == nil, let ignoreUnreachable { task.ignoreUnreachable = ignoreUnreachable }
        if task.fieldLocations["no_log"] == nil, let noLog { task.noLog = noLog }
        task.checkMode = task.checkMode ?? checkMode
        if task.delegateTo == nil, let delegateTo {
            task.delegateTo = delegateTo
            task.fieldLocations["delegate_to"] = delegateLocation
        }
        if task.fieldLocations["run_once"] == nil, let runOnce { task.runOnce = runOnce }
        for (k, v) in templated where task.fieldLocations[k] == nil && task.templatedKeywords[k] == nil {
            task.templatedKeywords[k] = v
        }
        if task.fieldLocations["notify"] == nil, let notify { task.notify = notify }
        if task.fieldLocations["delegate_facts"] == nil, let delegateFacts { task.delegateFacts = delegateFacts }
        if task.fieldLocations["throttle"] == nil, let throttle { task.throttle = throttle }
        if task.fieldLocations["diff"] == nil, let diff { task.diff = diff }
        if let d = moduleDefaults.isEmpty ? nil : ModuleDefaults.arguments(for: task.action, in: moduleDefaults) {
            task.moduleDefaults = d.merging(task.moduleDefaults) { _, own in own }
        }
    }
}

extension TaskNode {
    /// This node with `task` applied to every task inside and `include` to every dynamic
    /// include (whose tasks are not known yet).
    func transformed(task change: (inout Task) -> Void, include changeInclude: (inout DynamicInclude) -> Void) -> TaskNode {
        switch self {
        case .task(var t):
            change(&t)
            return .task(t)
        case .block(var b):
            let each = { (n: TaskNode) in n.transformed(task: change, include: changeInclude) }
            b.tasks = b.tasks.map(each)
            b.rescue = b.rescue.map(each)
            b.always = b.always.map(each)
            return .block(b)
        case .include(var i):
            changeInclude(&i)
            return .include(i)
        }
    }

    /// This node with `extra` tags added to every task inside.
    func addingTags(_ extra: [String]) -> TaskNode {
        transformed(task: { $0.tags = Array(Set($0.tags + extra)).sorted() },
                    include: { $0.tags = Array(Set($0.tags + extra)).sorted() })
    }

    /// This node with `when` conditions put before every task's own (and a dynamic include's).
    func prependingConditions(_ when: [(Value, SourceLocation)]) -> TaskNode {
        transformed(task: { Inherited(when: when).applyConditions(to: &$0) },
                    include: { $0.conditions = when.map(\.0) + $0.conditions })
    }
}
