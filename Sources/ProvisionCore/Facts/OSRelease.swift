/// Parses `/etc/os-release` (shell-style `KEY=value` lines, values optionally quoted).
public enum OSRelease {
    public static func parse(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq])
            out[key] = unquote(String(line[line.index(after: eq)...]))
        }
        return out
    }

    /// Removes one level of shell quoting: `"a \"b\""` → `a "b"`, `'x'` → `x`.
    static func unquote(_ v: String) -> String {
        guard let first = v.first, v.count >= 2, first == "\"" || first == "'", v.last == first else { return v }
        let inner = v.dropFirst().dropLast()
        if first == "'" { return String(inner) }
        var out = ""
        var escaped = false
        for c in inner {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}

import Foundation
