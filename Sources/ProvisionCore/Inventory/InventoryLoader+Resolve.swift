import Foundation

extension InventoryLoader {
    /// Finds cycles in the group graph (an error at the child reference that closes one).
    func checkGroupGraph(_ draft: inout InventoryDraft) {
        var state: [String: Int] = [:]  // 1: on the current path, 2: done
        var path: [String] = []
        func visit(_ g: String) {
            state[g] = 1
            path.append(g)
            for child in draft.groups[g]?.children ?? [] {
                if state[child] == 1 {
                    let cycle = (path.drop { $0 != child } + [child]).joined(separator: " → ")
                    let loc = draft.groups[g]?.childLocations[child] ?? SourceLocation(file: draft.file)
                    draft.diagnostics.add("group '\(child)' is its own ancestor (\(cycle))", at: loc,
                                          hint: "remove '\(child)' from the children of '\(g)'")
                } else if state[child] == nil {
                    visit(child)
                }
            }
            path.removeLast()
            state[g] = 2
        }
        for g in draft.groupOrder where state[g] == nil { visit(g) }
    }

    /// Turns a checked draft into the inventory: depths, memberships, merged variables and
    /// connection settings. A templated connection setting that cannot be rendered is added to
    /// the draft's diagnostics.
    func resolve(_ draft: inout InventoryDraft) -> Inventory {
        // Hosts that no group but `all` lists belong to `ungrouped`, and a host listed as
        // ungrouped (INI lines before any section) that another group lists leaves it, as
        // Ansible's reconciliation does.
        for name in draft.hostOrder {
            let groups = draft.hosts[name]?.groups ?? []
            if groups.allSatisfy({ $0 == "all" }) {
                draft.hosts[name]?.groups.append("ungrouped")
                draft.groups["ungrouped"]?.hosts.append(name)
            } else if groups.contains("ungrouped"), groups.contains(where: { $0 != "all" && $0 != "ungrouped" }) {
                draft.hosts[name]?.groups.removeAll { $0 == "ungrouped" }
                draft.groups["ungrouped"]?.hosts.removeAll { $0 == name }
                draft.groups["ungrouped"]?.hostSet.remove(name)
            }
        }
        let depth = depths(draft)
        var groups: [InventoryGroup] = []
        for name in draft.groupOrder {
            guard let g = draft.groups[name] else { continue }
            var vars = g.vars
            vars.merge(g.fileVars)
            groups.append(InventoryGroup(name: name, hosts: g.hosts, children: g.children, parents: g.parents,
                                         vars: vars.values, depth: depth[name] ?? 0, location: g.location))
        }
        var hosts: [InventoryHost] = []
        hosts.reserveCapacity(draft.hostOrder.count)
        for name in draft.hostOrder {
            guard let h = draft.hosts[name] else { continue }
            // Every ancestor of the groups that list the host, `all` included.
            var member: Set<String> = ["all"]
            var stack = h.groups
            while let g = stack.popLast() {
                if member.insert(g).inserted { stack += draft.groups[g]?.parents ?? [] }
            }
            // Ansible's merge order: depth, then ansible_group_priority, then name.
            let sorted = member.sorted {
                let (da, db) = (depth[$0] ?? 0, depth[$1] ?? 0)
                if da != db { return da < db }
                let (pa, pb) = (draft.groups[$0]?.priority ?? 1, draft.groups[$1]?.priority ?? 1)
                if pa != pb { return pa < pb }
                return $0 < $1
            }
            // Ansible's precedence: inventory group vars (by depth) < group_vars files (by
            // depth) < inventory host vars < host_vars files.
            var layers: [VarLayer] = sorted.compactMap { draft.groups[$0]?.vars }
            layers += sorted.compactMap { draft.groups[$0]?.fileVars }
            layers += [h.vars, h.fileVars]
            var merged = VarLayer()
            var conn: [ConnectionKey: Value] = [:]
            for layer in layers {
                merged.merge(layer)
                for (k, v) in layer.connectionValues { conn[k] = v }
            }
            renderTemplates(in: &conn, host: name, groups: sorted, vars: merged, diagnostics: &draft.diagnostics,
                            fallback: h.location)
            hosts.append(InventoryHost(name: name, groups: sorted, vars: merged.values,
                                       connection: Self.connection(for: name, conn), location: h.location))
        }
        return Inventory(path: draft.file, hosts: hosts, groups: groups,
                         implicitLocalhost: draft.hosts[Self.implicitLocalhost] == nil ? implicitLocalhost(draft) : nil)
    }

