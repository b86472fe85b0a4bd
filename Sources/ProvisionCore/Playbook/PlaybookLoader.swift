import Foundation
import Yams

/// Reads a playbook file into a checked `Playbook`.
///
/// Every problem is collected with its file:line:column — unknown keys, unknown modules,
/// arguments the module's `ArgumentSpec` rejects, template syntax errors, variables defined
/// nowhere — and thrown together as one `LoadError`, before any host is contacted.
public struct PlaybookLoader {
    /// Variables defined outside the playbook: every inventory host's and group's variables
    /// and the extra vars. Used to tell a variable that is defined nowhere.
    public var knownVariables: Set<String>
    /// Finds a module by task key (`copy`, `ansible.builtin.copy`, an alias).
    public var moduleLookup: (String) -> (any Module.Type)?
    /// Extra directories roles are looked up in, after `<playbook dir>/roles` and the playbook
    /// directory (Ansible's `roles_path`).
    public var rolesPath: [String]
    /// `--strict`: the before-run warnings (variables not visibly defined, modules provision
    /// does not implement, …) are load errors.
    public var strict = false

    /// `rolesPath` defaults to `PROVISION_ROLES_PATH`, a colon-separated list like
    /// `ANSIBLE_ROLES_PATH`.
    public init(knownVariables: Set<String> = [],
                moduleLookup: @escaping (String) -> (any Module.Type)? = ModuleRegistry.lookup,
                rolesPath: [String] = PlaybookLoader.environmentRolesPath()) {
        self.knownVariables = knownVariables
        self.moduleLookup = moduleLookup
        self.rolesPath = rolesPath
    }

    /// `PROVISION_ROLES_PATH`, then `ANSIBLE_ROLES_PATH` (colon-separated, empty entries
    /// dropped, `~` expanded), then Ansible's default roles path: `~/.ansible/roles`,
    /// `/usr/share/ansible/roles`, `/etc/ansible/roles`.
    public static func environmentRolesPath(_ env: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        func split(_ s: String?) -> [String] {
            (s ?? "").split(separator: ":").map { (String($0) as NSString).expandingTildeInPath }
        }
        let defaults = ["~/.ansible/roles", "/usr/share/ansible/roles", "/etc/ansible/roles"]
        let all = split(env["PROVISION_ROLES_PATH"]) + split(env["ANSIBLE_ROLES_PATH"])
            + defaults.map { ($0 as NSString).expandingTildeInPath }
        var seen = Set<String>()
        return all.filter { seen.insert($0).inserted }
    }

    /// Loads and checks the playbook at `path`.
    public func load(_ path: String) throws -> Playbook {
        let reader = PlaybookReader(loader: self)
        reader.includeStack = [PlaybookReader.resolve(path, relativeTo: "")]
        guard FileManager.default.fileExists(atPath: path) else {
            throw LoadError(Diagnostic("playbook not found", at: SourceLocation(file: path),
                                       hint: "give the path of a playbook file, e.g. playbooks/site.yml"))
        }
        let root = try YAMLFile.load(path)
        var playbook = reader.readPlaybook(root, file: path)
        reader.checkVariables(playbook)
        try reader.finish(strict: strict)
        playbook.warnings = reader.sortedWarnings
        return playbook
    }

    /// Parses playbook text; `file` names it in diagnostics and anchors relative paths.
    public func parse(_ text: String, file: String) throws -> Playbook {
        let reader = PlaybookReader(loader: self)
        let root = try YAMLFile.parse(text, file: file)
        var playbook = reader.readPlaybook(root, file: file)
        reader.checkVariables(playbook)
        try reader.finish(strict: strict)
        playbook.warnings = reader.sortedWarnings
        return playbook
    }
}

/// The state of one load: the diagnostics so far and the chain of included files.
final class PlaybookReader {
    let loader: PlaybookLoader
    var diagnostics = DiagnosticCollector()
    /// What looks wrong but may not be (Ansible would load it): shown before the run.
    var warnings = DiagnosticCollector()
    /// Plays holding a dynamic include (a task file known only at run time): the variables
    /// it may set are unknown, so the play's undefined-variable warnings are off.
    var dynamicPlays = Set<String>()
    /// The play being read (its location), for `dynamicPlays`.
    var currentPlay: String?
    /// Task files being read, outermost first (an include cycle is an error, not a hang).
    var includeStack: [String] = []
    /// Handlers that roles included by a literal `include_role` bring (for the notify check:
    /// they join the play at run time).
    var previewedHandlers: [Task] = []
    /// Reading the tasks of a dynamic include: an old `include:` in them is dynamic too.
    var insideDynamicInclude = false
    /// Roles of the play being read; see `RoleState`.
    var roles = RoleState()
    /// Variables `include_vars` files can define (read at load time), for the undefined check.
    var includedVariables = Set<String>()
    /// Plays holding an `include_vars` whose file could not be known at load time: their
    /// undefined-variable check is off (see `readIncludeVarsKeys`).
    var uncheckedPlays = Set<String>()

