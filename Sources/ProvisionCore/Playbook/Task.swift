/// One task (or handler) with every keyword it can carry, block keywords already folded in.
///
/// Strings that hold templates stay unrendered: they are rendered per host just before the
/// task runs there.
public struct Task: Sendable {
    public var name: String?
    public var action: TaskAction
    /// Conditions that must all hold (the block's conditions first).
    public var when: [Value]
    public var register: String?
    /// `loop:`/`with_items:` as written (a list, or a template giving one).
    public var loop: Value?
    /// Which `with_*` lookup (or `loop:`) the items come from; decides how they are expanded.
    public var loopKind: LoopKind = .loop
    /// `with_items:` flattens nested lists one level, as Ansible does.
    public var loopFlatten: Bool {
        get { loopKind == .items }
        set { loopKind = newValue ? .items : .loop }
    }
    /// `loop_control.pause`: seconds between items.
    public var loopPause: Double = 0
    /// `loop_control.extended`: `ansible_loop` also gets `allitems`, `previtem`, `nextitem`.
    public var loopExtended: Bool = false
    /// `loop_control.loop_var` (default `item`).
    public var loopVar: String
    /// `loop_control.label`: what the output shows for each item.
    public var loopLabel: Value?
    /// `loop_control.index_var`.
    public var indexVar: String?
    public var notify: [String]
    /// Handler only: extra topics this handler answers to.
    public var listen: [String]
    public var changedWhen: Value?
    public var failedWhen: Value?
    public var ignoreErrors: Bool
    public var ignoreUnreachable: Bool
    public var become: Bool?
    public var becomeUser: String?
    /// `become_method:` as written (`sudo`, `su`, …); checked when a host reaches the task,
    /// since Ansible's inventory variable `ansible_become_method` beats it.
    public var becomeMethod: String?
    public var tags: [String]
    /// `retries` (default 3 once `until` is set).
    public var retries: Int?
    public var delay: Double
    public var until: Value?
    public var runOnce: Bool
    public var delegateTo: String?
    /// `environment:`, a mapping or a template giving one.
    public var environment: Value?
    public var noLog: Bool
    /// `check_mode:` true forces check mode for this task, false runs it for real under --check.
    public var checkMode: Bool?
    /// `vars:` of the task and of its enclosing blocks (inner wins); for a role's task also the
    /// role's `vars/main.yml`, its parameters, `role_name` and `role_path`.
    public var vars: [String: Value]
    /// The role this task comes from (nil for a play's own tasks).
    public var role: RoleInfo?
    /// The role's `defaults/main.yml` (and its dependencies'): below every other variable.
    public var roleDefaults: [String: Value] = [:]
    /// Keywords written as templates (`ignore_errors: "{{ ansible_check_mode }}"`,
    /// `become: "{{ use_sudo }}"`), by keyword: rendered per host when the task runs there
    /// (`Task.resolvingKeywords`), with Ansible's boolean conversion.
    public var templatedKeywords: [String: Value] = [:]
    /// `delegate_facts`: facts set by a delegated task go to the delegate, not the host.
    public var delegateFacts: Bool = false
    /// `async`: seconds the command may run in the background on the host (nil: not async).
    public var asyncSeconds: Int?
    /// `poll`: seconds between status checks of an async task; 0 starts it and moves on.
    public var poll: Int = 15
    /// `diff:` of the task: shows (or hides) content diffs whatever `--diff` says.
    public var diff: Bool?
    /// `throttle`: at most this many hosts run the task at once (nil: `--forks`).
    public var throttle: Int?
    /// `module_defaults` that apply to this task's module, merged below its own arguments
    /// when it runs (keyed by module name or `group/…`, as written).
    public var moduleDefaults: [String: Value] = [:]
    /// An Ansible module provision does not implement (its canonical name): the loader warned;
    /// a host that reaches the task fails, saying so.
    public var unsupportedModule: String?
    /// A handler written as `include_tasks`/`include_role`: notified by its name, it runs the
    /// include (Ansible's dynamic include, read when the handler runs).
    public var handlerInclude: DynamicInclude? {
        get { handlerIncludeBox.first }
        set { handlerIncludeBox = newValue.map { [$0] } ?? [] }
    }
    /// Stored in an array: a Task cannot hold a DynamicInclude (which holds tasks) inline.
    private var handlerIncludeBox: [DynamicInclude] = []
    public var location: SourceLocation
    /// Where each keyword's value starts (`when`, `loop`, `args.dest`, …), for error messages.
    public var fieldLocations: [String: SourceLocation]

