import Foundation

/// The variables a template sees on one host for one task, looked up layer by layer without
/// copying them into one dictionary (highest first):
/// loop variables, extra vars, magic variables, `set_fact`/registered, `include_vars`, task
/// and block vars (with a role's vars and parameters), vars_files, play vars, facts,
/// inventory vars, role defaults.
///
/// Values from the user's own files (vars, inventory, extra vars) may hold templates; they are
/// rendered when read, as Ansible does. Registered results and facts come from hosts and are
/// never rendered again, so a `{{` in a command's output stays text.
struct HostScope: TemplateScope {
    let run: RunVariables
    let host: HostState
    let play: PlayVariables
    var taskVars: [String: Value] = [:]
    var locals: [String: Value] = [:]
    /// The task's role defaults: the lowest layer, as Ansible ranks them.
    var roleDefaults: [String: Value] = [:]
    /// Guards against `a: "{{ b }}"`, `b: "{{ a }}"`; shared by nested renders.
    let depth: DepthBox

    init(run: RunVariables, host: HostState, play: PlayVariables, taskVars: [String: Value] = [:],
         locals: [String: Value] = [:], roleDefaults: [String: Value] = [:]) {
        self.run = run
        self.host = host
        self.play = play
        self.taskVars = taskVars
        self.locals = locals
        self.roleDefaults = roleDefaults
        self.depth = DepthBox()
    }

    func lookup(_ name: String) -> ScopeEntry? {
        switch layer(name) {
        case .hostValue(let v)?: return .value(v)
        case .written(let v)?: return resolve(name, v)
        case .magic(let m)?: return m
        case nil: return nil
        }
    }

    /// Where `name` comes from, by the layer that has it (see `VariableOrigin`). An inventory
    /// variable is `str` from an INI file and `AnsibleUnicode` from YAML, which the merged
    /// inventory layer no longer tells apart: nil. So is a `set_fact` value.
    func origin(of name: String) -> VariableOrigin? {
        if locals[name] != nil { return nil }
        if run.extraVars[name] != nil { return .text }
        if magic(name) != nil { return .text }
        if host.runtimeValue(name) != nil { return host.isRegistered(name) ? .host : nil }
        if let v = host.includedValue(name) ?? taskVars[name] ?? varsFiles[name] ?? play.vars[name] { return .yaml(v) }
        if host.factValue(name) != nil { return .host }
        if host.inventoryVars[name] != nil { return nil }
        return roleDefaults[name].map(VariableOrigin.yaml)
    }

    /// NativeJinjaText: a written definition that is one string-type filter, or one that
    /// names such a variable; a `set_fact` value made that way.
    func holdsNativeText(_ name: String) -> Bool {
        holdsNativeText(name, depth: 0)
    }

    private func holdsNativeText(_ name: String, depth: Int) -> Bool {
        guard depth < 10 else { return false }
        switch layer(name) {
        case .hostValue?: return locals[name] == nil && host.holdsNativeText(name)
        case .written(let v)?:
            if Templating.isNativeTextDefinition(v) { return true }
            guard case .string(let s) = v, let other = (try? Template.compile(s))?.singleVariableName, other != name
            else { return false }
            return holdsNativeText(other, depth: depth + 1)
        case .magic?, nil: return false
        }
    }

    /// Where a variable comes from: a value from a host or the run (never rendered again),
    /// the user's own text (rendered when read), or a magic variable.
    enum Layer {
        case hostValue(Value)
        case written(Value)
        case magic(ScopeEntry)
    }

    /// The first layer that has `name`, highest first: the one order that `lookup` and
    /// `rawDefinition` (secret tracking) both follow.
    func layer(_ name: String) -> Layer? {
        if let v = locals[name] { return .hostValue(v) }
        if let v = run.extraVars[name] { return .written(v) }
        if let m = magic(name) { return .magic(m) }
        if let v = host.runtimeValue(name) { return .hostValue(v) }
        if let v = host.includedValue(name) { return .written(v) }
        if let v = taskVars[name] { return .written(v) }
        if let v = varsFiles[name] { return .written(v) }
        if let v = play.vars[name] { return .written(v) }
        if let v = host.factValue(name) { return .hostValue(v) }
        if let v = host.inventoryVars[name] { return .written(v) }
        if let v = roleDefaults[name] { return .written(v) }
        return nil
    }

