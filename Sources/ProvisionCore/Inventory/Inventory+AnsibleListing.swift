extension Inventory {
    /// The inventory as `ansible-inventory --list` prints it: `_meta.hostvars` (each host's
    /// merged variables, hosts without any left out), and one entry per group with its direct
    /// `hosts` and its `children`, empty keys and empty groups left out, `all` without hosts.
    /// Secret values are masked. `only` narrows the hosts (`--limit`), as ansible-inventory's does.
    public func ansibleListing(only: Set<String>? = nil) -> Value {
        var out: [String: Value] = [:]
        for g in groups {
            var entry: [String: Value] = [:]
            let members = g.hosts.filter { only?.contains($0) ?? true }
            if g.name != "all", !members.isEmpty { entry["hosts"] = .list(members.map(Value.string)) }
            if !g.children.isEmpty { entry["children"] = .list(g.children.map(Value.string)) }
            if !entry.isEmpty { out[g.name] = .dict(entry) }
        }
        var hostvars: [String: Value] = [:]
        for h in hosts where !h.vars.isEmpty && (only?.contains(h.name) ?? true) { hostvars[h.name] = .dict(h.maskedVars) }
        out["_meta"] = .dict(["hostvars": .dict(hostvars)])
        return .dict(out)
    }
}

extension Value {
    /// JSON as Python's `json.dumps(indent=4, sort_keys=True, ensure_ascii=False)` writes it
    /// (the layout of `ansible-inventory`'s output).
    public func prettyJSON(indent: Int = 4, level: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent * (level + 1))
        let close = String(repeating: " ", count: indent * level)
        switch self {
        case .list(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + $0.prettyJSON(indent: indent, level: level + 1) }.joined(separator: ",\n")
                + "\n" + close + "]"
        case .dict(let d):
            if d.isEmpty { return "{}" }
            return "{\n" + d.keys.sorted().map {
                pad + Value.jsonQuote($0) + ": " + (d[$0] ?? .null).prettyJSON(indent: indent, level: level + 1)
            }.joined(separator: ",\n") + "\n" + close + "}"
        default:
            return jsonString
        }
    }
}
