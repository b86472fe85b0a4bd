/// An entry of a task list: a task, or a block with its rescue and always sections
/// (`import_tasks`/`include_tasks` load as blocks holding the file's tasks).
public indirect enum TaskNode: Sendable {
    case task(Task)
    case block(TaskBlock)

    /// Every task inside, depth first, in file order.
    public var allTasks: [Task] {
        switch self {
        case .task(let t): return [t]
        case .block(let b): return (b.tasks + b.rescue + b.always).flatMap(\.allTasks)
        }
    }
}

/// `block:`/`rescue:`/`always:`. Keys set on the block (when, become, tags, vars, …) were
/// already applied to each task inside by the loader, so the executor only needs the sections.
public struct TaskBlock: Sendable {
    public var name: String?
    public var tasks: [TaskNode]
    /// Runs on the hosts that failed in `tasks`; a host whose rescue succeeds is no longer failed.
    public var rescue: [TaskNode]
    /// Runs on every host that entered the block, failed or not.
    public var always: [TaskNode]
    public var location: SourceLocation

    public init(name: String? = nil, tasks: [TaskNode], rescue: [TaskNode] = [], always: [TaskNode] = [],
                location: SourceLocation) {
        self.name = name
        self.tasks = tasks
        self.rescue = rescue
        self.always = always
        self.location = location
    }
}
