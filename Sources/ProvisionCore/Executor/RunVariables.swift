import Foundation

/// Run-wide variable sources: extra vars, the inventory as it stands now (`add_host` and
/// `group_by` change it during the run), and every host's state for `hostvars`.
///
/// Read from every host's queue and changed by tasks on them, so the inventory is behind a lock.
final class RunVariables: @unchecked Sendable {
    let extraVars: [String: Value]
    let playbookDirectory: String
    let inventoryDirectory: String
    let checkMode: Bool
    let diffMode: Bool
    /// Magic variables fixed for the whole run (`ansible_version`, `ansible_run_tags`, …).
    let constants: [String: Value]
    private let lock = NSLock()
    private var _inventory: Inventory {
        didSet { _groups = nil }
    }
    private var _states: [String: HostState]
    /// `groups` as a value, built once per inventory change (templates read it often).
    private var _groups: Value?

    init(extraVars: [String: Value], inventory: Inventory, hosts: [HostState],
         playbookDirectory: String, inventoryDirectory: String, checkMode: Bool, diffMode: Bool,
         constants: [String: Value] = [:]) {
        self.extraVars = extraVars
        self.constants = constants
        self._inventory = inventory
        var s: [String: HostState] = [:]
        for h in hosts { s[h.name] = h }
        self._states = s
        self.playbookDirectory = playbookDirectory
        self.inventoryDirectory = inventoryDirectory
        self.checkMode = checkMode
        self.diffMode = diffMode
    }

    /// The inventory with the run's changes so far.
    var inventory: Inventory { lock.withLock { _inventory } }
    /// Every host's state, by name (hosts `add_host` created included).
    var states: [String: HostState] { lock.withLock { _states } }
    var hostOrder: [String] { inventory.everyHost.map(\.name) }

    /// `groups`: group name → host names, inventory order, as the inventory stands now.
    var groups: Value {
        lock.withLock {
            if let g = _groups { return g }
            let inv = _inventory
            let pairs: [(String, Value)] = inv.groups.map { g in (g.name, .list(inv.hosts(inGroup: g.name).map { .string($0.name) })) }
            _groups = .dict(ValueDict(pairs))
            return _groups ?? .null
        }
    }

    /// The inventory's groups and hosts, for modules that declare `.inventory`.
    func inventoryView() -> InventoryView {
        let inv = inventory
        var groups: [String: [String]] = [:]
        for g in inv.groups { groups[g.name] = inv.hosts(inGroup: g.name).map(\.name) }
        return InventoryView(hosts: inv.hosts.map(\.name), groups: groups)
    }

    /// Applies `add_host`: the host (created when new) joins the groups and gets the
    /// variables. True when the inventory changed.
    func addHost(_ h: AddedHost) -> Bool {
        lock.withLock {
            let (inv, changed) = _inventory.adding(host: h.name, groups: h.groups, vars: h.vars)
            _inventory = inv
            added.append(h)
            if let state = _states[h.name] {
                state.join(inv.host(named: h.name)?.groups ?? [])
                state.addInventoryVars(h.vars)
            } else if let ih = inv.host(named: h.name) {
                _states[h.name] = HostState(name: h.name, groups: ih.groups, inventoryVars: ih.vars)
            }
            return changed
        }
    }

    /// `add_host` calls so far, replayed on a refreshed inventory as Ansible keeps their hosts.
    private var added: [AddedHost] = []

    /// `meta: refresh_inventory`: `fresh` (the sources read again) becomes the inventory, with
    /// the hosts and groups `add_host` made replayed on it, as ansible-playbook 2.14 keeps
    /// them. Known hosts get their new groups and variables; new ones get a state.
    func refresh(with fresh: Inventory) {
        lock.withLock {
            var inv = fresh
            for h in added { inv = inv.adding(host: h.name, groups: h.groups, vars: h.vars).0 }
            let addedVars = Dictionary(added.map { ($0.name, $0.vars) }) { a, b in a.merging(b) { _, n in n } }
            for ih in inv.everyHost {
                if let state = _states[ih.name] {
                    state.refreshInventory(groups: ih.groups, vars: ih.vars, keepingVars: addedVars[ih.name] ?? [:])
                } else {
                    _states[ih.name] = HostState(name: ih.name, groups: ih.groups, inventoryVars: ih.vars)
                }
            }
            _inventory = inv
        }
    }

    /// Applies `group_by`: `host` joins `group` (created under `parents` when new).
    func join(_ host: String, group: String, parents: [String]) -> Bool {
        lock.withLock {
            let (inv, changed) = _inventory.adding(host: host, groups: [group], vars: [:], parents: parents)
            _inventory = inv
            _states[host]?.join(inv.host(named: host)?.groups ?? [])
            return changed
        }
    }

    /// `hostvars`: each host's variables as its own tasks would see them, built on demand.
    func hostvars(play: PlayVariables) -> any LazyMapping {
        ClosureMapping(keys: { [self] in hostOrder }, member: { [self] name in
            guard let state = states[name] else { return nil }
            // Ansible's hostvars hold a host's inventory vars, facts and set_fact values, not
            // the current play's vars.
            var hostOnly = play
            hostOnly.vars = [:]
            hostOnly.varsFilesVars = [:]
            hostOnly.hostOnly = true
            let scope = HostScope(run: self, host: state, play: hostOnly)
            let keys = Array(Set(scope.flattened().keys)).sorted()
            return .mapping(ClosureMapping(keys: { keys }, member: { scope.lookup($0) }))
        })
    }
}

/// The inventory as a module that declares `.inventory` sees it: host names in inventory
/// order and each group's hosts (descendants included), with the run's changes so far.
public struct InventoryView: Sendable {
    public var hosts: [String]
    public var groups: [String: [String]]
}

extension RunVariables {
    /// The ansible-core release whose behaviour provision matches and is tested against
    /// (Debian 12's `ansible`): what `ansible_version` reports, so roles that check it
    /// (`ansible_version.full is version('2.10', '>=')`) decide as they do under that release.
    static let ansibleCoreVersion = (major: 2, minor: 14, revision: 18)

    /// The run-wide magic variables Ansible defines, from the run's options.
    static func constants(options: RunOptions, inventoryPath: String, forks: Int) -> [String: Value] {
        let v = ansibleCoreVersion
        let full = "\(v.major).\(v.minor).\(v.revision)"
        let version: ValueDict = ["string": .string(full), "full": .string(full), "major": .int(v.major),
                                  "minor": .int(v.minor), "revision": .int(v.revision)]
        var out: [String: Value] = [
            "ansible_version": .dict(version),
            "ansible_run_tags": .list((options.tags.isEmpty ? ["all"] : options.tags).map(Value.string)),
            "ansible_skip_tags": .list(options.skipTags.map(Value.string)),
            "ansible_verbosity": .int(options.verbosity),
            "ansible_forks": .int(forks),
        ]
        if !inventoryPath.isEmpty {
            out["inventory_file"] = .string(inventoryPath)
            out["ansible_inventory_sources"] = .list([.string(inventoryPath)])
        }
        return out
    }
}
