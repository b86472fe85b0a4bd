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

    /// `rolesPath` defaults to `PROVISION_ROLES_PATH`, a colon-separated list like
    /// `ANSIBLE_ROLES_PATH`.
    public init(knownVariables: Set<String> = [],
                moduleLookup: @escaping (String) -> (any Module.Type)? = ModuleRegistry.lookup,
                rolesPath: [String] = PlaybookLoader.environmentRolesPath()) {
        self.knownVariables = knownVariables
        self.moduleLookup = moduleLookup
        self.rolesPath = rolesPath
    }

    /// `PROVISION_ROLES_PATH` split on ':' (empty entries dropped, `~` expanded).
    public static func environmentRolesPath(_ env: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        (env["PROVISION_ROLES_PATH"] ?? "").split(separator: ":").map { (String($0) as NSString).expandingTildeInPath }
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
        let playbook = reader.readPlaybook(root, file: path)
        reader.checkVariables(playbook)
        try reader.finish()
        return playbook
    }

    /// Parses playbook text; `file` names it in diagnostics and anchors relative paths.
    public func parse(_ text: String, file: String) throws -> Playbook {
        let reader = PlaybookReader(loader: self)
        let root = try YAMLFile.parse(text, file: file)
        let playbook = reader.readPlaybook(root, file: file)
        reader.checkVariables(playbook)
        try reader.finish()
        return playbook
    }
}

/// The state of one load: the diagnostics so far and the chain of included files.
final class PlaybookReader {
    let loader: PlaybookLoader
    var diagnostics = DiagnosticCollector()
    /// Task files being read, outermost first (an include cycle is an error, not a hang).
    var includeStack: [String] = []
    /// Roles of the play being read; see `RoleState`.
    var roles = RoleState()
    /// Variables `include_vars` files can define (read at load time), for the undefined check.
    var includedVariables = Set<String>()
    /// Plays holding an `include_vars` whose file could not be known at load time: their
    /// undefined-variable check is off (see `readIncludeVarsKeys`).
    var uncheckedPlays = Set<String>()

    init(loader: PlaybookLoader) { self.loader = loader }

    /// Throws everything collected, in file order.
    func finish() throws {
        guard !diagnostics.isEmpty else { return }
        throw LoadError(diagnostics.diagnostics.enumerated().sorted { a, b in
            let x = a.element.location, y = b.element.location
            if x.file != y.file { return a.offset < b.offset }
            if x.line != y.line { return x.line < y.line }
            if x.column != y.column { return x.column < y.column }
            return a.offset < b.offset
        }.map(\.element))
    }

    static let playKeys: Set<String> = Set<String>([
        "name", "hosts", "become", "become_user", "vars", "vars_files", "gather_facts", "serial",
        "max_fail_percentage", "any_errors_fatal", "tasks", "handlers", "pre_tasks", "post_tasks", "tags",
        "roles", "remote_user", "strategy",
    ]).union(playInheritedKeys)
    /// Play keywords that apply to every task of the play.
    static let playInheritedKeys: Set<String> = ["environment", "ignore_errors", "ignore_unreachable", "no_log", "check_mode"]

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
            case "become": play.become = bool(v, file, key)
            case "become_user": play.becomeUser = string(v, file, key)
            case "vars": play.vars = dict(v, file, key) ?? [:]
            case "vars_files": play.varsFilesVars = readVarsFiles(v, file: file)
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
                play.handlers = readTaskList(v, file: file, inherited: inherited, section: key, handlers: true)
                    .flatMap(\.allTasks)
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

    func readVarsFiles(_ node: Node, file: String) -> [String: Value] {
        var out: [String: Value] = [:]
        let entries = node.sequence.map(Array.init) ?? [node]
        for entry in entries {
            guard let rel = entry.scalar?.string, !rel.isEmpty else {
                error("'vars_files' must list file paths", location(entry, file))
                continue
            }
            if Templating.containsTemplate(rel) {
                error("a templated vars_files path is not supported", location(entry, file),
                      hint: "name the file directly, or load per-host values from inventory host_vars")
                continue
            }
            let path = Self.resolve(rel, relativeTo: file)
            do {
                guard let root = try YAMLFile.load(path) else { continue }
                guard root.mapping != nil else {
                    error("a vars file must be a mapping of variable names to values", location(root, path))
                    continue
                }
                if case .dict(let d) = value(root, path) { out.merge(d) { _, new in new } }
            } catch let e as LoadError {
                for d in e.diagnostics {
                    if d.location.line == 0 { error("cannot read vars file '\(rel)': \(d.message)", location(entry, file)) }
                    else { diagnostics.add(d) }
                }
            } catch {
                self.error("cannot read vars file '\(rel)': \(error)", location(entry, file))
            }
        }
        return out
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
