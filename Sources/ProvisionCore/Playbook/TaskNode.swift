/// An entry of a task list: a task, or a block with its rescue and always sections
/// (`import_tasks`/`include_tasks` load as blocks holding the file's tasks).
public indirect enum TaskNode: Sendable {
    case task(Task)
    case block(TaskBlock)
    /// `include_tasks`/`include_role` whose file or role is known only on the host (a
    /// templated name, or a file missing at load time): read when a host reaches it.
    case include(DynamicInclude)

    /// Every task inside, depth first, in file order (a dynamic include's only when its
    /// target is literal: read in advance for the checks).
    public var allTasks: [Task] {
        switch self {
        case .task(let t): return [t]
        case .block(let b): return (b.tasks + b.rescue + b.always).flatMap(\.allTasks)
        case .include(let i): return (i.preview ?? []).flatMap(\.allTasks)
        }
    }

    /// A list of handlers: tasks, blocks' tasks, and each dynamic include as one handler that
    /// runs the include when notified by its name.
    static func handlers(_ nodes: [TaskNode]) -> [Task] {
        nodes.flatMap { node -> [Task] in
            guard case .include(let inc) = node else { return node.allTasks }
            var t = inc.listingTask
            t.name = inc.name
            t.listen = inc.listen
            t.handlerInclude = inc
            return [t]
        }
    }

    /// What `--list-tasks` shows, as Ansible 2.14: a dynamic include is one entry (its tasks
    /// are known only when a host reaches it); imports and blocks show their tasks, but not
    /// their rescue and always sections.
    public var listedTasks: [Task] {
        switch self {
        case .task(let t): return [t]
        case .block(let b): return b.tasks.flatMap(\.listedTasks)
        case .include(let i): return [i.listingTask]
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

/// The loop of an `include_tasks`/`include_role`: items rendered per host, the tasks run for each.
public struct IncludeLoop: Sendable {
    /// As written (a list or a template giving one).
    public var items: Value
    /// `with_items` flattens nested lists one level.
    public var flatten: Bool { kind == .items }
    /// `loop:` or the `with_<lookup>` it was written with.
    public var kind: LoopKind
    public var loopVar: String = "item"
    public var indexVar: String?
    public var location: SourceLocation
}

/// A placeholder module type for parsing helpers that need a `Task` shell.
enum NoModule: Module {
    static let name = ""
    static let argumentSpec = ArgumentSpec([])
    init(arguments: ModuleArguments) throws { throw ModuleError("not a module") }
    func run(in context: HostContext) throws -> ModuleResult { .failed("not a module") }
}
