import Foundation

extension InventoryLoader {
    /// Finds cycles in the group graph (an error at the child reference that closes one).
    /// Iterative: a `children:` chain 100,000 groups deep must not exhaust the stack.
    func checkGroupGraph(_ draft: inout InventoryDraft) {
        var state: [String: Int] = [:]  // 1: on the current path, 2: done
        var path: [String] = []
        var position: [String: Int] = [:]  // index of a group on `path`
        for root in draft.groupOrder where state[root] == nil {
            // Each frame: a group and the index of its next child to look at.
            var frames: [(group: String, next: Int)] = [(root, 0)]
            state[root] = 1
            position[root] = path.count
            path.append(root)
            while let top = frames.last {
                let children = draft.groups[top.group]?.children ?? []
                guard top.next < children.count else {
                    frames.removeLast()
                    path.removeLast()
                    position[top.group] = nil
                    state[top.group] = 2
                    continue
                }
                frames[frames.count - 1].next += 1
                let child = children[top.next]
                if state[child] == 1 {
                    let start = position[child] ?? 0
                    let cycle = (path[start...] + [child]).joined(separator: " → ")
                    let loc = draft.groups[top.group]?.childLocations[child] ?? SourceLocation(file: draft.file)
                    draft.diagnostics.add("group '\(child)' is its own ancestor (\(cycle))", at: loc,
                                          hint: "remove '\(child)' from the children of '\(top.group)'")
                } else if state[child] == nil {
                    state[child] = 1
                    position[child] = path.count
                    path.append(child)
                    frames.append((child, 0))
                }
            }
        }
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
            vars.merge(g.playbookVars)
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
            // Ansible's precedence (VARIABLE_PRECEDENCE): inventory group vars (by depth) <
            // inventory group_vars/all < playbook group_vars/all < inventory group_vars of the
            // other groups (by depth) < the playbook's < inventory host vars < inventory
            // host_vars < playbook host_vars. `sorted` starts with `all` (depth 0).
            var layers: [VarLayer] = sorted.compactMap { draft.groups[$0]?.vars }
            layers += sorted.compactMap { draft.groups[$0]?.fileVars }.prefix(1)
            layers += sorted.compactMap { draft.groups[$0]?.playbookVars }.prefix(1)
            layers += sorted.compactMap { draft.groups[$0]?.fileVars }.dropFirst()
            layers += sorted.compactMap { draft.groups[$0]?.playbookVars }.dropFirst()
            layers += [h.vars, h.fileVars, h.playbookVars]
            var merged = VarLayer()
            var conn: [ConnectionKey: Value] = [:]
            for layer in layers {
                merged.merge(layer)
                for (k, v) in layer.connectionValues { conn[k] = v }
            }
            renderTemplates(in: &conn, host: name, groups: sorted, vars: merged, diagnostics: &draft.diagnostics,
                            fallback: h.location)
            refuseControlCharacters(in: conn, host: name, vars: merged, diagnostics: &draft.diagnostics,
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

    /// An address, user or port holding a control character (NUL, newline, ESC) would connect
    /// somewhere else than written (a NUL cuts the C string) or write a second line into
    /// known_hosts: refused at the setting, as Ansible's connection would fail on it.
    func refuseControlCharacters(in conn: [ConnectionKey: Value], host: String, vars: VarLayer,
                                 diagnostics: inout DiagnosticCollector, fallback: SourceLocation) {
        let address = conn[.address].flatMap { $0.isNull ? nil : $0.renderedString }
        for (key, noun, text) in [(ConnectionKey.address, "address", address ?? host),
                                  (.user, "user", conn[.user].flatMap { $0.isNull ? nil : $0.renderedString }),
                                  (.port, "port", conn[.port].flatMap { $0.isNull ? nil : $0.renderedString })] {
            guard let text, let bad = text.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) else { continue }
            let spelled = vars.values.keys.sorted().first { ConnectionKey.named($0) == key }
            let what = key == .address && address == nil ? "name (used as its address)" : noun
            diagnostics.add("host '\(TerminalSafe.escape(host))': its \(what) contains the control character "
                            + "U+\(String(format: "%04X", bad.value)) (\(TerminalSafe.escape(text)))",
                            at: spelled.flatMap { vars.locations[$0] } ?? fallback,
                            hint: "remove the control character: an \(noun) is plain text on one line")
        }
    }

    static let implicitLocalhost = "localhost"

    /// Ansible's implicit localhost: the controller, reached without SSH, in no group, with the
    /// variables of `all` (its own connection settings win over theirs).
    func implicitLocalhost(_ draft: InventoryDraft) -> InventoryHost {
        var merged = VarLayer()
        var conn: [ConnectionKey: Value] = [:]
        for layer in [draft.groups["all"]?.vars, draft.groups["all"]?.fileVars,
                      draft.groups["all"]?.playbookVars].compactMap({ $0 }) {
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

    /// Longest path from `all` to each group (the graph is acyclic here); groups `all` does
    /// not reach count from 1. Linear: groups in topological order, each edge relaxed once.
    func depths(_ draft: InventoryDraft) -> [String: Int] {
        var indegree: [String: Int] = [:]
        for g in draft.groupOrder { for c in draft.groups[g]?.children ?? [] { indegree[c, default: 0] += 1 } }
        var ready = draft.groupOrder.filter { (indegree[$0] ?? 0) == 0 }
        // `all` first, so what it reaches is measured from it.
        if let i = ready.firstIndex(of: "all") { ready.swapAt(0, i) }
        ready.reverse()
        var depth: [String: Int] = ["all": 0]
        while let g = ready.popLast() {
            let d = depth[g] ?? 1
            depth[g] = d
            for c in draft.groups[g]?.children ?? [] {
                depth[c] = max(depth[c] ?? 0, d + 1)
                indegree[c, default: 1] -= 1
                if indegree[c] == 0 { ready.append(c) }
            }
        }
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
