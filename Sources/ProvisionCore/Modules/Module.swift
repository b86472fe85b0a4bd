import Foundation

/// A task's action: built per host from its rendered arguments, then run on that host.
///
/// # The module seam
/// Adding a module touches its own file (or folder) and one line of `ModuleRegistry.builtins`;
/// the executor names no module. What a module needs from the run beyond its own host it
/// declares statically, and what it wants done to the run it returns in its result:
///
/// - `requirements` (`ModuleRequirements`): `.cluster` fills `HostContext.cluster` with the
///   play's hosts and their run-long transports (`docker_swarm` fetches a join token from a
///   live manager); `.inventory` fills `HostContext.inventory` (groups and hosts as they are
///   now); `.bypassHostLoop` runs the task once per batch, on its first host, as Ansible's
///   `add_host` does; `.argumentKeysAreVariables` tells the loader that the argument names are
///   variables the module defines (`set_fact`), for the before-run undefined check.
/// - `unrenderedArguments`: arguments handed over as written because the module evaluates
///   them itself as conditions through `HostContext.renderTemplate` (`assert: that`).
/// - `controllerSubdirectory`: where a relative controller path is looked up first, in a role
///   and next to the playbook (`files` for copy, `templates` for template, `vars`).
/// - `ModuleResult.effects` (`ModuleEffects`): variables to set on the host at `set_fact`,
///   fact or `include_vars` precedence, hosts to add to the inventory, groups to join, a
///   `RunDirective` for the executor (`meta`). `RunDirectiveModule`s (meta) are carried out by
///   the executor without contacting a host when unconditional.
/// - Reconnecting: a module that must reconnect (`reboot`) casts `HostContext.transport` to
///   `ReconnectableTransport`.
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
    /// The Ansible collection whose module this one stands for (`ansible.builtin`,
    /// `community.docker`): `COLLECTION.NAME` finds it too.
    static var collection: String { get }
    static var argumentSpec: ArgumentSpec { get }
    /// false for modules that cannot predict their effect (`command`, `shell`, `raw`): in check
    /// mode they do not run and report "skipped" themselves. A task's `check_mode: false` makes
    /// the executor run them with `HostContext.checkMode` off.
    static var supportsCheckMode: Bool { get }
    /// What the module needs from the run beyond its own host (see the seam above).
    static var requirements: ModuleRequirements { get }
    /// Arguments passed unrendered: conditions the module evaluates itself.
    static var unrenderedArguments: Set<String> { get }
    /// A role's (and the playbook's) subdirectory searched first for relative controller paths.
    static var controllerSubdirectory: String? { get }
    /// The module can run as a background job (`async:`): it is an `AsyncModule`.
    static var supportsAsync: Bool { get }

    /// Builds the module from rendered, spec-checked arguments. Throws `ModuleError` for values
    /// that only show up as wrong once rendered.
    init(arguments: ModuleArguments) throws

    /// Checks and, unless in check mode, changes the host.
    func run(in context: HostContext) throws -> ModuleResult
}

extension Module {
    public static var aliases: [String] { [] }
    public static var collection: String { "ansible.builtin" }
    public static var supportsCheckMode: Bool { true }
    public static var requirements: ModuleRequirements { [] }
    public static var unrenderedArguments: Set<String> { [] }
    public static var controllerSubdirectory: String? { nil }
    public static var supportsAsync: Bool { self is any AsyncModule.Type }
}

/// What a module needs from the run beyond its own host; the executor provides exactly that.
public struct ModuleRequirements: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `HostContext.cluster`: the play's hosts, their variables and run-long transports.
    public static let cluster = ModuleRequirements(rawValue: 1 << 0)
    /// `HostContext.inventory`: the inventory's groups and hosts as they stand now.
    public static let inventory = ModuleRequirements(rawValue: 1 << 1)
    /// Runs once per batch (on its first host), whatever the hosts: Ansible's
    /// `BYPASS_HOST_LOOP` (`add_host`). A loop still runs every item.
    public static let bypassHostLoop = ModuleRequirements(rawValue: 1 << 2)
    /// The argument names are variables the module sets (`set_fact`): the loader counts them
    /// as defined.
    public static let argumentKeysAreVariables = ModuleRequirements(rawValue: 1 << 3)
}

/// A module that is an instruction to the executor (`meta`): when its task has no condition
/// and no template, the executor carries out `directive` once, for the batch, contacting no host.
public protocol RunDirectiveModule: Module {
    var directive: RunDirective { get }
}

/// A module's complaint about its arguments or the host, for the task's failure message.
public struct ModuleError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A module that can run as a background job (`async:`/`poll:`): its work is one shell
/// command line on the host, which the executor starts detached with a job file (see
/// `AsyncJob` for the job-file contract `async_status` reads).
public protocol AsyncModule: Module {
    /// The command line whose exit status, stdout and stderr are the job's result.
    func backgroundCommand(in context: HostContext) throws -> String
}
