import Foundation
import Yams

/// Reads an inventory in Ansible's YAML layout (`all:` with `hosts`, `children` and `vars` at
/// every level, host ranges such as `red[00:04]`), Ansible's INI format (see `readINI`), or the
/// short cluster form (`manager: IP`, `workers: [IP, …]`), plus `group_vars/` and `host_vars/`
/// beside the file; several sources and directories of them as Ansible merges them.
///
/// Every problem (syntax, duplicate key, unknown or misspelt key, bad range, a host given two
/// addresses, a group cycle) is collected with its file:line:column and thrown together as one
/// `LoadError`, before anything connects.
public struct InventoryLoader: Sendable {
    public init() {}

    /// Loads the inventory at `path` (a file or a directory).
    public func load(_ path: String) throws -> Inventory { try load([path]) }

    /// Parses inventory text (no `group_vars/` lookup); `file` names it in diagnostics.
    public func parse(_ text: String, file: String) throws -> Inventory {
        var draft = InventoryDraft(file: file)
        if let root = try YAMLFile.parse(text, file: file) { read(root, into: &draft) }
        return try finish(&draft)
    }

    /// Links top-level groups to `all`, checks the group graph and resolves the inventory;
    /// throws everything collected so far.
    func finish(_ draft: inout InventoryDraft) throws -> Inventory {
        reconcileTopGroups(&draft)
        checkGroupGraph(&draft)
        try draft.diagnostics.throwIfAny()
        let inventory = resolve(&draft)
        try draft.diagnostics.throwIfAny()
        return inventory
    }

    func read(_ root: Node, into draft: inout InventoryDraft) {
        let file = draft.file
        guard let map = root.mapping else {
            draft.diagnostics.add("an inventory must be a mapping of groups (all:, or manager:/workers:)",
                                  at: YAMLFile.location(of: root, in: file),
                                  hint: "start the file with 'all:' and list hosts under 'hosts:'")
            return
        }
        if let plugin = map.first(where: { $0.key.scalar?.string == "plugin" }) {
            draft.diagnostics.add("inventory plugins ('plugin: \(plugin.value.scalar?.string ?? "")') are not supported",
                                  at: YAMLFile.location(of: plugin.key, in: file),
                                  hint: "list the hosts in an INI or YAML inventory instead")
            return
        }
        if isShortForm(map) {
            readShortForm(map, into: &draft)
            return
        }
        for (k, v) in map {
            guard let name = scalarKey(k, what: "group name", draft: &draft) else { continue }
            // Top-level groups join `all` only when nothing else lists them (reconcileTopGroups),
            // as Ansible's YAML plugin leaves them; `all: children:` names `all` as a parent.
            readGroup(name, v, parent: nil, keyLocation: YAMLFile.location(of: k, in: file),
                      into: &draft)
        }
    }

    func readGroup(_ name: String, _ node: Node, parent: String?, keyLocation: SourceLocation,
                   into draft: inout InventoryDraft) {
        let file = draft.file
        if name == "ungrouped" && parent != "all" && parent != nil {
            draft.diagnostics.add("'ungrouped' is a built-in group and cannot be a child of '\(parent ?? "")'",
                                  at: keyLocation)
            return
        }
        draft.ensureGroup(name, at: name == "all" ? nil : keyLocation, parent: parent)
        if isNull(node) { return }
        guard let map = node.mapping else {
            draft.diagnostics.add("group '\(name)' must be a mapping with 'hosts', 'children' or 'vars'",
                                  at: YAMLFile.location(of: node, in: file),
                                  hint: "write the hosts under '\(name):' as 'hosts:' followed by one 'NAME:' per line")
            return
        }
        for (k, v) in map {
            guard let key = scalarKey(k, what: "key", draft: &draft) else { continue }
            let keyLoc = YAMLFile.location(of: k, in: file)
            switch key {
            case "hosts":
                readHosts(v, group: name, into: &draft)
            case "children":
                if isNull(v) { continue }
                guard let children = v.mapping else {
                    draft.diagnostics.add("'children' of group '\(name)' must be a mapping of group names",
                                          at: YAMLFile.location(of: v, in: file),
                                          hint: "write each child group as 'NAME:' on its own line")
                    continue
                }
                for (ck, cv) in children {
                    guard let child = scalarKey(ck, what: "group name", draft: &draft) else { continue }
                    if child == "all" {
                        draft.diagnostics.add("'all' cannot be a child group", at: YAMLFile.location(of: ck, in: file))
                        continue
                    }
                    readGroup(child, cv, parent: name, keyLocation: YAMLFile.location(of: ck, in: file), into: &draft)
                }
            case "vars":
                let layer = readVars(v, owner: "group '\(name)'", file: file, diagnostics: &draft.diagnostics)
                draft.addGroupVars(layer, to: name)
            default:
                let guess = ["groups", "child", "subgroups"].contains(key) ? "children"
                    : ConnectionKey.closest(to: key, in: ["hosts", "children", "vars"], within: 2)
                let hint = guess.map { "did you mean '\($0)'?" }
                    ?? "a group takes 'hosts', 'children' and 'vars'; put variables under 'vars:'"
                draft.diagnostics.add("unknown key '\(key)' in group '\(name)'", at: keyLoc, hint: hint)
            }
        }
    }

