import Foundation

/// The small fallback when no `ssh` client is installed: `Host` blocks with `*`, `?` and `!`
/// patterns, first value wins (as in OpenSSH), `%h` in HostName. `Match` blocks are skipped and
/// `Include` is not followed.
enum SSHConfigParser {
    static func options(file: String, host: String) -> [(String, String)] {
        guard let data = FileManager.default.contents(atPath: file) else { return [] }
        var result: [(String, String)] = []
        var seen = Set<String>()
        var active = true
        for raw in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" })
            guard parts.count == 2 else { continue }
            let key = parts[0].lowercased()
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t=\""))
            switch key {
            case "host":
                active = matches(value.split(separator: " ").map(String.init), host: host)
            case "match":
                active = false
            default:
                guard active else { continue }
                let expanded = value.replacingOccurrences(of: "%h", with: host)
                if key == "identityfile" {
                    result.append((key, expanded))
                } else if seen.insert(key).inserted {
                    result.append((key, expanded))
                }
            }
        }
        return result
    }

    static func matches(_ patterns: [String], host: String) -> Bool {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                if KnownHostsFile.wildcard(String(pattern.dropFirst()).lowercased(), host.lowercased()) { return false }
            } else if KnownHostsFile.wildcard(pattern.lowercased(), host.lowercased()) {
                matched = true
            }
        }
        return matched
    }
}
