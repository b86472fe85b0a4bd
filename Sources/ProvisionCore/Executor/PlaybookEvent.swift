/// What happens during `provision run`, for reporters (carried by `RunEvent.playbook`).
///
/// No event carries a secret: results of `no_log` tasks are replaced before they are emitted,
/// and passwords never enter results.
public enum PlaybookEvent: Sendable {
    case playStarted(name: String, hosts: [String])
    /// No host matched the play's pattern (after --limit and earlier failures).
    case playSkipped(name: String, reason: String)
    case taskStarted(TaskInfo)
    /// A host began the current task (for the live progress line).
    case hostStarted(host: String)
    case hostFinished(TaskInfo, TaskHostResult)
    /// Every host of the batch is done with the task.
    case taskFinished(TaskInfo, [TaskHostResult])
    case warning(String)
    case runFinished(RunRecap)
}

/// A task as reporters name it.
public struct TaskInfo: Sendable {
    public var name: String
    public var module: String
    public var location: SourceLocation
    public var isHandler: Bool
    /// Results hidden (`no_log`).
    public var noLog: Bool
    /// Hosts it runs on.
    public var hosts: [String]

    public init(name: String, module: String, location: SourceLocation, isHandler: Bool = false,
                noLog: Bool = false, hosts: [String] = []) {
        self.name = name
        self.module = module
        self.location = location
        self.isHandler = isHandler
        self.noLog = noLog
        self.hosts = hosts
    }
}
