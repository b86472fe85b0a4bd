import Foundation

/// What a module sees of the host it runs on: its transport, variables and the run's modes.
///
/// `run` applies the task's `become` and `environment`, so modules never build sudo lines.
public struct HostContext {
    /// The inventory name of the host.
    public var host: String
    public var transport: Transport
    /// Every variable visible to the task on this host (facts included), already merged.
    public var vars: [String: Value]
    /// `--check`: report what would change, change nothing.
    public var checkMode: Bool
    /// `--diff`: return diffs for content changes.
    public var diffMode: Bool
    public var become: Become?
    public var environment: [String: String]
    /// Where relative controller-side paths (`copy: src=`, `template: src=`) are resolved.
    public var controllerBaseDirectory: String
    /// Searched before `controllerBaseDirectory` for a relative controller path (a role's
    /// `files/`, `templates/`, `vars/` and its own directory, for the role's tasks).
    public var controllerSearchDirectories: [String] = []
    /// Ansible's search path for the task's controller files, most specific first: the role's
    /// directory (for a role's task) and the directory of the file the task is written in.
    /// `controllerFile(_:in:)` looks in each of them, then in `controllerBaseDirectory`.
    public var controllerSearchPaths: [String] = []
    /// The host's SSH login as the run resolved it (address, port, user, identity files,
    /// known-hosts file and policy), for modules that open their own connection to the host
    /// from the controller (`synchronize` runs rsync over ssh). nil when the executor offers
    /// none; a local host has one too, but its transport is a `LocalTransport`.
    public var connection: ConnectionTarget?
    /// Renders template text with this host's variables (the `template` module uses it).
    public var renderTemplate: (String) throws -> String
    /// Renders a template file's text with these variables over the host's (the `template`
    /// module's `ansible_managed`, `template_path`, …). nil: `renderTemplate`, without them.
    public var renderTemplateFile: ((String, [String: Value]) throws -> String)?
    /// `[defaults] ansible_managed` of the run's ansible.cfg (Ansible's default when unset).
    public var ansibleManaged = TemplateFileVariables.defaultManaged
    /// The other hosts of the play, for modules that declare `.cluster` (`docker_swarm` fetches
    /// a join token from a live manager). nil for the others.
    public var cluster: ClusterAccess?
    /// The inventory's hosts and groups as they stand now (`add_host`/`group_by` included),
    /// for modules that declare `.inventory`; nil otherwise.
    public var inventory: InventoryView?

    public init(host: String, transport: Transport, vars: [String: Value] = [:], checkMode: Bool = false,
                diffMode: Bool = false, become: Become? = nil, environment: [String: String] = [:],
                controllerBaseDirectory: String = FileManager.default.currentDirectoryPath,
                renderTemplate: @escaping (String) throws -> String = { $0 },
                cluster: ClusterAccess? = nil) {
        self.host = host
        self.transport = transport
        self.vars = vars
        self.checkMode = checkMode
        self.diffMode = diffMode
        self.become = become
        self.environment = environment
        self.controllerBaseDirectory = controllerBaseDirectory
        self.renderTemplate = renderTemplate
        self.cluster = cluster
    }

    /// Runs a shell command line on the host with the task's become and environment. Output
    /// read as data (the default) is whole or the call throws; `.display` output may be cut.
    public func run(_ line: String, stdin: Data? = nil, timeout: TimeInterval? = nil,
                    output: OutputUse = .data) throws -> CommandResult {
        try transport.run(RemoteCommand(line, stdin: stdin, timeout: timeout, become: become,
                                        environment: environment, output: output))
    }

    /// Resolves a module's relative controller file as Ansible does (`path_dwim_relative_stack`):
    /// for each of `controllerSearchPaths`, `PATH/DIRNAME/file` then `PATH/file` (a role's
    /// `tasks/` folder counts as its role), then the playbook directory's `DIRNAME/file` and
    /// `file`. `dirname` is `templates` for `template`, `files` for `copy`, `script`, ….
    /// Returns the first that exists, else the playbook-relative path (for the error).
    public func controllerFile(_ path: String, in dirname: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~") { return NSString(string: path).expandingTildeInPath }
        let addDirname = path.split(separator: "/").first.map(String.init) != dirname
        var candidates: [String] = []
        func add(_ base: String, sub: String?) {
            if addDirname, let sub { candidates.append(((sub as NSString).appendingPathComponent(dirname) as NSString).appendingPathComponent(path)) }
            candidates.append((base as NSString).appendingPathComponent(path))
        }
        for dir in controllerSearchPaths {
            // A role's task file sits in ROLE/tasks: its DIRNAME folder is ROLE/DIRNAME.
            if dir.hasSuffix("/tasks"), controllerSearchPaths.contains((dir as NSString).deletingLastPathComponent) {
                add(dir, sub: (dir as NSString).deletingLastPathComponent)
            } else {
                add(dir, sub: dir)
            }
        }
        add(controllerBaseDirectory, sub: controllerBaseDirectory)
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
            ?? (controllerBaseDirectory as NSString).appendingPathComponent(path)
    }

    /// Resolves a controller-side path: the first of `controllerSearchDirectories` holding
    /// it, else `controllerBaseDirectory`.
    public func controllerPath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/") { return NSString(string: path).expandingTildeInPath }
        for dir in controllerSearchDirectories {
            let candidate = (dir as NSString).appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return (controllerBaseDirectory as NSString).appendingPathComponent(path)
    }
}