    /// The play's vars_files layer: the host's own when the play has templated entries.
    private var varsFiles: [String: Value] {
        play.hostOnly ? [:] : host.playVarsFiles ?? play.varsFilesVars
    }

    private func resolve(_ name: String, _ v: Value) -> ScopeEntry? {
        guard PlaybookReader.hasTemplate(v) else { return .value(v) }
        if depth.value > 20 { return nil }
        depth.value += 1
        defer { depth.value -= 1 }
        do {
            return .value(try Templating.render(v, in: self))
        } catch {
            depth.errors.append("'\(name)': \(error)")
            return nil
        }
    }

    private func magic(_ name: String) -> ScopeEntry? {
        switch name {
        case "inventory_hostname", "inventory_hostname_short", "group_names":
            return InventoryHost.magicVariables(name: host.name, groups: host.groups)[name].map(ScopeEntry.value)
        case "groups": return .value(run.groups)
        case "hostvars": return .mapping(run.hostvars(play: play))
        case "play_hosts", "ansible_play_batch":
            return .value(.list(play.batch.map(Value.string)))
        case "ansible_play_hosts":
            return .value(.list((play.liveHosts ?? play.batch).map(Value.string)))
        case "ansible_play_hosts_all": return .value(.list(play.hosts.map(Value.string)))
        case "ansible_play_name": return .value(.string(play.name))
        // Ansible 2.14: `role_names` is the deprecated name of `ansible_play_role_names`;
        // `ansible_role_names` is both lists without repeats (a set in Ansible: its order is
        // not defined there).
        case "ansible_play_role_names", "role_names": return .value(.list(play.roleNames.map(Value.string)))
        case "ansible_dependent_role_names": return .value(.list(play.dependentRoleNames.map(Value.string)))
        case "ansible_role_names":
            var seen = Set<String>()
            let all = (play.dependentRoleNames + play.roleNames).filter { seen.insert($0).inserted }
            return .value(.list(all.map(Value.string)))
        case "playbook_dir": return .value(.string(run.playbookDirectory))
        case "inventory_dir": return .value(.string(run.inventoryDirectory))
        case "ansible_check_mode": return .value(.bool(run.checkMode))
        case "ansible_diff_mode": return .value(.bool(run.diffMode))
        case "vars":
            // Ansible's `vars['name']`: every variable of this scope, by name.
            let scope = self
            return .mapping(ClosureMapping(keys: { Array(scope.flattened().keys).sorted() },
                                           member: { scope.lookup($0) }))
        // The run-wide ones (`ansible_version`, `ansible_run_tags`, … see RunVariables.constants).
        default: return run.constants[name].map(ScopeEntry.value)
        }
    }

    /// Every variable merged into one dictionary (for `HostContext.vars`), lowest first.
    /// `hostvars` is left out (it is read through templates, member by member).
    func flattened() -> [String: Value] {
        var out = roleDefaults
        out.merge(host.inventoryVars) { _, n in n }
        out.merge(host.facts) { _, n in n }
        out.merge(play.vars) { _, n in n }
        out.merge(varsFiles) { _, n in n }
        out.merge(taskVars) { _, n in n }
        out.merge(host.included) { _, n in n }
        out.merge(host.runtime) { _, n in n }
        for k in ["inventory_hostname", "inventory_hostname_short", "group_names", "groups", "play_hosts",
                  "ansible_play_hosts", "ansible_play_hosts_all", "ansible_play_name", "playbook_dir",
                  "ansible_check_mode", "ansible_diff_mode", "ansible_play_role_names", "role_names",
                  "ansible_dependent_role_names", "ansible_role_names"] + Array(run.constants.keys) {
            if case .value(let v)? = magic(k) { out[k] = v }
        }
        out.merge(run.extraVars) { _, n in n }
        out.merge(locals) { _, n in n }
        return out
    }
}

/// Recursion depth and inner errors of one scope's nested renders (one host's queue only).
final class DepthBox {
    var value = 0
    var errors: [String] = []
}
