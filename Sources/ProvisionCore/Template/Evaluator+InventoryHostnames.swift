import Foundation

/// `lookup('inventory_hostnames', pattern)`: the inventory hosts a host pattern selects, read
/// from `groups` as ansible-core 2.14's lookup rebuilds its inventory from it. Patterns are
/// names of groups or hosts with `*`/`?` wildcards, joined by `,` or `:`, with `&`
/// (intersection) and `!` (exclusion) taken after the plain ones, as Ansible orders them.
/// Regular expressions (`~`) and subscripts (`web[0]`) are refused.
extension Evaluator {
    func inventoryHostnamesLookup(_ args: CallArguments) throws -> [Value] {
        func fail(_ m: String) -> TemplateError { TemplateError.evaluation("lookup('inventory_hostnames'): " + m, at: args.offset) }
        guard let groupsValue = scope.lookup("groups")?.materialized, case .dict(let groups) = groupsValue else {
            throw fail("the variable 'groups' is not available")
        }
        var allHosts: [String] = []
        for (_, members) in groups { for case .string(let h) in members.listValue ?? [] where !allHosts.contains(h) { allHosts.append(h) } }
        var patterns: [String] = []
        for i in 1..<max(1, args.positional.count) {
            let term = try args.value(i) ?? .null
            let parts: [Value] = term.listValue ?? [term]
            for p in parts {
                guard case .string(let s) = p else { throw fail("a pattern must be a string, got \(p.typeName)") }
                patterns += s.split(whereSeparator: { $0 == "," || $0 == ":" })
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        }
        let ordered = patterns.filter { !$0.hasPrefix("&") && !$0.hasPrefix("!") }
            + patterns.filter { $0.hasPrefix("&") } + patterns.filter { $0.hasPrefix("!") }
        func hosts(_ pattern: String) throws -> [String] {
            if pattern.hasPrefix("~") || pattern.contains("[") { throw fail("the pattern '\(pattern)' (regex or subscript) is not supported") }
            if pattern.contains("*") || pattern.contains("?") {
                let regex = "^" + NSRegularExpression.escapedPattern(for: pattern)
                    .replacingOccurrences(of: "\\*", with: ".*").replacingOccurrences(of: "\\?", with: ".") + "$"
                let re = try NSRegularExpression(pattern: regex)
                func matches(_ s: String) -> Bool { re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
                var out: [String] = []
                for (g, members) in groups where matches(g) {
                    for case .string(let h) in members.listValue ?? [] where !out.contains(h) { out.append(h) }
                }
                for h in allHosts where matches(h) && !out.contains(h) { out.append(h) }
                return out
            }
            if let members = groups[pattern] { return (members.listValue ?? []).compactMap(\.stringValue) }
            return allHosts.contains(pattern) ? [pattern] : []
        }
        var selected: [String] = []
        for p in ordered {
            if p.hasPrefix("&") {
                let keep = Set(try hosts(String(p.dropFirst())))
                selected = selected.filter { keep.contains($0) }
            } else if p.hasPrefix("!") {
                let drop = Set(try hosts(String(p.dropFirst())))
                selected = selected.filter { !drop.contains($0) }
            } else {
                for h in try hosts(p) where !selected.contains(h) { selected.append(h) }
            }
        }
        return selected.map(Value.string)
    }
}
