/// A group as the inventory defines it: its own hosts, child groups and variables.
public struct InventoryGroup: Sendable, Equatable {
    public var name: String
    /// Hosts listed directly under this group, in inventory order.
    public var hosts: [String]
    /// Child groups, in the order written.
    public var children: [String]
    /// Groups that list this one among their children (`all` for top-level groups).
    public var parents: [String]
    /// The group's own variables (inventory `vars:` with `group_vars/` on top).
    public var vars: [String: Value]
    /// Longest path from `all` (0 for `all`): deeper groups' variables win, as in Ansible.
    public var depth: Int
    /// Where the group is first defined; nil for implicit groups (`all`, `ungrouped`).
    public var location: SourceLocation?

    public init(name: String, hosts: [String] = [], children: [String] = [], parents: [String] = [],
                vars: [String: Value] = [:], depth: Int = 0, location: SourceLocation? = nil) {
        self.name = name
        self.hosts = hosts
        self.children = children
        self.parents = parents
        self.vars = vars
        self.depth = depth
        self.location = location
    }
}
