import Foundation

/// Matches one part of a host pattern against an inventory (see `HostPattern`).
struct HostPatternMatcher {
    let inventory: Inventory

    var groupList: String { inventory.groupNames.joined(separator: ", ") }

    /// Parts that matched no host, as Ansible treats them: a name that is neither a host nor
    /// a group (nor matches one) is ignored with a warning; a declared group without hosts
    /// matches nothing, silently. Each keeps the error to give when the whole pattern selects
    /// no host.
    struct Unmatched {
        var term: String
        var problem: HostPatternError
        /// Ansible warns "Could not match supplied host pattern, ignoring: NAME".
        var warns: Bool
    }

    /// Hosts (indices, any order) matched by a term, expanding `@FILE`; terms that match
    /// nothing give no host and are noted in `unmatched`.
    func matchTerm(_ term: String, unmatched: inout [Unmatched]) throws -> [Int] {
        guard term.hasPrefix("@") else { return try match(term, location: nil, unmatched: &unmatched) }
        let path = String(term.dropFirst())
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw HostPatternError("cannot read host list '\(path)'",
                                   hint: "@FILE names a file with one host a line (e.g. @.provision/last-failed)")
        }
        var out: [Int] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            out += try match(line, location: SourceLocation(file: path, line: n + 1, column: 1), unmatched: &unmatched)
        }
        return out
    }

    /// Hosts matched by one name, glob, regex or subscript; throws when none.
    func match(_ term: String, location: SourceLocation?) throws -> [Int] {
        var unmatched: [Unmatched] = []
        let found = try match(term, location: location, unmatched: &unmatched)
        if let first = unmatched.first { throw first.problem }
        return found
    }

    /// Hosts matched by one name, glob, regex or subscript; none noted in `unmatched`.
    /// Throws for what Ansible refuses: a bad regex, a subscript past the end.
    func match(_ term: String, location: SourceLocation?, unmatched: inout [Unmatched]) throws -> [Int] {
        if term == "all" || term == "*" {
            if inventory.hosts.isEmpty {
                unmatched.append(Unmatched(term: term, problem: HostPatternError("the inventory \(inventory.path) has no hosts",
                                                                     hint: "add hosts under 'all: hosts:' or a group's 'hosts:'",
                                                                     location: location), warns: false))
            }
            return Array(inventory.hosts.indices)
        }
        if let i = inventory.index(ofHost: term) { return [i] }
        // Ansible's names for the controller reach the implicit localhost too.
        if term == "127.0.0.1" || term == "::1", let local = inventory.implicitLocalhost,
           let i = inventory.index(ofHost: local.name) {
            return [i]
        }
        if inventory.group(named: term) != nil {
            let found = inventory.hostIndices(inGroup: term)
            if found.isEmpty {
                unmatched.append(Unmatched(term: term, problem: HostPatternError("group '\(term)' has no hosts", hint: "groups: \(groupList)",
                                                                     location: location), warns: false))
            }
            return found
        }
        var found: [Int]
        // A subscript applies to what its base matches. When the base matches nothing, a
        // glob reading is tried (`red0[3-9]`), where Ansible would match no host at all.
        if !term.hasPrefix("~"), let (base, sub) = Self.parseSubscript(term),
           case let hosts = try enumerate(base, location: location), !hosts.isEmpty {
            switch sub {
            case .index(let i):
                let at = i < 0 ? hosts.count + i : i
                guard hosts.indices.contains(at) else {
                    throw HostPatternError("no host matched the subscripted pattern '\(term)'",
                                           hint: "'\(base)' has \(hosts.count) host(s); subscripts count from 0", location: location)
                }
                found = [hosts[at]]
            case .range(let from, let to):
                let end = to.map { $0 + 1 } ?? hosts.count
                found = from < min(end, hosts.count) ? Array(hosts[from..<min(end, hosts.count)]) : []
            }
        } else {
            found = try enumerate(term, location: location)
        }
        if found.isEmpty {
            let names = inventory.groupNames + inventory.hosts.map(\.name)
            var hint = "groups: \(groupList)"
            if let guess = ConnectionKey.closest(to: term, in: names, within: 2) { hint = "did you mean '\(guess)'? " + hint }
            unmatched.append(Unmatched(term: term, problem: HostPatternError("'\(term)' matches no host or group", hint: hint,
                                                                 location: location), warns: true))
        }
        return found
    }

    /// Hosts a name, glob or `~regex` matches, in Ansible's order (matching groups' hosts
    /// first, each group's own hosts before its children's, then matching hosts), without
    /// duplicates: the list a subscript counts in.
    func enumerate(_ term: String, location: SourceLocation?) throws -> [Int] {
        let predicate: (String) -> Bool
        if term.hasPrefix("~") {
            guard let re = try? NSRegularExpression(pattern: String(term.dropFirst())) else {
                throw HostPatternError("'\(term)' is not a valid regular expression", location: location)
            }
            predicate = { re.firstMatch(in: $0, options: .anchored, range: NSRange($0.startIndex..., in: $0)) != nil }
        } else if term.contains(where: { "*?[".contains($0) }) {
            predicate = { fnmatch(term, $0, 0) == 0 }
        } else {
            predicate = { $0 == term }
        }
        var out: [Int] = []
        var seen = Set<Int>()
        let groups = inventory.groups.filter { predicate($0.name) }
        for g in groups { for i in orderedHosts(inGroup: g.name) where seen.insert(i).inserted { out.append(i) } }
        if groups.isEmpty || term.hasPrefix("~") || term.contains(where: { ".?*[".contains($0) }) {
            for (i, h) in inventory.hosts.enumerated() where predicate(h.name) && seen.insert(i).inserted { out.append(i) }
        }
        if out.isEmpty, let i = inventory.index(ofHost: term) { out.append(i) }
        return out
    }

    /// A group's hosts as Ansible lists them: its own first, then its children's, level by
    /// level, each host once.
    func orderedHosts(inGroup name: String) -> [Int] {
        var out: [Int] = []
        var seenHosts = Set<Int>()
        var seenGroups: Set<String> = [name]
        var level = [name]
        while !level.isEmpty {
            var next: [String] = []
            for g in level {
                guard let group = inventory.group(named: g) else { continue }
                let own = g == "all" ? inventory.hosts.map(\.name) : group.hosts
                for h in own { if let i = inventory.index(ofHost: h), seenHosts.insert(i).inserted { out.append(i) } }
                for c in group.children where seenGroups.insert(c).inserted { next.append(c) }
            }
            level = next
        }
        return out
    }

    /// A subscript as Ansible reads it: one index (`[-1]`), or a range `[x:y]` / `[x:]` (end
    /// included; `[x-y]` is the old spelling).
    enum Subscript: Equatable {
        case index(Int)
        case range(Int, Int?)
    }

    static func parseSubscript(_ term: String) -> (String, Subscript)? {
        guard let m = term.range(of: #"\[(-?[0-9]+|[0-9]+[:-][0-9]*)\]$"#, options: .regularExpression),
              m.lowerBound != term.startIndex else { return nil }
        let base = String(term[..<m.lowerBound])
        let body = term[term.index(after: m.lowerBound)..<term.index(before: m.upperBound)]
        if let i = Int(body) { return (base, .index(i)) }
        let parts = body.split(omittingEmptySubsequences: false) { $0 == ":" || $0 == "-" }
        guard parts.count == 2, let from = Int(parts[0]) else { return nil }
        // Ansible treats an end of 0 (`[2:0]`) as no range at all: the single host at `from`.
        if let to = Int(parts[1]) { return (base, to == 0 ? .index(from) : .range(from, to)) }
        return (base, .range(from, nil))
    }
}
