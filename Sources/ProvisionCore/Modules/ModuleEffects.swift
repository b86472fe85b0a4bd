/// What a module asks the run to change besides its host: variables, the inventory, the
/// executor's course. The executor applies them after the task, on the host that ran it (or
/// its delegate with `delegate_facts`).
public struct ModuleEffects: Sendable {
    /// Variables at `set_fact` precedence, kept for the rest of the run (`set_fact`).
    public var hostVariables: [String: Value] = [:]
    /// Gathered facts (`setup`): below play vars, as Ansible ranks facts.
    public var facts: [String: Value] = [:]
    /// Variables at `include_vars` precedence.
    public var includedVariables: [String: Value] = [:]
    /// Hosts to add to the in-memory inventory, or to put in more groups (`add_host`).
    public var addedHosts: [AddedHost] = []
    /// Groups the task's host joins, created when new (`group_by`), each with its parents.
    public var joinedGroups: [(group: String, parents: [String])] = []
    /// An instruction to the executor (`meta`).
    public var directive: RunDirective?

    public init() {}

    public var isEmpty: Bool {
        hostVariables.isEmpty && facts.isEmpty && includedVariables.isEmpty && addedHosts.isEmpty
            && joinedGroups.isEmpty && directive == nil
    }
}

/// One `add_host` request: a host name (new or known), groups to put it in, variables to set.
public struct AddedHost: Sendable {
    public var name: String
    public var groups: [String]
    public var vars: [String: Value]

    public init(name: String, groups: [String], vars: [String: Value]) {
        self.name = name
        self.groups = groups
        self.vars = vars
    }
}
