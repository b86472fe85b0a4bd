/// The edit `authorized_key` makes to an authorized_keys file, as a pure function. Keys are
/// the same when their type and base64 blob are (options and comment may differ): a present
/// key with other options or comment is rewritten as given.
struct AuthorizedKeysEdit {
    /// The key lines asked for (one key per line; blank lines and `#` comments ignored).
    var keys: [String]
    var present = true
    /// Remove every other key (state=present only).
    var exclusive = false

    struct Result: Equatable {
        var text: String
        var changed: Bool
        var message: String
    }

    /// (type, blob) of a key line, skipping any options before the type.
    static func identity(_ line: String) -> String? {
        let words = tokens(line)
        guard let i = words.firstIndex(where: isKeyType), i + 1 < words.count else { return nil }
        return words[i] + " " + words[i + 1]
    }

    static func isKeyType(_ w: String) -> Bool {
        w.hasPrefix("ssh-") || w.hasPrefix("ecdsa-sha2-") || w.hasPrefix("sk-ssh-") || w.hasPrefix("sk-ecdsa-")
    }

    /// Splits on blanks outside double quotes (options like `command="a b"`).
    static func tokens(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        for c in line {
            if c == "\"" { quoted.toggle() }
            if (c == " " || c == "\t") && !quoted {
                if !cur.isEmpty { out.append(cur); cur = "" }
            } else {
                cur.append(c)
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// The wanted key lines, or a message naming the first line that is not a key.
    static func parse(_ text: String) throws -> [String] {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        for l in lines where identity(l) == nil {
            throw ModuleError("not an SSH public key: '\(l.prefix(40))…'")
        }
        return lines
    }

    func apply(_ original: String?) -> Result {
        var lines = LineInFileEdit.lines(original ?? "").map(LineInFileEdit.stripEOL)
        let wanted = keys.compactMap { k in Self.identity(k).map { ($0, k) } }
        var added = 0, removed = 0, updated = 0
        if present {
            for (id, key) in wanted {
                if let i = lines.firstIndex(where: { Self.identity($0) == id }) {
                    if lines[i] != key { lines[i] = key; updated += 1 }
                } else {
                    lines.append(key); added += 1
                }
            }
            if exclusive {
                let keep = Set(wanted.map(\.0))
                let before = lines.count
                lines.removeAll { l in Self.identity(l).map { !keep.contains($0) } ?? false }
                removed = before - lines.count
            }
        } else {
            let drop = Set(wanted.map(\.0))
            let before = lines.count
            lines.removeAll { l in Self.identity(l).map(drop.contains) ?? false }
            removed = before - lines.count
        }
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        let changed = added + removed + updated > 0
        var parts: [String] = []
        if added > 0 { parts.append("\(added) key(s) added") }
        if updated > 0 { parts.append("\(updated) key(s) updated") }
        if removed > 0 { parts.append("\(removed) key(s) removed") }
        return Result(text: changed ? text : (original ?? ""), changed: changed, message: parts.joined(separator: ", "))
    }
}

import Foundation
