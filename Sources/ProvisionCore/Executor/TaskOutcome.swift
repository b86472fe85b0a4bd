/// What running a task on a host produced: what reporters see, and the effects on variables
/// (applied to the host, and for `run_once` to every host of the batch).
struct TaskOutcome {
    var result: TaskHostResult
    /// The value for `register`.
    var registered: Value?
    /// What the module asked the run to change (variables, inventory, a directive).
    var effects = ModuleEffects()
    /// The failure stops the whole run, as Ansible's ERROR! does (a vars file not found).
    var endsRun = false
    /// Whether the task changed something (notifies handlers).
    var changed: Bool { result.status == .changed }
}

extension ModuleEffects {
    /// Adds another item's effects (later values win).
    mutating func merge(_ other: ModuleEffects) {
        hostVariables.merge(other.hostVariables) { _, n in n }
        facts.merge(other.facts) { _, n in n }
        includedVariables.merge(other.includedVariables) { _, n in n }
        addedHosts += other.addedHosts
        joinedGroups += other.joinedGroups
        directive = other.directive ?? directive
    }
}
