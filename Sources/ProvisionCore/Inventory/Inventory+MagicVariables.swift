extension Inventory {
    /// Ansible's inventory magic variables for `host`: `inventory_hostname`,
    /// `inventory_hostname_short`, `group_names` (sorted, without `all`), and `groups` (every
    /// group's hosts in inventory order, `all` and `ungrouped` included).
    public func magicVariables(for host: InventoryHost) -> [String: Value] {
        var groupsValue: [String: Value] = [:]
        for g in groups { groupsValue[g.name] = .list(hosts(inGroup: g.name).map { .string($0.name) }) }
        let short = host.name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? host.name
        return [
            "inventory_hostname": .string(host.name),
            "inventory_hostname_short": .string(short),
            "group_names": .list(host.groups.filter { $0 != "all" }.sorted().map { .string($0) }),
            "groups": .dict(groupsValue),
            "inventory_file": .string(path),
        ]
    }
}
