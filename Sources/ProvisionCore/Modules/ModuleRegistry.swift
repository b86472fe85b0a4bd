/// Finds the module a task key names: `copy`, an alias (`service` → systemd), or either with
/// Ansible's collection prefix (`ansible.builtin.copy`, `ansible.legacy.copy`).
///
/// How the executor drives modules:
/// - Load time: `lookup(key)` (else `suggestion(for:)` in the error), then
///   `type.argumentSpec.problems(in: args)` on the unrendered arguments.
/// - Per host: render the arguments, `make(type, arguments:)`, `run(in:)`. A thrown
///   `ModuleError` is a task failure; a thrown `TransportError` with `isUnreachable` is an
///   unreachable host.
/// - `supportsCheckMode == false` (command, shell, raw): in check mode these report skipped
///   themselves; a task's `check_mode: false` means run with `checkMode` off.
/// - `result.facts` (`data["ansible_facts"]`, from set_fact and setup): merge into the host's
///   variables. `result.metaAction` (meta): carry out.
/// - assert's `that` and debug's `var` are expressions: pass them unrendered; the modules
///   evaluate them through `HostContext.renderTemplate`.
/// - reboot needs the host's transport to be a `ReconnectableTransport`.
public enum ModuleRegistry {
    /// Every built-in module.
    public static let builtins: [any Module.Type] = [
        CommandModule.self, ShellModule.self, RawModule.self,
        AptModule.self, PackageModule.self,
        CopyModule.self, TemplateModule.self, FileModule.self,
        LineInFileModule.self, BlockInFileModule.self,
        SystemdModule.self, UserModule.self, GroupModule.self,
        GetURLModule.self, WaitForModule.self, RebootModule.self, StatModule.self, HostnameModule.self, ReplaceModule.self, AuthorizedKeyModule.self,
        SetFactModule.self, DebugModule.self, AssertModule.self, FailModule.self,
        PauseModule.self, MetaModule.self, SetupModule.self,
        SlurpModule.self, FetchModule.self, FindModule.self, TempfileModule.self, IniFileModule.self, GetentModule.self,
        AssembleModule.self, UnarchiveModule.self, SynchronizeModule.self,
        URIModule.self, ScriptModule.self, AsyncStatusModule.self, WaitForConnectionModule.self, KnownHostsModule.self, GitModule.self,
    ] + DockerModules.all

    static let prefixes = ["ansible.builtin.", "ansible.legacy."]

    private static let table: [String: any Module.Type] = {
        var t: [String: any Module.Type] = [:]
        for m in builtins {
            t[m.name] = m
            for a in m.aliases { t[a] = m }
        }
        return t
    }()

    /// The module for a task key, or nil when no module has that name.
    public static func lookup(_ key: String) -> (any Module.Type)? {
        var k = key
        for p in prefixes where k.hasPrefix(p) {
            k = String(k.dropFirst(p.count))
            break
        }
        return table[k]
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
