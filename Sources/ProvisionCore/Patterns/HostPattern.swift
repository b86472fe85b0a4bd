import Foundation

/// A host pattern as Ansible reads it, for `--limit` and a play's `hosts:`.
///
/// Parts are separated by `,` or `:` (`a:b`, `a,b`: union); a part starting with `&` intersects,
/// one starting with `!` excludes. A part is `all`/`*`, a group name, a host name, a glob
/// (`red0*`), a regular expression (`~red0[1-3]`), a subscript of a group (`web[0]`,
/// `web[1:2]`, end included) or `@FILE` (one pattern a line, `#` comments). Unions are applied
/// first, then intersections, then exclusions (Ansible's order), and the result is always in
/// inventory order.
public struct HostPattern: Sendable, Equatable, CustomStringConvertible {
    /// How a part combines with the rest: `a` (union), `&a` (intersection), `!a` (exclusion).
    public enum Operation: Sendable, Equatable { case union, intersection, exclusion }

    /// One part of a pattern with its operation.
    public struct Part: Sendable, Equatable {
        public var operation: Operation
        public var term: String
    }

    public var text: String
    public var parts: [Part]

    public var description: String { text }

    /// Parses `text`. Throws `HostPatternError` for an empty pattern or an empty part.
    public init(_ text: String) throws {
        self.text = text
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw HostPatternError("the host pattern is empty", hint: "use 'all' for every host") }
        var parts: [Part] = []
        for raw in Self.split(trimmed) {
            var term = raw.trimmingCharacters(in: .whitespaces)
            var op = Operation.union
            if term.hasPrefix("&") { op = .intersection; term.removeFirst() }
            else if term.hasPrefix("!") { op = .exclusion; term.removeFirst() }
            guard !term.isEmpty else {
                throw HostPatternError("host pattern '\(text)' has an empty part",
                                       hint: "write parts as a:b (or), a:&b (and), a:!b (but not)")
            }
            parts.append(Part(operation: op, term: term))
        }
        self.parts = parts
    }

    /// Splits on `,` when there is one (so IPv6 names survive), else on `:` outside brackets.
    static func split(_ s: String) -> [String] {
        let separators: Set<Character> = s.contains(",") ? [","] : [":"]
        var out: [String] = []
        var current = ""
        var depth = 0
        for c in s {
            if c == "[" { depth += 1 } else if c == "]" { depth = max(0, depth - 1) }
            if depth == 0 && separators.contains(c) {
                out.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        out.append(current)
        return out
    }

    /// The hosts the pattern selects, in inventory order. As Ansible: a part that matches
    /// nothing (an empty group, an unknown name) adds nothing; throws when the pattern as a
    /// whole selects no host (with the first empty part's error, when there is one).
    public func select(from inventory: Inventory) throws -> [InventoryHost] {
        try indices(in: inventory).map { inventory.host(at: $0) }
    }

    /// Like `select`, as ascending indices into `inventory.everyHost`.
    public func indices(in inventory: Inventory) throws -> [Int] {
        let r = try resolve(in: inventory)
        guard !r.indices.isEmpty else { throw r.emptyError }
        return r.indices
    }

    /// What a pattern resolves to, an empty selection included (a play with no hosts).
    public struct Resolution: Sendable {
        /// Ascending indices into `inventory.everyHost`.
        public var indices: [Int]
        /// Ansible's warnings for parts that matched nothing and are not declared groups
        /// ("Could not match supplied host pattern, ignoring: NAME").
        public var warnings: [String]
        /// Why nothing was selected, for callers that need a host.
        public var emptyError: HostPatternError
    }

    /// Resolves the pattern without failing on an empty result. Throws only what Ansible
    /// refuses outright: a bad regex, a subscript past the end, an unreadable @FILE.
    public func resolve(in inventory: Inventory) throws -> Resolution {
        let matcher = HostPatternMatcher(inventory: inventory)
        var unmatched: [HostPatternMatcher.Unmatched] = []
        // A name that is itself a host (an IPv6 address, `host:22`) is taken whole.
        if inventory.index(ofHost: text) != nil || inventory.group(named: text) != nil {
            let found = try matcher.match(text, location: nil, unmatched: &unmatched)
            return Resolution(indices: found.sorted(), warnings: [],
                              emptyError: unmatched.first?.problem ?? HostPatternError("host pattern '\(text)' selects no host"))
        }
        var unions: [Int]?
        var intersections: [[Int]] = []
        var exclusions: [[Int]] = []
        for part in parts {
            let found = try matcher.matchTerm(part.term, unmatched: &unmatched)
            switch part.operation {
            case .union: unions = (unions ?? []) + found
            case .intersection: intersections.append(found)
            case .exclusion: exclusions.append(found)
            }
        }
        var selected = Set(unions ?? Array(inventory.hosts.indices))
        for i in intersections { selected.formIntersection(i) }
        for e in exclusions { selected.subtract(e) }
        var warnings: [String] = []
        for u in unmatched where u.warns {
            let line = "Could not match supplied host pattern, ignoring: " + u.term
            if !warnings.contains(line) { warnings.append(line) }
        }
        let emptyError = unmatched.first?.problem
            ?? HostPatternError("host pattern '\(text)' selects no host",
                                hint: "the parts match hosts, but their combination leaves none; groups: " + matcher.groupList)
        return Resolution(indices: selected.sorted(), warnings: warnings, emptyError: emptyError)
    }

    /// The hosts every pattern selects (a play's `hosts:` and `--limit`), in inventory order.
    public static func select(_ patterns: [HostPattern], from inventory: Inventory) throws -> [InventoryHost] {
        var selected: Set<Int>?
        for p in patterns {
            let found = Set(try p.indices(in: inventory))
            selected = selected.map { $0.intersection(found) } ?? found
        }
        let result = (selected ?? Set(inventory.hosts.indices)).sorted()
        guard !result.isEmpty || patterns.isEmpty else {
            throw HostPatternError("the patterns \(patterns.map { "'\($0.text)'" }.joined(separator: " and ")) have no host in common",
                                   hint: "widen --limit, or check the play's hosts:")
        }
        return result.map { inventory.host(at: $0) }
    }
}
