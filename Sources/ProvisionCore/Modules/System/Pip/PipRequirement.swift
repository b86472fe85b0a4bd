import Foundation

/// One `name` entry of Ansible's `pip` module read as a requirement (`pkg[extra]>=1.0,<2;
/// marker`): its canonical name, its version specifiers, and the text pip is given (as
/// Ansible's `Package` prints it: spaces gone, extras and specifiers sorted). An entry that
/// is not a requirement (a path, URL or VCS link) is kept as written and is never satisfied
/// by an installed version, so check mode reports it as a change, as Ansible does.
struct PipRequirement: Equatable {
    var raw: String
    var name: String?
    var extras: [String] = []
    var specifiers: [(op: String, version: String)] = []
    var marker: String?

    static func == (a: PipRequirement, b: PipRequirement) -> Bool { a.raw == b.raw && a.text == b.text }

    static let operators = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"]

    init(_ entry: String, version: String? = nil) {
        raw = entry
        var s = entry.trimmingCharacters(in: .whitespaces)
        if let v = version?.trimmingCharacters(in: .whitespaces), !v.isEmpty {
            s += (v.first?.isNumber ?? false ? "==" : " ") + v
        }
        if let semi = s.firstIndex(of: ";") {
            marker = s[s.index(after: semi)...].trimmingCharacters(in: .whitespaces)
            s = String(s[..<semi])
        }
        var rest = Substring(s)
        var n = ""
        while let c = rest.first, c.isLetter || c.isNumber || c == "-" || c == "_" || c == "." {
            n.append(c)
            rest = rest.dropFirst()
        }
        rest = rest.drop { $0 == " " }
        guard let f = n.first, f.isLetter || f.isNumber, let l = n.last, l.isLetter || l.isNumber else { return }
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else { return }
            extras = rest[rest.index(after: rest.startIndex)..<close].split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.sorted()
            rest = rest[rest.index(after: close)...].drop { $0 == " " }
        }
        var specs: [(String, String)] = []
        if !rest.isEmpty {
            for part in rest.split(separator: ",") {
                let p = part.trimmingCharacters(in: .whitespaces)
                guard let op = Self.operators.first(where: { p.hasPrefix($0) }) else { return }
                let v = p.dropFirst(op.count).trimmingCharacters(in: .whitespaces)
                guard !v.isEmpty, !v.contains(" ") else { return }
                specs.append((op, v))
            }
        }
        name = n
        specifiers = specs.sorted { ($0.0 + $0.1) < ($1.0 + $1.1) }
    }

    /// The name as pip compares it (runs of `-_.` to `-`, lower case).
    var canonicalName: String? { name.map(Self.canonicalize) }

    static func canonicalize(_ n: String) -> String {
        var out = ""
        var sep = false
        for c in n.lowercased() {
            if c == "-" || c == "_" || c == "." { sep = true; continue }
            if sep { out.append("-"); sep = false }
            out.append(c)
        }
        if sep { out.append("-") }
        return out
    }

    var hasVersionSpecifier: Bool { name != nil && !specifiers.isEmpty }

    /// What pip is given.
    var text: String {
        guard let name else { return raw }
        var t = name
        if !extras.isEmpty { t += "[" + extras.joined(separator: ",") + "]" }
        t += specifiers.map { $0.op + $0.version }.joined(separator: ",")
        if let marker { t += "; " + marker }
        return t
    }

    /// True when `version` meets every specifier (pre-releases included, as Ansible asks).
    func isSatisfied(by version: String) -> Bool {
        guard name != nil else { return false }
        return specifiers.allSatisfy { Self.matches(version, $0.op, $0.version) }
    }

    static func matches(_ version: String, _ op: String, _ spec: String) -> Bool {
        if op == "===" { return version == spec }
        if (op == "==" || op == "!=") && spec.hasSuffix(".*") {
            let prefix = spec.dropLast(2).split(separator: ".").compactMap { Int($0) }
            let have = PipVersion(version)?.release ?? []
            let padded = have + Array(repeating: 0, count: max(0, prefix.count - have.count))
            let same = Array(padded.prefix(prefix.count)) == prefix
            return op == "==" ? same : !same
        }
        guard let v = PipVersion(version), let s = PipVersion(spec) else { return op == "!=" ? version != spec : (op == "==" && version == spec) }
        switch op {
        case "==": return v == s
        case "!=": return v != s
        case "<=": return v <= s
        case ">=": return v >= s
        case "<": return v < s
        case ">": return v > s
        case "~=":
            guard s.release.count >= 2, v >= s else { return false }
            var upper = Array(s.release.dropLast())
            upper[upper.count - 1] += 1
            let up = PipVersion(upper.map(String.init).joined(separator: ".")) ?? s
            return v < up
        default: return false
        }
    }

    /// Ansible's `_recover_package_name`: entries split on commas, then a piece that starts
    /// with a version operator (or sits inside `[...]`) joined back to the entry before it.
    static func recoverNames(_ names: [String]) -> [String] {
        let pieces = names.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var out: [String] = []
        var parts: [String] = []
        var inBrackets = false
        for p in pieces {
            let isName = !operators.contains { p.drop { $0 == " " }.hasPrefix($0) }
            if isName && !inBrackets {
                if !parts.isEmpty { out.append(parts.joined(separator: ",")) }
                parts = []
            }
            if p.contains("[") { inBrackets = true }
            if inBrackets && p.contains("]") { inBrackets = false }
            parts.append(p)
        }
        out.append(parts.joined(separator: ","))
        return out
    }
}
