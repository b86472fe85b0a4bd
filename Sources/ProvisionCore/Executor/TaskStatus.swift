/// What a task did on one host, for output and the recap.
public enum TaskStatus: String, Sendable, Comparable {
    case ok, changed, skipped, failed, unreachable

    var rank: Int {
        switch self {
        case .ok: return 0
        case .changed: return 1
        case .skipped: return 2
        case .failed: return 3
        case .unreachable: return 4
        }
    }

    public static func < (a: TaskStatus, b: TaskStatus) -> Bool { a.rank < b.rank }
}

/// One task's outcome on one host, as reporters see it: everything here may be shown, so a
/// `no_log` task's message, output and items are already replaced by `TaskHostResult.hidden`.
public struct TaskHostResult: Sendable {
    public var host: String
    public var status: TaskStatus
    /// The task failed but `ignore_errors` let the host go on.
    public var ignored: Bool
    /// The failure reason, or a module's one-line message.
    public var message: String?
    /// The last lines of stderr (and stdout when stderr is empty) of a failed command.
    public var outputTail: String?
    /// Unified diffs (`--diff`), already rendered.
    public var diffs: [String]
    /// Per loop item: label and status (empty without a loop).
    public var items: [(label: String, status: TaskStatus)]
    /// The host whose transport ran it (delegate_to), when not the host itself.
    public var delegatedTo: String?
    /// The registered result as JSON, for `-v` (nil under no_log and without -v).
    public var detail: String?
    public var warnings: [String]
    public var duration: Double

    public init(host: String, status: TaskStatus, ignored: Bool = false, message: String? = nil,
                outputTail: String? = nil, diffs: [String] = [], items: [(label: String, status: TaskStatus)] = [],
                delegatedTo: String? = nil, detail: String? = nil, warnings: [String] = [], duration: Double = 0) {
        self.host = host
        self.status = status
        self.ignored = ignored
        self.message = message
        self.outputTail = outputTail
        self.diffs = diffs
        self.items = items
        self.delegatedTo = delegatedTo
        self.detail = detail
        self.warnings = warnings
        self.duration = duration
    }

    /// What no_log tasks show instead of their arguments, results and items.
    public static let hidden = "the output has been hidden due to no_log"
}
