/// Variables as read from one mapping, with where each key was written (for errors).
struct VarLayer: Sendable {
    var values: [String: Value] = [:]
    var locations: [String: SourceLocation] = [:]

    var isEmpty: Bool { values.isEmpty }

    /// Overrides this layer's keys with `other`'s (Ansible's default `hash_behaviour=replace`).
    mutating func merge(_ other: VarLayer) {
        for (k, v) in other.values { values[k] = v }
        for (k, l) in other.locations { locations[k] = l }
    }

    /// The connection settings this layer sets, by canonical key.
    var connectionValues: [ConnectionKey: Value] {
        var out: [ConnectionKey: Value] = [:]
        for (k, v) in values { if let ck = ConnectionKey.named(k) { out[ck] = v } }
        return out
    }
}

/// A group while the inventory is being read.
struct DraftGroup {
    var name: String
    var location: SourceLocation?
    var hosts: [String] = []
    var hostSet: Set<String> = []
    var children: [String] = []
    /// Where each child was named under this group, for cycle errors.
    var childLocations: [String: SourceLocation] = [:]
    var parents: [String] = []
    /// `vars:` from the inventory file.
    var vars = VarLayer()
    /// `group_vars/NAME…` files beside the inventory.
    var fileVars = VarLayer()
    /// `group_vars/NAME…` files beside the playbook (Ansible's play-adjacent vars: above the
    /// inventory-adjacent ones of the same group).
    var playbookVars = VarLayer()
    /// `ansible_group_priority` from the inventory source: among groups of one depth, higher
    /// priorities merge later (win); Ansible's default is 1.
    var priority = 1
}

/// A host while the inventory is being read.
struct DraftHost {
    var name: String
    var location: SourceLocation
    /// Groups that list the host directly, in order.
    var groups: [String] = []
    var vars = VarLayer()
    var fileVars = VarLayer()
    /// `host_vars/NAME…` beside the playbook.
    var playbookVars = VarLayer()
    /// The first address given to the host, and where, to catch a second, different one.
    var address: (value: String, location: SourceLocation)?
    var port: (value: String, location: SourceLocation)?
}

/// The inventory being read: definitions in order of appearance, and every problem found.
struct InventoryDraft {
    var file: String
    var diagnostics = DiagnosticCollector()
    var groupOrder: [String] = ["all", "ungrouped"]
    var groups: [String: DraftGroup] = ["all": DraftGroup(name: "all"), "ungrouped": DraftGroup(name: "ungrouped")]
    var hostOrder: [String] = []
    /// Set once the inventory passed `InventoryLoader.maxTotalHosts`: later hosts are not added.
    var hostLimitReached = false
    var hosts: [String: DraftHost] = [:]

    init(file: String) {
        self.file = file
        groups["all"]?.children = ["ungrouped"]
        groups["ungrouped"]?.parents = ["all"]
    }

    /// Adds a group's inventory variables; `ansible_group_priority` becomes the group's
    /// priority instead of a variable, as Ansible takes it.
    mutating func addGroupVars(_ layer: VarLayer, to group: String) {
        var layer = layer
        if let p = layer.values.removeValue(forKey: "ansible_group_priority") {
            let at = layer.locations.removeValue(forKey: "ansible_group_priority") ?? SourceLocation(file: file)
            if let n = Int(p.renderedString) {
                groups[group]?.priority = n
            } else {
                diagnostics.add("ansible_group_priority of group '\(group)' must be a whole number", at: at)
            }
        }
        groups[group]?.vars.merge(layer)
    }

    /// Creates the group on first mention and links it under `parent`.
    mutating func ensureGroup(_ name: String, at location: SourceLocation?, parent: String?) {
        if groups[name] == nil {
            groups[name] = DraftGroup(name: name, location: location)
            groupOrder.append(name)
        } else if groups[name]?.location == nil, name != "all", name != "ungrouped" {
            groups[name]?.location = location
        }
        guard let parent else { return }
        // `parents` mirrors `children` and stays short, while `all` may have 100,000 children:
        // looking there would make reading quadratic.
        if groups[name]?.parents.contains(parent) == false, groups[parent] != nil {
            groups[parent]?.children.append(name)
            if let location { groups[parent]?.childLocations[name] = location }
            groups[name]?.parents.append(parent)
        }
    }

    /// Adds `name` to `group` with the variables of this mention, checking that it keeps one address.
    mutating func addHost(_ name: String, to group: String, vars: VarLayer, at location: SourceLocation) {
        if hosts[name] == nil {
            hosts[name] = DraftHost(name: name, location: location)
            hostOrder.append(name)
        }
        guard var host = hosts[name] else { return }
        if !host.groups.contains(group) { host.groups.append(group) }
        let conn = vars.connectionValues
        // A host mentioned in several groups keeps one address and one port: the first
        // mention's, and a different value later is an error pointing at both places.
        for (key, noun, hint) in [(ConnectionKey.address, "address", "a host has one address: keep one of the two"),
                                  (ConnectionKey.port, "port", "keep one of the two ports")] {
            guard let value = conn[key]?.renderedString else { continue }
            let spelled = vars.values.keys.first { ConnectionKey.named($0) == key } ?? noun
            let loc = vars.locations[spelled] ?? location
            let first = key == .address ? host.address : host.port
            if let first, first.value != value {
                diagnostics.add("host '\(name)' is given \(noun) '\(value)' here but '\(first.value)' at \(first.location)",
                                at: loc, hint: hint + ", or give the hosts different names")
            } else if first == nil {
                if key == .address { host.address = (value, loc) } else { host.port = (value, loc) }
            }
        }
        host.vars.merge(vars)
        hosts[name] = host
        if groups[group]?.hostSet.contains(name) == false {
            groups[group]?.hosts.append(name)
            groups[group]?.hostSet.insert(name)
        }
    }
}
