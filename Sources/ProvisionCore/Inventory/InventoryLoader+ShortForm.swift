import Yams

extension InventoryLoader {
    static let shortFormGroups = ["manager": "managers", "managers": "managers",
                                  "worker": "workers", "workers": "workers"]

    /// True for the short cluster form: no `all`, and a `manager(s)`/`worker(s)` key holding an
    /// address or a list rather than a group mapping.
    func isShortForm(_ map: Node.Mapping) -> Bool {
        var hostKeyWithList = false
        for (k, v) in map {
            guard let key = k.scalar?.string else { continue }
            if key == "all" { return false }
            if Self.shortFormGroups[key] != nil, v.sequence != nil || (v.scalar != nil && !isNull(v)) {
                hostKeyWithList = true
            }
        }
        return hostKeyWithList
    }

    /// Reads `manager: IP` / `managers: [..]` and `worker:`/`workers: [..]` into the groups
    /// `managers` and `workers`. An item is an address (also the host's name), or
    /// `NAME: ADDRESS`, or `NAME: {variables}`.
    func readShortForm(_ map: Node.Mapping, into draft: inout InventoryDraft) {
        let file = draft.file
        for (k, v) in map {
            guard let key = k.scalar?.string else { continue }
            let keyLoc = YAMLFile.location(of: k, in: file)
            if key == "vars" {
                let layer = readVars(v, owner: "group 'all'", file: file, diagnostics: &draft.diagnostics)
                draft.groups["all"]?.vars.merge(layer)
                continue
            }
            guard let group = Self.shortFormGroups[key] else {
                draft.diagnostics.add("unknown key '\(key)' in the short inventory form", at: keyLoc,
                                      hint: "the short form takes manager(s), worker(s) and vars; use 'all:' with 'children:' for other groups")
                continue
            }
            draft.ensureGroup(group, at: keyLoc, parent: "all")
            let items: [Node] = v.sequence.map(Array.init) ?? (isNull(v) ? [] : [v])
            for item in items { readShortFormItem(item, group: group, into: &draft) }
        }
    }

    private func readShortFormItem(_ item: Node, group: String, into draft: inout InventoryDraft) {
        let file = draft.file
        if item.scalar != nil {
            guard let name = scalarKey(item, what: "host address", draft: &draft) else { return }
            addHosts(pattern: name, node: item, vars: VarLayer(), group: group, into: &draft)
            return
        }
        guard let map = item.mapping, map.count == 1, let (k, v) = map.first(where: { _ in true }) else {
            draft.diagnostics.add("a \(group) entry must be an address, or 'NAME: ADDRESS', or 'NAME: {variables}'",
                                  at: YAMLFile.location(of: item, in: file))
            return
        }
        guard let name = scalarKey(k, what: "host name", draft: &draft) else { return }
        var layer = VarLayer()
        if let s = v.scalar, !isNull(v) {
            layer.values["address"] = .string(s.string)
            layer.locations["address"] = YAMLFile.location(of: v, in: file)
        } else if !isNull(v) {
            layer = readVars(v, owner: "host '\(name)'", file: file, diagnostics: &draft.diagnostics)
        }
        addHosts(pattern: name, node: k, vars: layer, group: group, into: &draft)
    }
}
