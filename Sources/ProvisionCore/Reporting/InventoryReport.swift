/// Text for `provision hosts`: the selected hosts with their groups and resolved connection,
/// optionally their merged variables (secrets masked), or the group tree.
public enum InventoryReport {
    /// One line per host: name, address, port, user, connection, groups (without `all`).
    /// `targets` gives the resolved connection (command-line overrides applied).
    public static func table(_ hosts: [InventoryHost], targets: [ConnectionTarget], showVars: Bool) -> String {
        var rows: [[String]] = [["HOST", "ADDRESS", "PORT", "USER", "VIA", "GROUPS"]]
        for (h, t) in zip(hosts, targets) {
            rows.append([h.name, t.address, t.port.map(String.init) ?? "22", t.user ?? "-",
                         h.connection.kind.rawValue,
                         h.groups.filter { $0 != "all" }.joined(separator: ",")])
        }
        var widths = Array(repeating: 0, count: rows[0].count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for (n, row) in rows.enumerated() {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }
            out += line + "\n"
            if showVars, n > 0 {
                let vars = hosts[n - 1].maskedVars
                for key in vars.keys.sorted() {
                    out += "    \(key): \(display(vars[key] ?? .null))\n"
                }
            }
        }
        return out
    }

    /// The group tree as `ansible-inventory --graph` draws it; `showEmptyGroups` keeps groups
    /// without selected hosts (as Ansible shows every group when no pattern narrows it).
    public static func graph(_ inventory: Inventory, hosts: [InventoryHost], showEmptyGroups: Bool = false) -> String {
        let selected = Set(hosts.map(\.name))
        var out = ""
        func prefix(_ depth: Int) -> String {
            depth == 0 ? "" : "  " + String(repeating: "|  ", count: depth - 1) + "|--"
        }
        func visit(_ group: String, _ depth: Int) {
            guard let g = inventory.group(named: group) else { return }
            let members = inventory.hosts(inGroup: group).filter { selected.contains($0.name) }
            if members.isEmpty && group != "all" && !showEmptyGroups { return }
            out += prefix(depth) + "@\(group):\n"
            for c in g.children { visit(c, depth + 1) }
            // Hosts written directly under `all` are drawn under `ungrouped`, as Ansible does.
            for h in g.hosts where group != "all" && selected.contains(h) { out += prefix(depth + 1) + h + "\n" }
        }
        visit("all", 0)
        return out
    }

    static func display(_ v: Value) -> String {
        switch v {
        case .string(let s): return s.isEmpty || s.contains(": ") || s.hasPrefix(" ") ? Value.jsonQuote(s) : s
        case .list, .dict: return v.jsonString
        default: return v.renderedString.lowercased() == "true" || v.renderedString.lowercased() == "false"
            ? v.renderedString.lowercased() : v.renderedString
        }
    }
}
