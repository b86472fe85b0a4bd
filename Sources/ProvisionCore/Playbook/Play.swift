/// One play: which hosts, how (become, facts, batches), its variables and its task lists.
public struct Play: Sendable {
    public var name: String
    /// The host pattern (`workers:!red03`), matched against the inventory then `--limit`.
    public var hosts: String
    public var location: SourceLocation
    public var become: Bool?
    public var becomeUser: String?
    /// Play `vars:`, unrendered (templates in them are rendered when a task reads them).
    public var vars: [String: Value]
    /// Variables read from `vars_files`, later files winning.
    public var varsFilesVars: [String: Value]
    /// Every `vars_files` entry in order, when at least one is a template (else empty, and
    /// `varsFilesVars` holds them all): those are read per host during the run.
    public var varsFilesEntries: [VarsFilesEntry] = []
    public var gatherFacts: Bool
    /// Batch sizes for rolling updates; empty: all hosts at once. The last size repeats.
    public var serial: [BatchSize]
    /// Abort the play when more than this percentage of a batch failed.
    public var maxFailPercentage: Double?
    /// Any failure ends the play for every host.
    public var anyErrorsFatal: Bool
    public var tags: [String]
    public var preTasks: [TaskNode]
    /// `roles:`, expanded into their tasks (dependencies first); they run after `pre_tasks`
    /// and their handlers, before `tasks`.
    public var roles: [TaskNode] = []
    public var tasks: [TaskNode]
    public var postTasks: [TaskNode]
    /// Handlers in definition order (the order they run in): the roles' first, as Ansible.
    public var handlers: [Task]
    /// `remote_user:`; the executor refuses a play whose user differs from a host's login
    /// (one session per host for the whole run, see `PlaybookExecutor.validate`).
    public var remoteUser: String?
    public var remoteUserLocation: SourceLocation?
    /// Play keywords written as templates (`become`, `gather_facts`, …): rendered with the
    /// extra vars and play vars (and per host, for `become`), when the play starts.
    public var templatedKeywords: [String: Value] = [:]
    /// `order:` the hosts run in.
    public var order: PlayOrder = .inventory
    /// `vars_prompt:` questions, asked before the play when no extra var gives the value.
    public var varsPrompt: [VarsPrompt] = []
    /// `force_handlers`: notified handlers run even on hosts that failed later.
    public var forceHandlers = false
    /// `connection: local` on the play: every host is the controller.
    public var connectionLocal = false
    /// The `when` of an `import_playbook` entry: fact gathering runs only where it holds.
    public var gatherConditions: [Value] = []
    /// `gather_subset`, `gather_timeout` and `fact_path` of the play: the arguments its fact
    /// gathering passes to `setup`, as Ansible's.
    public var gatherArguments: [String: Value] = [:]
    /// The roles the play names itself (`roles:`, then `import_role` in reading order), as
    /// Ansible's `ansible_play_role_names`; and the roles they bring in through meta
    /// `dependencies` (`ansible_dependent_role_names`).
    public var roleNames: [String] = []
    public var dependentRoleNames: [String] = []

    /// Applies `change` to each task list that runs (pre_tasks, roles, tasks, post_tasks).
    mutating func forEachSection(_ change: (inout [TaskNode]) -> Void) {
        change(&preTasks)
        change(&roles)
        change(&tasks)
        change(&postTasks)
    }

    public init(name: String, hosts: String, location: SourceLocation, become: Bool? = nil,
                becomeUser: String? = nil, vars: [String: Value] = [:], varsFilesVars: [String: Value] = [:],
                gatherFacts: Bool = true, serial: [BatchSize] = [], maxFailPercentage: Double? = nil,
                anyErrorsFatal: Bool = false, tags: [String] = [], preTasks: [TaskNode] = [],
                tasks: [TaskNode] = [], postTasks: [TaskNode] = [], handlers: [Task] = []) {
        self.name = name
        self.hosts = hosts
        self.location = location
        self.become = become
        self.becomeUser = becomeUser
        self.vars = vars
        self.varsFilesVars = varsFilesVars
        self.gatherFacts = gatherFacts
        self.serial = serial
        self.maxFailPercentage = maxFailPercentage
        self.anyErrorsFatal = anyErrorsFatal
        self.tags = tags
        self.preTasks = preTasks
        self.tasks = tasks
        self.postTasks = postTasks
        self.handlers = handlers
    }
}

/// A `serial:` entry: a number of hosts or a percentage of the play's hosts.
public enum BatchSize: Sendable, Equatable {
    case count(Int)
    case percent(Double)

    /// Hosts in one batch out of `total` (at least 1).
    public func hosts(of total: Int) -> Int {
        switch self {
        case .count(let n): return max(1, n)
        case .percent(let p): return max(1, Int((Double(total) * p / 100).rounded(.down)))
        }
    }

    /// Splits `hosts` into batches by `sizes` (the last size repeats); one batch when empty.
    public static func batches<T>(_ hosts: [T], sizes: [BatchSize]) -> [[T]] {
        guard !sizes.isEmpty, !hosts.isEmpty else { return hosts.isEmpty ? [] : [hosts] }
        var out: [[T]] = []
        var i = 0
        var s = 0
        while i < hosts.count {
            let n = sizes[min(s, sizes.count - 1)].hosts(of: hosts.count)
            out.append(Array(hosts[i..<min(hosts.count, i + n)]))
            i += n
            s += 1
        }
        return out
    }
}

/// `order:` of a play: the order its hosts are taken in (and batched by `serial`).
public enum PlayOrder: String, Sendable, CaseIterable {
    case inventory, reverseInventory = "reverse_inventory", sorted, reverseSorted = "reverse_sorted", shuffle

    /// `hosts` (in inventory order) in this order.
    public func apply(_ hosts: [String]) -> [String] {
        switch self {
        case .inventory: return hosts
        case .reverseInventory: return hosts.reversed()
        case .sorted: return hosts.sorted()
        case .reverseSorted: return hosts.sorted().reversed()
        case .shuffle: return hosts.shuffled()
        }
    }
}

/// One `vars_prompt:` entry.
public struct VarsPrompt: Sendable {
    public var name: String
    public var prompt: String
    public var `private`: Bool
    public var defaultValue: Value?
    public var confirm: Bool
    public var location: SourceLocation
}
