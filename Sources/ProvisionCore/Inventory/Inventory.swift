/// A loaded inventory: hosts in the order the file lists them, groups, and each host's
/// merged variables and connection settings.
///
/// Built only by `InventoryLoader`, which has already checked it: every group a host names
/// exists, the group graph has no cycle, and every host has one address.
public struct Inventory: Sendable {
    /// The inventory file it was read from.
    public var path: String
    /// Every host, in inventory order (the order of first appearance in the file).
    public private(set) var hosts: [InventoryHost]
    /// Every group, `all` first, then in order of first appearance (`ungrouped` after `all`).
    public private(set) var groups: [InventoryGroup]

    private var hostIndex: [String: Int]
    private var groupIndex: [String: Int]
    /// Host indices (into `hosts`, ascending) of each group, descendants included.
    private var membersByGroup: [String: [Int]]

    init(path: String, hosts: [InventoryHost], groups: [InventoryGroup]) {
        self.path = path
        self.hosts = hosts
        self.groups = groups
        var hi: [String: Int] = [:]
        for (i, h) in hosts.enumerated() { hi[h.name] = i }
        var gi: [String: Int] = [:]
        for (i, g) in groups.enumerated() { gi[g.name] = i }
        var members: [String: [Int]] = [:]
        for (i, h) in hosts.enumerated() { for g in h.groups { members[g, default: []].append(i) } }
        hostIndex = hi
        groupIndex = gi
        membersByGroup = members
    }

    public func host(named name: String) -> InventoryHost? { hostIndex[name].map { hosts[$0] } }
    public func group(named name: String) -> InventoryGroup? { groupIndex[name].map { groups[$0] } }
    /// The position of a host in inventory order.
    public func index(ofHost name: String) -> Int? { hostIndex[name] }

    /// Group names in inventory order.
    public var groupNames: [String] { groups.map(\.name) }

    /// The hosts of `group` and of its descendant groups, in inventory order.
    public func hosts(inGroup group: String) -> [InventoryHost] {
        (membersByGroup[group] ?? []).map { hosts[$0] }
    }

    /// Indices into `hosts` of the members of `group` (descendants included), ascending.
    public func hostIndices(inGroup group: String) -> [Int] { membersByGroup[group] ?? [] }
}
