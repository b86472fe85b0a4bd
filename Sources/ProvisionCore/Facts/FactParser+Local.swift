import Foundation

/// `ansible_local` from the `local:NAME` sections of `FactScript+Local`: each file's output
/// read as JSON, else as INI (Python's ConfigParser: option names lower-cased, `DEFAULT`
/// values inherited by every section), else Ansible's error string. Pure.
extension FactParser {
    static func localFacts(_ s: [String: [String]]) -> Value {
        var local = ValueDict()
        let names = s.keys.filter { $0.hasPrefix("local:") }.sorted()
        for key in names {
            let name = String(key.dropFirst("local:".count))
            let lines = s[key] ?? []
            let meta = pairs(lines.filter { $0.hasPrefix("#") }.map { String($0.dropFirst()) })
            let text = lines.filter { $0.hasPrefix("|") }.map { String($0.dropFirst()) }.joined(separator: "\n")
            if let rc = meta["rc"], rc != "0" {
                local[name] = .string("Failure executing fact script (\(factPathHint(s))/\(name).fact), rc: \(rc), err: \((meta["err"] ?? "").replacingOccurrences(of: "\u{01}", with: "\n"))")
                continue
            }
            if let json = Value(jsonText: text) {
                local[name] = json
            } else if let ini = ini(text) {
                local[name] = ini
            } else {
                local[name] = .string("error loading facts as JSON or ini - please check content: \(factPathHint(s))/\(name).fact")
            }
        }
        return .dict(local)
    }

    private static func factPathHint(_ s: [String: [String]]) -> String {
        pairs(s["local"] ?? [])["path"] ?? FactScript.defaultFactPath
    }

    /// A small ConfigParser: `[section]`, `key = value` / `key: value`, `#`/`;` comments,
    /// indented continuation lines. nil where ConfigParser raises (an option before any
    /// section, a line that is neither).
    static func ini(_ text: String) -> Value? {
        var sections: [(String, [(String, String)])] = []
        var defaults: [(String, String)] = []
        var current: Int? = nil, inDefault = false
        var lastKey: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { lastKey = nil; continue }
            if raw.first == " " || raw.first == "\t", let k = lastKey {
                // A continuation of the previous value.
                if inDefault, let i = defaults.lastIndex(where: { $0.0 == k }) { defaults[i].1 += "\n" + line }
                else if let c = current, let i = sections[c].1.lastIndex(where: { $0.0 == k }) { sections[c].1[i].1 += "\n" + line }
                continue
            }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                let name = String(line.dropFirst().dropLast())
                lastKey = nil
                if name == "DEFAULT" { inDefault = true; current = nil; continue }
                inDefault = false
                if sections.contains(where: { $0.0 == name }) { return nil }
                sections.append((name, []))
                current = sections.count - 1
                continue
            }
            guard let sep = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
            let k = line[..<sep].trimmingCharacters(in: .whitespaces).lowercased()
            let v = line[line.index(after: sep)...].trimmingCharacters(in: .whitespaces)
            lastKey = k
            if inDefault { defaults.removeAll { $0.0 == k }; defaults.append((k, v)); continue }
            guard let c = current else { return nil }
            if sections[c].1.contains(where: { $0.0 == k }) { return nil }
            sections[c].1.append((k, v))
        }
        var out = ValueDict()
        for (name, options) in sections {
            var d = ValueDict()
            for (k, v) in options { d[k] = .string(v) }
            for (k, v) in defaults where d[k] == nil { d[k] = .string(v) }
            out[name] = .dict(d)
        }
        return .dict(out)
    }
}