    func readHosts(_ node: Node, group: String, into draft: inout InventoryDraft) {
        let file = draft.file
        if isNull(node) { return }
        if let seq = node.sequence {
            // A list of names is accepted for convenience: `hosts: [a, b]`.
            for item in seq {
                guard let name = scalarKey(item, what: "host name", draft: &draft) else { continue }
                addHosts(pattern: name, node: item, vars: VarLayer(), group: group, into: &draft)
            }
            return
        }
        guard let map = node.mapping else {
            draft.diagnostics.add("'hosts' of group '\(group)' must be a mapping of host names",
                                  at: YAMLFile.location(of: node, in: file),
                                  hint: "write each host as 'NAME:' on its own line, with its variables indented below")
            return
        }
        for (k, v) in map {
            guard let name = scalarKey(k, what: "host name", draft: &draft) else { continue }
            var layer = VarLayer()
            if !isNull(v) {
                if v.mapping == nil {
                    draft.diagnostics.add("host '\(name)' must be followed by a mapping of its variables, or nothing",
                                          at: YAMLFile.location(of: v, in: file),
                                          hint: "to give an address write 'address: \(v.scalar?.string ?? "IP")' on the next line, indented")
                    continue
                }
                layer = readVars(v, owner: "host '\(name)'", file: file, diagnostics: &draft.diagnostics)
            }
            addHosts(pattern: name, node: k, vars: layer, group: group, into: &draft)
        }
    }

    /// Expands a host key (ranges, `name:port`) and adds each host with its variables.
    func addHosts(pattern: String, node: Node, vars: VarLayer, group: String, into draft: inout InventoryDraft) {
        let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
        addHosts(pattern: pattern, location: YAMLFile.location(of: node, in: draft.file), quoted: quoted,
                 vars: vars, group: group, into: &draft)
    }

    /// Expands a host pattern written at `keyLoc` (`quoted`: after an opening quote).
    func addHosts(pattern: String, location keyLoc: SourceLocation, quoted: Bool, vars: VarLayer, group: String,
                  into draft: inout InventoryDraft) {
        var name = pattern
        var layer = vars
        // `host:2222` sets the port, as Ansible's YAML inventory allows (not for IPv6 literals).
        if let colon = name.lastIndex(of: ":"), !Self.hasColonOutsideBrackets(name[..<colon]),
           let port = Int(name[name.index(after: colon)...]) {
            name = String(name[..<colon])
            if layer.connectionValues[.port] == nil {
                layer.values["ansible_port"] = .int(port)
                layer.locations["ansible_port"] = keyLoc
            }
        }
        if draft.hostLimitReached { return }
        let names: [String]
        do {
            names = try HostRange.expand(name)
        } catch let p as HostRange.Problem {
            var loc = keyLoc
            if loc.column > 0 { loc.column += p.offset + (quoted ? 1 : 0) }
            draft.diagnostics.add(p.message, at: loc,
                                  hint: "write ranges as [01:10] (zero-padded), [1:10], [a:f] or [0:10:2] (with a step)")
            return
        } catch {
            return
        }
        for n in names {
            if draft.hostOrder.count >= Self.maxTotalHosts && !draft.hostOrder.isEmpty {
                draft.hostLimitReached = true
                draft.diagnostics.add("the inventory holds more than \(Self.maxTotalHosts) hosts (host ranges included)",
                                      at: keyLoc,
                                      hint: "check the ranges, or raise the limit with PROVISION_MAX_HOSTS=N")
                return
            }
            if n.isEmpty || n.contains(where: { $0 == " " || $0 == "\t" }) {
                draft.diagnostics.add("'\(n)' is not a valid host name", at: keyLoc,
                                      hint: "host names contain no spaces; give the address with 'address:'")
                continue
            }
            draft.addHost(n, to: group, vars: layer, at: keyLoc)
        }
    }

    /// Most hosts one inventory may hold, every range summed (`PROVISION_MAX_HOSTS`, default
    /// 100,000): each range is capped on its own, but 200 of them would be 13 million.
    static let maxTotalHosts = YAMLFile.limit("PROVISION_MAX_HOSTS", default: 100_000)

    // MARK: - Helpers

    /// True when `text` has a `:` outside `[…]` (an IPv6 address, not `web[1:3]`).
    static func hasColonOutsideBrackets(_ text: Substring) -> Bool {
        var depth = 0
        for c in text {
            if c == "[" { depth += 1 } else if c == "]" { depth = max(0, depth - 1) } else if c == ":" && depth == 0 {
                return true
            }
        }
        return false
    }

    func isNull(_ node: Node) -> Bool {
        guard let s = node.scalar else { return false }
        return YAMLFile.scalarValue(s).isNull
    }

    func scalarKey(_ node: Node, what: String, draft: inout InventoryDraft) -> String? {
        guard let s = node.scalar, !YAMLFile.scalarValue(s).isNull else {
            draft.diagnostics.add("a \(what) must be a plain name", at: YAMLFile.location(of: node, in: draft.file))
            return nil
        }
        return s.string
    }
}
