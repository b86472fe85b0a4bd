/// Finds the module a task key names: `copy`, an alias (`service` → systemd), either with
/// Ansible's builtin prefixes (`ansible.builtin.copy`, `ansible.legacy.copy`), or
/// `COLLECTION.NAME` for a module that declares its `collection`.
///
/// Adding a module: its file, and one line in `builtins`. What it needs from the run, it
/// declares on its type (see `Module`); the executor reads only that.
///
/// How the executor drives modules:
/// - Load time: `lookup(key)`; a key that `AnsibleModuleNames.resolve` knows but no module
///   here implements is accepted with a warning and fails on the hosts that reach it; any
///   other key is a load error (with `suggestion(for:)`). Then
///   `type.argumentSpec.problems(in: args)` on the unrendered arguments.
/// - Per host: render the arguments (but `unrenderedArguments`), `make(type, arguments:)`,
///   `run(in:)` with the `HostContext` its `requirements` ask for. A thrown `ModuleError` is a
///   task failure; a thrown `TransportError` with `isUnreachable` is an unreachable host.
/// - `supportsCheckMode == false` (command, shell, raw): in check mode these report skipped
///   themselves; a task's `check_mode: false` means run with `checkMode` off.
/// - `result.effects`: applied to the run (variables, inventory, directives).
public enum ModuleRegistry {
    /// Every built-in module.
    public static let builtins: [any Module.Type] = [
        CommandModule.self, ShellModule.self, RawModule.self,
        AptModule.self, PackageModule.self,
        CopyModule.self, TemplateModule.self, FileModule.self,
        LineInFileModule.self, BlockInFileModule.self,
        SystemdModule.self, ServiceModule.self, UserModule.self, GroupModule.self,
        GetURLModule.self, WaitForModule.self, RebootModule.self, StatModule.self, HostnameModule.self, ReplaceModule.self, AuthorizedKeyModule.self,
        SetFactModule.self, DebugModule.self, AssertModule.self, FailModule.self, ValidateArgumentSpecModule.self,
        PauseModule.self, MetaModule.self, SetupModule.self,
        IncludeVarsModule.self, AddHostModule.self, GroupByModule.self,
        SlurpModule.self, FetchModule.self, FindModule.self, TempfileModule.self, IniFileModule.self, GetentModule.self,
        AssembleModule.self, UnarchiveModule.self, SynchronizeModule.self,
        URIModule.self, ScriptModule.self, AsyncStatusModule.self, WaitForConnectionModule.self, KnownHostsModule.self, GitModule.self,
    ] + SystemModules.all + DockerModules.all + CryptoModules.all

    /// The module a play's `gather_facts` runs.
    public static let factGatherer: any Module.Type = SetupModule.self

    static let prefixes = ["ansible.builtin.", "ansible.legacy."]

    private static let table: [String: any Module.Type] = {
        var t: [String: any Module.Type] = [:]
        for m in builtins {
            t[m.name] = m
            for a in m.aliases { t[a] = m }
        }
        return t
    }()

    /// `COLLECTION.NAME` (and aliases) of every module outside `ansible.builtin`.
    private static let qualified: [String: any Module.Type] = {
        var t: [String: any Module.Type] = [:]
        for m in builtins where m.collection != "ansible.builtin" {
            for n in [m.name] + m.aliases { t[m.collection + "." + n] = m }
        }
        return t
    }()

    /// The module for a task key, or nil when no module has that name.
    public static func lookup(_ key: String) -> (any Module.Type)? {
        for p in prefixes where key.hasPrefix(p) {
            let k = String(key.dropFirst(p.count))
            return table[k].flatMap { $0.collection == "ansible.builtin" ? $0 : nil } ?? table[k]
        }
        if let m = table[key] ?? qualified[key] { return m }
        // Ansible's own routing of the name (`community.docker.docker_swarm` for a module that
        // does not declare its collection yet).
        if let canonical = AnsibleModuleNames.resolve(key), let m = qualified[canonical] { return m }
        return nil
    }

    /// Ansible's canonical name for a key no module here implements, nil when no Ansible
    /// collection has it either (then the key is a load error).
    public static func ansibleName(_ key: String, collections: [String] = []) -> String? {
        AnsibleModuleNames.resolve(key, collections: collections)
    }

    /// Every key that names a module, without prefixes (for "did you mean" hints).
    public static var names: [String] { table.keys.sorted() }

    /// The known name closest to `key` by edit distance, when close enough to suggest.
    public static func suggestion(for key: String) -> String? {
        let bare = prefixes.reduce(key) { $0.hasPrefix($1) ? String($0.dropFirst($1.count)) : $0 }
        return Spelling.closest(to: bare, in: names, within: Spelling.defaultLimit(for: bare))
    }

    /// Builds a module from raw task arguments: checks their shape (unknown keys, kinds,
    /// required ones) and then the module's own checks. Throws `ModuleError` listing every
    /// problem; the loader adds file:line:col.
    public static func make(_ type: any Module.Type, arguments raw: [String: Value]) throws -> any Module {
        let problems = type.argumentSpec.problems(in: raw)
        if !problems.isEmpty {
            throw ModuleError(problems.map(\.message).joined(separator: "; "))
        }
        return try type.init(arguments: ModuleArguments(raw, spec: type.argumentSpec))
    }
}
