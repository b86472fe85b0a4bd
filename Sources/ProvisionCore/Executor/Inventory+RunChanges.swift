/// The inventory changes a run makes (`add_host`, `group_by`), as a new `Inventory`.
extension Inventory {
    /// This inventory with `host` (created when new, reached at `ansible_host` or its name) in
    /// `groups` (created when new, under `parents`, default `all`) and `vars` set on it.
    /// Also says whether anything changed.
    func adding(host name: String, groups newGroups: [String], vars: [String: Value],
                parents: [String] = ["all"]) -> (Inventory, Bool) {
        var hosts = self.hosts
        var groups = self.groups
        var changed = false
        for g in newGroups where !groups.contains(where: { $0.name == g }) {
            let ps = parents.filter { p in p == g ? false : groups.contains { $0.name == p } || p == "all" }
            groups.append(InventoryGroup(name: g, parents: ps.isEmpty ? ["all"] : ps, depth: 1))
            for p in ps where p != "all" {
                if let i = groups.firstIndex(where: { $0.name == p }) { groups[i].children.append(g) }
            }
            if let i = groups.firstIndex(where: { $0.name == "all" }), ps.contains("all") || ps.isEmpty {
                groups[i].children.append(g)
            }
            changed = true
        }
        // A group's ancestors, for the host's full group list.
        func ancestors(_ g: String) -> [String] {
            var out: [String] = []
            var queue = [g]
            while let next = queue.popLast() {
                for p in groups.first(where: { $0.name == next })?.parents ?? [] where !out.contains(p) {
                    out.append(p)
                    queue.append(p)
                }
            }
            return out
        }
        var wanted = newGroups
        for g in newGroups { wanted += ancestors(g) }
        if let i = hosts.firstIndex(where: { $0.name == name }) {
            for g in wanted where !hosts[i].groups.contains(g) { hosts[i].groups.append(g); changed = true }
            hosts[i].vars.merge(vars) { _, n in n }
        } else {
            let address = vars["ansible_host"]?.stringValue ?? name
            var conn = implicitLocalhost?.name == name ? (implicitLocalhost?.connection ?? HostConnection(address: address))
                : HostConnection(address: address)
            if case .int(let p)? = vars["ansible_port"] { conn.port = p }
            if vars["ansible_connection"]?.stringValue == "local" { conn.kind = .local }
            if let u = vars["ansible_user"]?.stringValue { conn.user = u }
            var all = ["all"]
            for g in wanted where !all.contains(g) { all.append(g) }
            hosts.append(InventoryHost(name: name, groups: all, vars: vars, connection: conn,
                                       location: SourceLocation(file: "add_host")))
            changed = true
        }
        for g in newGroups {
            if let i = groups.firstIndex(where: { $0.name == g }), !groups[i].hosts.contains(name) { groups[i].hosts.append(name) }
        }
        let implicit = hosts.contains { $0.name == implicitLocalhost?.name } ? nil : implicitLocalhost
        return (Inventory(path: path, hosts: hosts, groups: groups, implicitLocalhost: implicit), changed)
    }
}
