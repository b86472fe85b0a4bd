import Foundation

/// A task's action: built per host from its rendered arguments, then run on that host.
///
/// Arguments are checked twice: their shape against `argumentSpec` when the playbook loads
/// (unknown keys, missing required ones, literal values of the wrong type or choice — before
/// any host is contacted), and their rendered values in `init` (templated ones). A module does
/// its check and its change in as few remote round trips as it can, ideally one script that
/// checks, changes only when needed, and reports what it did; honours check mode; and returns
/// a diff when it edits content.
public protocol Module {
    /// The YAML key (`copy`); `ansible.builtin.copy` is accepted by the loader too.
    static var name: String { get }
    /// Other keys that mean this module (`service` for `systemd`).
    static var aliases: [String] { get }
    static var argumentSpec: ArgumentSpec { get }
    /// false for modules that cannot predict their effect (`command`, `shell`, `raw`): in check
    /// mode they do not run and report "skipped" themselves. A task's `check_mode: false` makes
    /// the executor run them with `HostContext.checkMode` off.
    static var supportsCheckMode: Bool { get }

    /// Builds the module from rendered, spec-checked arguments. Throws `ModuleError` for values
    /// that only show up as wrong once rendered.
    init(arguments: ModuleArguments) throws

    /// Checks and, unless in check mode, changes the host.
    func run(in context: HostContext) throws -> ModuleResult
}

extension Module {
    public static var aliases: [String] { [] }
    public static var supportsCheckMode: Bool { true }
}

/// A module's complaint about its arguments or the host, for the task's failure message.
public struct ModuleError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
