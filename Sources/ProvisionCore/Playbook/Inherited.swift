/// Keywords a block or an include passes down to every task inside it.
struct Inherited {
    /// Conditions with where each was written.
    var when: [(Value, SourceLocation)] = []
    var become: Bool?
    var becomeUser: String?
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

    /// The keywords a block or an include accepts (and passes down).
    static let keys: Set<String> = [
        "name", "when", "become", "become_user", "tags", "vars", "environment", "ignore_errors",
        "ignore_unreachable", "no_log", "check_mode", "delegate_to", "run_once",
    ]

    /// Applies these keywords to a task: lists add up, the task's own settings win.
    func apply(to task: inout Task) {
        task.when = when.map(\.0) + task.when
        var locs = task.fieldLocations
        for (i, w) in when.enumerated() { locs["when.\(i)"] = w.1 }
        let own = task.when.count - when.count
        for i in 0..<own { locs["when.\(when.count + i)"] = task.fieldLocations["when.\(i)"] }
        task.fieldLocations = locs
        task.become = task.become ?? become
        task.becomeUser = task.becomeUser ?? becomeUser
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
    }
}

extension TaskNode {
    /// This node with `extra` tags added to every task inside.
    func addingTags(_ extra: [String]) -> TaskNode {
        switch self {
        case .task(var t):
            t.tags = Array(Set(t.tags + extra)).sorted()
            return .task(t)
        case .block(var b):
            b.tasks = b.tasks.map { $0.addingTags(extra) }
            b.rescue = b.rescue.map { $0.addingTags(extra) }
            b.always = b.always.map { $0.addingTags(extra) }
            return .block(b)
        }
    }
}
