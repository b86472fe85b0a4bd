/// A loaded inventory: hosts in the order the file lists them, groups, and each host's
/// merged variables and connection settings.
///
/// Built only by `InventoryLoader`, which has already checked it: every group a host names
/// exists, the group graph has no cycle, and every host has one address.
public struct Inventory: Sendable {
    /// The inventory file it was read from.
    public var path: String
    /// Every host the file lists, in inventory order (the order of first appearance).
    public private(set) var hosts: [InventoryHost]
    /// Every group, `all` first, then in order of first appearance (`ungrouped` after `all`).
    public private(set) var groups: [InventoryGroup]

    private var hostIndex: [String: Int]
    private var groupIndex: [String: Int]
    /// Host indices (into `hosts`, ascending) of each group, descendants included.
    private var membersByGroup: [String: [Int]]

    init(path: String, hosts: [InventoryHost], groups: [InventoryGroup], implicitLocalhost: InventoryHost? = nil) {
        self.path = path
        self.hosts = hosts
        self.implicitLocalhost = implicitLocalhost
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

    /// Ansible's implicit `localhost` (the controller, no SSH) when the file lists no host of
    /// that name. Only its name selects it; it is in no group, so `all` leaves it out.
    public let implicitLocalhost: InventoryHost?

    /// `hosts`, then the implicit localhost: every host a play, a delegation or `--limit` can
    /// name.
    public var everyHost: [InventoryHost] { implicitLocalhost.map { hosts + [$0] } ?? hosts }

    public func host(named name: String) -> InventoryHost? {
        if let i = hostIndex[name] { return hosts[i] }
        return implicitLocalhost?.name == name ? implicitLocalhost : nil
    }

    /// The host at a position of `everyHost` (a pattern's result).
    public func host(at index: Int) -> InventoryHost {
        index < hosts.count ? hosts[index] : implicitLocalhost ?? hosts[index]
    }
    public func group(named name: String) -> InventoryGroup? { groupIndex[name].map { groups[$0] } }
    /// The position of a host in inventory order.
    public func index(ofHost name: String) -> Int? {
        if let i = hostIndex[name] { return i }
        return implicitLocalhost?.name == name ? hosts.count : nil
    }

    /// Group names in inventory order.
    public var groupNames: [String] { groups.map(\.name) }

    /// The hosts of `group` and of its descendant groups, in inventory order.
    public func hosts(inGroup group: String) -> [InventoryHost] {
        (membersByGroup[group] ?? []).map { hosts[$0] }
    }

    /// Sets one variable of a listed host, e.g. `ansible_user` once the run knows the login
    /// user however it was given (`--user`, the inventory, ansible.cfg).
    public mutating func setVariable(_ name: String, to value: Value, ofHost host: String) {
        guard let i = hostIndex[host] else { return }
        hosts[i].vars[name] = value
    }

    /// Indices into `hosts` of the members of `group` (descendants included), ascending.
    public func hostIndices(inGroup group: String) -> [Int] { membersByGroup[group] ?? [] }
}
