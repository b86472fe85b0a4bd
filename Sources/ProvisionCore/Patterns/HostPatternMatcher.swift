import Foundation

/// Matches one part of a host pattern against an inventory (see `HostPattern`).
struct HostPatternMatcher {
    let inventory: Inventory

    var groupList: String { inventory.groupNames.joined(separator: ", ") }

    /// Hosts (indices, any order) matched by a term, expanding `@FILE`.
    func matchTerm(_ term: String) throws -> [Int] {
        guard term.hasPrefix("@") else { return try match(term, location: nil) }
        let path = String(term.dropFirst())
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw HostPatternError("cannot read host list '\(path)'",
                                   hint: "@FILE names a file with one host a line (e.g. @.provision/last-failed)")
        }
        var out: [Int] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            out += try match(line, location: SourceLocation(file: path, line: n + 1, column: 1))
        }
        return out
    }

    /// Hosts matched by one name, glob, regex or subscript; throws when none.
    func match(_ term: String, location: SourceLocation?) throws -> [Int] {
        if term == "all" || term == "*" {
            if inventory.hosts.isEmpty {
                throw HostPatternError("the inventory \(inventory.path) has no hosts",
                                       hint: "add hosts under 'all: hosts:' or a group's 'hosts:'", location: location)
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
                throw HostPatternError("group '\(term)' has no hosts", hint: "groups: \(groupList)", location: location)
            }
            return found
        }
        var found: [Int]
        if let (base, lo, hi) = Self.subscriptRange(term), inventory.group(named: base) != nil {
            let members = inventory.hostIndices(inGroup: base)
            let n = members.count
            let from = lo < 0 ? n + lo : lo
            let to = hi.map { $0 < 0 ? n + $0 : $0 } ?? n - 1
            found = (from <= to && from >= 0 && from < n) ? Array(members[from...min(to, n - 1)]) : []
        } else if term.hasPrefix("~") {
            guard let re = try? NSRegularExpression(pattern: String(term.dropFirst())) else {
                throw HostPatternError("'\(term)' is not a valid regular expression", location: location)
            }
            found = matching { name in
                re.firstMatch(in: name, options: .anchored, range: NSRange(name.startIndex..., in: name)) != nil
            }
        } else if term.contains(where: { "*?[".contains($0) }) {
            found = matching { fnmatch(term, $0, 0) == 0 }
        } else {
            found = []
        }
        if found.isEmpty {
            let names = inventory.groupNames + inventory.hosts.map(\.name)
            var hint = "groups: \(groupList)"
            if let guess = ConnectionKey.closest(to: term, in: names, within: 2) { hint = "did you mean '\(guess)'? " + hint }
            throw HostPatternError("'\(term)' matches no host or group", hint: hint, location: location)
        }
        return found
    }

    /// Hosts whose name matches, and the members of groups whose name matches.
    private func matching(_ predicate: (String) -> Bool) -> [Int] {
        var out: [Int] = []
        for (i, h) in inventory.hosts.enumerated() where predicate(h.name) { out.append(i) }
        for g in inventory.groups where predicate(g.name) { out += inventory.hostIndices(inGroup: g.name) }
        return out
    }

    /// `group[3]`, `group[-1]`, `group[1:3]`, `group[:2]`, `group[2:]` (Ansible's subscripts).
    static func subscriptRange(_ term: String) -> (String, Int, Int?)? {
        guard term.hasSuffix("]"), let open = term.lastIndex(of: "["), open != term.startIndex else { return nil }
        let base = String(term[..<open])
        let body = term[term.index(after: open)..<term.index(before: term.endIndex)]
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 1, let i = Int(parts[0]) { return (base, i, i) }
        guard parts.count == 2 else { return nil }
        let lo = parts[0].isEmpty ? 0 : Int(parts[0])
        let hi = parts[1].isEmpty ? nil : Int(parts[1])
        guard let lo, parts[1].isEmpty || hi != nil else { return nil }
        return (base, lo, hi)
    }
}