    /// Connection settings written as templates (`ansible_host: "{{ inventory_hostname }}.lan"`,
    /// `ansible_user: "{{ cluster_user }}"`), rendered with the host's inventory variables, as
    /// Ansible renders them before it connects. An undefined variable is a load error at the
    /// setting, so nothing connects with a literal `{{ … }}`.
    func renderTemplates(in conn: inout [ConnectionKey: Value], host: String, groups: [String], vars: VarLayer,
                         diagnostics: inout DiagnosticCollector, fallback: SourceLocation) {
        guard conn.values.contains(where: { Templating.containsTemplate($0.stringValue ?? "") }) else { return }
        let scope = LayeredScope([InventoryHost.magicVariables(name: host, groups: groups), vars.values])
        for (key, value) in conn {
            guard let text = value.stringValue, Templating.containsTemplate(text) else { continue }
            do {
                conn[key] = try Templating.render(value, in: scope)
            } catch {
                let spelled = vars.values.keys.sorted().first { ConnectionKey.named($0) == key }
                diagnostics.add("host '\(host)': \(spelled ?? "\(key)") cannot be rendered: \(error)",
                                at: spelled.flatMap { vars.locations[$0] } ?? fallback,
                                hint: "define the variables it uses for this host (inventory vars, group_vars/ or host_vars/)")
            }
        }
    }

    static let implicitLocalhost = "localhost"

    /// Ansible's implicit localhost: the controller, reached without SSH, in no group, with the
    /// variables of `all` (its own connection settings win over theirs).
    func implicitLocalhost(_ draft: InventoryDraft) -> InventoryHost {
        var merged = VarLayer()
        var conn: [ConnectionKey: Value] = [:]
        for layer in [draft.groups["all"]?.vars, draft.groups["all"]?.fileVars].compactMap({ $0 }) {
            merged.merge(layer)
            for (k, v) in layer.connectionValues { conn[k] = v }
        }
        var vars = merged.values
        vars["ansible_connection"] = .string("local")
        vars["ansible_host"] = .string("127.0.0.1")
        conn[.connection] = .string("local")
        conn[.address] = .string("127.0.0.1")
        var host = InventoryHost(name: Self.implicitLocalhost, groups: [], vars: vars,
                                 connection: Self.connection(for: Self.implicitLocalhost, conn),
                                 location: SourceLocation(file: draft.file))
        host.isImplicit = true
        return host
    }

    /// Longest path from `all` to each group (the graph is acyclic here).
    func depths(_ draft: InventoryDraft) -> [String: Int] {
        var depth: [String: Int] = [:]
        func visit(_ g: String, _ d: Int) {
            if let known = depth[g], known >= d { return }
            depth[g] = d
            for c in draft.groups[g]?.children ?? [] { visit(c, d + 1) }
        }
        visit("all", 0)
        for g in draft.groupOrder where depth[g] == nil { visit(g, 1) }
        return depth
    }

    static func connection(for name: String, _ c: [ConnectionKey: Value]) -> HostConnection {
        func text(_ k: ConnectionKey) -> String? {
            guard let v = c[k], !v.isNull else { return nil }
            return v.renderedString
        }
        var conn = HostConnection(address: text(.address) ?? name)
        conn.kind = text(.connection).flatMap(HostConnection.Kind.init(spelling:)) ?? .ssh
        conn.port = text(.port).flatMap { Int($0) }
        conn.user = text(.user)
        conn.identityFile = text(.identityFile)
        conn.password = text(.password).map(Secret.init)
        conn.passwordFile = text(.passwordFile)
        conn.becomePassword = text(.becomePassword).map(Secret.init)
        conn.becomePasswordFile = text(.becomePasswordFile)
        conn.becomeUser = text(.becomeUser)
        conn.becomeMethod = text(.becomeMethod).flatMap(Become.Method.init(rawValue:))
        if let b = c[.become] {
            switch b {
            case .bool(let v): conn.become = v
            case .string(let s): conn.become = ModuleArguments.parseBool(s) ?? false
            default: break
            }
        }
        conn.connectTimeout = text(.connectTimeout).flatMap { Double($0) }
        conn.knownHostsFile = text(.knownHostsFile)
        conn.hostKeyChecking = c[.hostKeyChecking].flatMap(HostConnection.hostKeyChecking)
        return conn
    }
}