    init(loader: PlaybookLoader) { self.loader = loader }

    /// Throws everything collected, in file order; `strict`: warnings too.
    func finish(strict: Bool = false) throws {
        var all = diagnostics.diagnostics
        if strict { all += warnings.diagnostics }
        guard !all.isEmpty else { return }
        throw LoadError(Self.inFileOrder(all))
    }

    var sortedWarnings: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return Self.inFileOrder(warnings.diagnostics).filter { seen.insert($0).inserted }
    }

    static func inFileOrder(_ list: [Diagnostic]) -> [Diagnostic] {
        list.enumerated().sorted { a, b in
            let x = a.element.location, y = b.element.location
            if x.file != y.file { return a.offset < b.offset }
            if x.line != y.line { return x.line < y.line }
            if x.column != y.column { return x.column < y.column }
            return a.offset < b.offset
        }.map(\.element)
    }

    func warn(_ message: String, _ location: SourceLocation, hint: String? = nil) {
        warnings.add(message, at: location, hint: hint)
    }

    static let playKeys: Set<String> = Set<String>([
        "name", "hosts", "become", "become_user", "vars", "vars_files", "gather_facts", "serial",
        "max_fail_percentage", "any_errors_fatal", "tasks", "handlers", "pre_tasks", "post_tasks", "tags",
        "roles", "remote_user", "strategy", "order", "vars_prompt", "gather_subset", "gather_timeout",
        "force_handlers", "fact_path", "connection", "port",
    ]).union(playInheritedKeys)
    /// Play keywords that apply to every task of the play.
    static let playInheritedKeys: Set<String> = [
        "environment", "ignore_errors", "ignore_unreachable", "no_log", "check_mode", "module_defaults",
        "collections", "throttle", "diff", "run_once", "become_method", "become_flags", "debugger", "timeout",
    ]

    func error(_ message: String, _ location: SourceLocation, hint: String? = nil) {
        diagnostics.add(message, at: location, hint: hint)
    }

    func location(_ node: Node, _ file: String) -> SourceLocation { YAMLFile.location(of: node, in: file) }

    func value(_ node: Node, _ file: String) -> Value {
        do { return try YAMLFile.value(of: node, file: file) } catch let e as LoadError {
            e.diagnostics.forEach { diagnostics.add($0) }
        } catch {
            self.error("\(error)", location(node, file))
        }
        return .null
    }

    func readPlaybook(_ root: Node?, file: String) -> Playbook {
        guard let root else {
            error("the playbook is empty", SourceLocation(file: file), hint: "a playbook is a list of plays, each with 'hosts' and 'tasks'")
            return Playbook(path: file, plays: [])
        }
        if case .null = value(root, file) {
            error("the playbook is empty", SourceLocation(file: file), hint: "a playbook is a list of plays, each with 'hosts' and 'tasks'")
            return Playbook(path: file, plays: [])
        }
        guard let seq = root.sequence else {
            error("a playbook must be a list of plays", location(root, file),
                  hint: "start each play with '- hosts: PATTERN'")
            return Playbook(path: file, plays: [])
        }
        var plays: [Play] = []
        for node in seq {
            if let map = node.mapping, let imported = readImport(map, node: node, file: file) {
                plays += imported
            } else if let play = readPlay(node, file: file) {
                plays.append(play)
            }
        }
        return Playbook(path: file, plays: plays)
    }

    func readPlay(_ node: Node, file: String) -> Play? {
        guard let map = node.mapping else {
            error("a play must be a mapping with 'hosts' and 'tasks'", location(node, file))
            return nil
        }
        var play = Play(name: "", hosts: "", location: location(node, file))
        currentPlay = play.location.description
        var hostsSeen = false
        let savedRoles = roles
        roles = RoleState()
        roles.playDirectory = PlaybookExecutor.absolute(Self.directory(of: file))
        defer { roles = savedRoles }
        let inheritedEntries: [(key: String, keyNode: Node, value: Node)] = map.compactMap { k, v in
            guard let key = k.scalar?.string, Self.playInheritedKeys.contains(key) else { return nil }
            return (key, k, v)
        }
        let inherited = readInherited(inheritedEntries, file: file, parent: Inherited())
        for (k, v) in map {
            guard let key = k.scalar?.string else { error("a play key must be a string", location(k, file)); continue }
            let at = location(v, file)
            switch key {
            case "name": play.name = value(v, file).renderedString
            case "hosts":
                hostsSeen = true
                switch value(v, file) {
                case .string(let s) where !s.isEmpty: play.hosts = s
                case .list(let items) where !items.isEmpty: play.hosts = items.map(\.renderedString).joined(separator: ":")
                default: error("'hosts' must be a host pattern (e.g. all, workers, 'red0*:!red03')", at)
                }
            case _ where Self.playTemplatable.contains(key) && templateOf(v, file) != nil:
                play.templatedKeywords[key] = templateOf(v, file)
            case "become": play.become = bool(v, file, key)
            case "become_user": play.becomeUser = string(v, file, key)
            case "order":
                let o = string(v, file, key) ?? "inventory"
                if PlayOrder(rawValue: o) == nil {
                    error("'order' must be one of: " + PlayOrder.allCases.map(\.rawValue).joined(separator: ", "), at)
                } else { play.order = PlayOrder(rawValue: o) ?? .inventory }
            case "vars_prompt": play.varsPrompt = readVarsPrompt(v, file: file)
            case "gather_subset", "gather_timeout", "fact_path": play.gatherArguments[key] = value(v, file)
            case "force_handlers": play.forceHandlers = bool(v, file, key) ?? false
            case "connection":
                // The inventory decides how each host is reached; a play may only say what
                // that already is: ssh, or local for the controller itself.
                let c = string(v, file, key) ?? ""
                if ["local", "ansible.builtin.local"].contains(c) {
                    play.connectionLocal = true
                } else if !["ssh", "smart", "paramiko", "ansible.builtin.ssh"].contains(c) {
                    error("connection '\(c)' is not supported (ssh and local are)", at)
                }
            case "port": error("a play-level 'port' is not supported: set ansible_port in the inventory", at)
            case "vars": play.vars = dict(v, file, key) ?? [:]
            case "vars_files":
                let entries = readVarsFiles(v, file: file)
                play.varsFilesVars = [:]
                for case .loaded(let vars) in entries { play.varsFilesVars.merge(vars) { _, new in new } }
                if entries.contains(where: { if case .templated = $0 { return true } else { return false } }) {
                    play.varsFilesEntries = entries
                }
            case "gather_facts": play.gatherFacts = bool(v, file, key) ?? true
            case "serial": play.serial = readSerial(v, file: file)
            case "max_fail_percentage":
                switch value(v, file) {
                case .int(let i): play.maxFailPercentage = Double(i)
                case .string(let s) where Double(s.replacingOccurrences(of: "%", with: "")) != nil:
                    play.maxFailPercentage = Double(s.replacingOccurrences(of: "%", with: ""))
                default: error("'max_fail_percentage' must be a number from 0 to 100", at)
                }
            case "any_errors_fatal": play.anyErrorsFatal = bool(v, file, key) ?? false
            case "tags": play.tags = stringList(v, file, key)
            case "tasks": play.tasks = readTaskList(v, file: file, inherited: inherited, section: key)
            case "pre_tasks": play.preTasks = readTaskList(v, file: file, inherited: inherited, section: key)
            case "post_tasks": play.postTasks = readTaskList(v, file: file, inherited: inherited, section: key)
            case "roles": play.roles = readPlayRoles(v, file: file, inherited: inherited)
            case "remote_user":
                play.remoteUser = string(v, file, key)
                play.remoteUserLocation = at
            case "strategy":
                // Only the linear strategy exists here: each task ends on every host first.
                let s = string(v, file, key)
                if let s, s != "linear", !s.hasSuffix(".linear") {
                    error("strategy '\(s)' is not supported", at,
                          hint: "only 'linear' is: each task ends on every host of the batch before the next starts")
                }
            case _ where Self.playInheritedKeys.contains(key): break
            case "handlers":
                play.handlers = TaskNode.handlers(readTaskList(v, file: file, inherited: inherited, section: key, handlers: true))
            default:
                let hint: String
                if let s = Self.closest(key, in: Self.playKeys) { hint = "did you mean '\(s)'?" }
                else { hint = "a play accepts: " + Self.playKeys.sorted().joined(separator: ", ") }
                error("unknown play key '\(key)'", location(k, file), hint: hint)
            }
        }
        if !hostsSeen { error("this play has no 'hosts'", play.location, hint: "add 'hosts: all' or a group name") }
        // Handlers of roles (play roles and import_role/include_role alike) are the play's,
        // ahead of its own.
        play.handlers = roles.handlers + play.handlers
        play.roleNames = roles.sectionRoleNames + roles.importedRoleNames
        play.dependentRoleNames = roles.dependencyRoleNames.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        if roles.unknownIncludeVars { uncheckedPlays.insert(play.location.description) }
        // Tags on the play apply to every task in it.
        if !play.tags.isEmpty {
            func tag(_ nodes: [TaskNode]) -> [TaskNode] { nodes.map { $0.addingTags(play.tags) } }
            play.preTasks = tag(play.preTasks)
            play.roles = tag(play.roles)
            play.tasks = tag(play.tasks)
            play.postTasks = tag(play.postTasks)
        }
        return play
    }

    /// `vars_files`: each entry a path (looked up in the playbook's `vars/`, then beside the
    /// playbook, as Ansible's search), or a list of paths of which the first that exists is
    /// read (Ansible's first-found form). Entries holding a template are kept for the run
    /// (decided per host); literal ones are read now. Empty and comment-only files define nothing.
    func readVarsFiles(_ node: Node, file: String) -> [VarsFilesEntry] {
        var out: [VarsFilesEntry] = []
        let entries = node.sequence.map(Array.init) ?? [node]
        let dir = Self.directory(of: file)
        for entry in entries {
            let alternatives: [Node] = entry.sequence.map(Array.init) ?? [entry]
            var candidates: [(rel: String, paths: [String])] = []
            for alt in alternatives {
                guard let rel = alt.scalar?.string, !rel.isEmpty else {
                    error("'vars_files' must list file paths (or lists of paths, the first found is read)", location(alt, file))
                    continue
                }
                candidates.append((rel, VarsFilesEntry.searchPaths(rel, directory: dir)))
            }
            if candidates.contains(where: { Templating.containsTemplate($0.rel) }) {
                out.append(.templated(candidates: candidates.map(\.rel), location: location(entry, file), directory: dir))
                continue
            }
            let fm = FileManager.default
            guard let path = candidates.flatMap(\.paths).first(where: { fm.fileExists(atPath: $0) }) else {
                if !candidates.isEmpty {
                    error("vars file not found: " + candidates.map(\.rel).joined(separator: ", ") + "; looked in: "
                          + candidates.flatMap(\.paths).joined(separator: ", "), location(entry, file),
                          hint: "paths are relative to the playbook's vars/ or its directory")
                }
                continue
            }
            out.append(.loaded(readVarsFile(path, at: location(entry, file))))
        }
        return out
    }

    /// A vars file's variables: a mapping; empty, `---`-only or comment-only files give none.
    func readVarsFile(_ path: String, at: SourceLocation) -> [String: Value] {
        guard let root = loadYAML(path, at: at) else { return [:] }
        if case .null = value(root, path) { return [:] }
        guard root.mapping != nil else {
            error("a vars file must be a mapping of variable names to values", location(root, path))
            return [:]
        }
        return dict(root, path, "vars file") ?? [:]
    }

    func readSerial(_ node: Node, file: String) -> [BatchSize] {
        func one(_ v: Value, _ at: SourceLocation) -> BatchSize? {
            switch v {
            case .int(let n) where n > 0: return .count(n)
            case .string(let s) where s.hasSuffix("%"):
                if let p = Double(s.dropLast()), p > 0, p <= 100 { return .percent(p) }
            case .string(let s): if let n = Int(s), n > 0 { return .count(n) }
            default: break
            }
            error("'serial' must be a positive number of hosts or a percentage such as '30%'", at)
            return nil
        }
        if let seq = node.sequence { return seq.compactMap { one(value($0, file), location($0, file)) } }
        return one(value(node, file), location(node, file)).map { [$0] } ?? []
    }

    /// `rel` against the directory of `file` (absolute paths unchanged).
    static func resolve(_ rel: String, relativeTo file: String) -> String {
        if rel.hasPrefix("/") { return rel }
        let dir = (file as NSString).deletingLastPathComponent
        return dir.isEmpty ? rel : (dir as NSString).appendingPathComponent(rel)
    }

    /// The candidate closest to `word` by edit distance, when close enough to suggest.
    static func closest<S: Sequence>(_ word: String, in candidates: S) -> String? where S.Element == String {
        Spelling.closest(to: word, in: candidates, within: Spelling.defaultLimit(for: word))
    }
}
