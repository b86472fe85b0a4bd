/// One host of the inventory with everything resolved: its groups, merged variables and how
/// to reach it.
public struct InventoryHost: Sendable, Equatable {
    /// The inventory name (`inventory_hostname`).
    public var name: String
    /// Every group the host belongs to, directly or through a child group, `all` included;
    /// ordered by depth then name (the order its variables were merged in).
    public var groups: [String]
    /// Variables merged with Ansible's precedence: `all` < parent group < child group < host
    /// (inventory-file variables below `group_vars/`/`host_vars/` files at each level).
    /// Secret values are here too: show them only through `maskedVars`.
    public var vars: [String: Value]
    public var connection: HostConnection
    /// Where the host is first defined.
    public var location: SourceLocation
    /// Ansible's implicit `localhost`: present when the inventory does not define it, matched
    /// only by its name (or `127.0.0.1`, `::1`), never by `all`, a group or a wildcard.
    public var isImplicit = false

    public init(name: String, groups: [String], vars: [String: Value], connection: HostConnection,
                location: SourceLocation) {
        self.name = name
        self.groups = groups
        self.vars = vars
        self.connection = connection
        self.location = location
    }

    /// `vars` with every secret replaced by a mask, for display.
    public var maskedVars: [String: Value] {
        var out = vars
        for key in vars.keys where ConnectionKey.isSecret(key) { out[key] = .string("********") }
        return out
    }
}
