extension Inventory {
    /// Ansible's inventory magic variables for `host`: its own (see `InventoryHost`'s
    /// `magicVariables(name:groups:)`), `groups` (every group's hosts in inventory order, `all`
    /// and `ungrouped` included) and `inventory_file`.
    public func magicVariables(for host: InventoryHost) -> [String: Value] {
        var groupsValue: [String: Value] = [:]
        for g in groups { groupsValue[g.name] = .list(hosts(inGroup: g.name).map { .string($0.name) }) }
        var vars = InventoryHost.magicVariables(name: host.name, groups: host.groups)
        vars["groups"] = .dict(groupsValue)
        vars["inventory_file"] = .string(path)
        return vars
    }
}

extension InventoryHost {
    /// The magic variables that depend on the host alone, as Ansible's `Host.get_magic_vars`:
    /// `inventory_hostname`, `inventory_hostname_short` (up to the first dot) and
    /// `group_names` (sorted, without `all`; `ungrouped` stays).
    public static func magicVariables(name: String, groups: [String]) -> [String: Value] {
        let short = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        return [
            "inventory_hostname": .string(name),
            "inventory_hostname_short": .string(short),
            "group_names": .list(groups.filter { $0 != "all" }.sorted().map(Value.string)),
        ]
    }
}