    public init(name: String? = nil, action: TaskAction, location: SourceLocation) {
        self.name = name
        self.action = action
        self.when = []
        self.loopVar = "item"
        self.notify = []
        self.listen = []
        self.ignoreErrors = false
        self.ignoreUnreachable = false
        self.tags = []
        self.delay = 5
        self.runOnce = false
        self.noLog = false
        self.vars = [:]
        self.location = location
        self.fieldLocations = [:]
    }

    /// The name shown in output: the task's name, else the module and its arguments.
    /// A role's tasks show as `ROLE : name`, as Ansible prints them.
    public var displayName: String {
        guard let role else { return ownDisplayName }
        return "\(role.name) : \(ownDisplayName)"
    }

    var ownDisplayName: String {
        if let name, !name.isEmpty { return name }
        if noLog { return action.module }
        if case .string(let s)? = action.arguments["_raw_params"] { return "\(action.module) \(s)" }
        return action.module
    }

    /// Arguments passed to the module unrendered because the module evaluates them itself
    /// (`assert: that:` holds conditions, as `when:` does).
    public var unrenderedArguments: Set<String> { action.type.unrenderedArguments }

    /// The location of a keyword's value, else of the task.
    public func location(of field: String) -> SourceLocation { fieldLocations[field] ?? location }
}

/// What a task does: a module and its arguments as written (a mapping, free-form text under
/// `_raw_params`).
public struct TaskAction: @unchecked Sendable {
    /// The module's canonical name (`copy`, also for `ansible.builtin.copy`).
    public var module: String
    /// The key as the user wrote it.
    public var key: String
    public var type: any Module.Type
    public var arguments: [String: Value]

    public init(module: String, key: String, type: any Module.Type, arguments: [String: Value]) {
        self.module = module
        self.key = key
        self.type = type
        self.arguments = arguments
    }
}

/// Where a task's loop items come from: `loop:` or one of Ansible's `with_<lookup>` forms.
public enum LoopKind: String, Sendable, CaseIterable {
    case loop, items, list, dict, fileglob, sequence, nested, subelements, together, flattened
    case indexedItems = "indexed_items", firstFound = "first_found", randomChoice = "random_choice"

    /// The task key that selects this kind (`with_dict`), nil for `loop`.
    public var key: String? { self == .loop ? nil : "with_" + rawValue }

    /// The kind a task key selects (`loop`, `with_items`, …), nil for other keys.
    public static func forKey(_ key: String) -> LoopKind? {
        if key == "loop" { return .loop }
        guard key.hasPrefix("with_") else { return nil }
        var name = String(key.dropFirst(5))
        // `with_community.general.flattened`: a lookup named by its collection.
        for prefix in ["ansible.builtin.", "ansible.legacy.", "community.general."] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
        }
        // community.general's `cartesian` is the product `nested` makes.
        if name == "cartesian", key.hasPrefix("with_community.general.") || key == "with_cartesian" { return .nested }
        guard let kind = LoopKind(rawValue: name), kind != .loop else { return nil }
        // flattened lives in community.general only; the rest are ansible.builtin's.
        if kind == .flattened ? key.hasPrefix("with_ansible.") : key.hasPrefix("with_community.") { return nil }
        return kind
    }
}
