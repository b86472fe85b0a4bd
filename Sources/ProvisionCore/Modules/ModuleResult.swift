/// What a module reported on one host; becomes the registered variable.
public struct ModuleResult: Sendable {
    public var changed: Bool
    public var failed: Bool
    public var skipped: Bool
    /// One line for the user (the failure reason when failed).
    public var message: String?
    /// Content changes, for `--diff`.
    public var diffs: [FileDiff]
    /// Extra fields for `register` (`rc`, `stdout`, `stderr`, `stdout_lines`, …).
    public var data: [String: Value]
    public var warnings: [String]
    /// What the run must change besides the host (variables, inventory, a directive).
    public var effects = ModuleEffects()

    public init(changed: Bool = false, failed: Bool = false, skipped: Bool = false,
                message: String? = nil, diffs: [FileDiff] = [], data: [String: Value] = [:],
                warnings: [String] = []) {
        self.changed = changed
        self.failed = failed
        self.skipped = skipped
        self.message = message
        self.diffs = diffs
        self.data = data
        self.warnings = warnings
    }

    public static func ok(_ data: [String: Value] = [:], message: String? = nil) -> ModuleResult {
        ModuleResult(message: message, data: data)
    }

    public static func changed(_ data: [String: Value] = [:], message: String? = nil,
                               diffs: [FileDiff] = []) -> ModuleResult {
        ModuleResult(changed: true, message: message, diffs: diffs, data: data)
    }

    public static func failed(_ message: String, data: [String: Value] = [:]) -> ModuleResult {
        ModuleResult(failed: true, message: message, data: data)
    }

    /// The registered value: `data` plus `changed`, `failed`, `skipped`, `msg`.
    public var registered: Value {
        var d = data
        d["changed"] = .bool(changed)
        d["failed"] = .bool(failed)
        if skipped { d["skipped"] = .bool(true) }
        if let message { d["msg"] = .string(message) }
        return .dict(d)
    }
}

/// A file's content before and after a change, for `--diff`.
public struct FileDiff: Sendable, Hashable {
    public var path: String
    public var before: String
    public var after: String

    public init(path: String, before: String, after: String) {
        self.path = path
        self.before = before
        self.after = after
    }
}
