/// What running a task on a host produced: what reporters see, and the effects on variables
/// (applied to the host, and for `run_once` to every host of the batch).
struct TaskOutcome {
    var result: TaskHostResult
    /// The value for `register`.
    var registered: Value?
    /// `set_fact` values.
    var setFacts: [String: Value] = [:]
    /// Variables from `include_vars`.
    var includedVars: [String: Value] = [:]
    /// Facts from `setup`.
    var gatheredFacts: [String: Value] = [:]
    /// Whether the task changed something (notifies handlers).
    var changed: Bool { result.status == .changed }
    /// `meta:` action to carry out after the task.
    var meta: String?
}
