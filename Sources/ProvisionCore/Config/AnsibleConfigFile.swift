import Foundation

/// An `ansible.cfg` as Python's `configparser` reads it for Ansible: `[section]` headers,
/// `key = value` or `key: value`, whole-line `#`/`;` comments, inline comments after ` ;`,
/// indented lines continuing the previous value. Keys are case-insensitive.
public struct AnsibleConfigFile: Sendable {
    public var path: String
    /// section → key (lower-cased) → (value, line).
    var sections: [String: [String: (value: String, line: Int)]] = [:]

    /// The file Ansible would read: `ANSIBLE_CONFIG` (a file, or a directory holding
    /// `ansible.cfg`), else `./ansible.cfg` (unless the directory is world-writable, as Ansible
    /// refuses it), else `~/.ansible.cfg`, else `/etc/ansible/ansible.cfg`; the first that exists.
    public static func locate(environment: [String: String], currentDirectory: String, home: String) -> String? {
        var candidates: [String] = []
        if let env = environment["ANSIBLE_CONFIG"] {
            var path = expand(env, home: home, base: currentDirectory)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                path = (path as NSString).appendingPathComponent("ansible.cfg")
            }
            candidates.append(path)
        }
        let mode = (try? FileManager.default.attributesOfItem(atPath: currentDirectory)[.posixPermissions] as? Int) ?? 0
        if mode & 0o002 == 0 { candidates.append((currentDirectory as NSString).appendingPathComponent("ansible.cfg")) }
        candidates.append((home as NSString).appendingPathComponent(".ansible.cfg"))
        candidates.append("/etc/ansible/ansible.cfg")
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// Reads `path`; a line that is neither a section, a setting nor a comment is an error at
    /// its line, as configparser refuses it.
    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(Diagnostic("cannot read the configuration file", at: SourceLocation(file: path)))
        }
        var section: String?
        var lastKey: String?
        var diagnostics = DiagnosticCollector()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (n, raw) in lines.enumerated() {
            let line = String(raw).replacingOccurrences(of: "\r", with: "")
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { lastKey = nil; continue }
            let at = SourceLocation(file: path, line: n + 1, column: 1)
            if line.first == " " || line.first == "\t", let s = section, let k = lastKey, let old = sections[s]?[k] {
                sections[s]?[k] = (old.value + "\n" + Self.stripComment(trimmed), old.line)
                continue
            }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    diagnostics.add("unclosed section header", at: at, hint: "write [defaults] or [privilege_escalation]")
                    continue
                }
                let name = String(trimmed.dropFirst().dropLast())
                section = name
                if sections[name] == nil { sections[name] = [:] }
                lastKey = nil
                continue
            }
            guard let sep = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                diagnostics.add("expected 'key = value', got '\(trimmed)'", at: at)
                continue
            }
            guard let s = section else {
                diagnostics.add("a setting before any [section]", at: at, hint: "put it under [defaults]")
                continue
            }
            let key = trimmed[..<sep].trimmingCharacters(in: .whitespaces).lowercased()
            let value = Self.stripComment(trimmed[trimmed.index(after: sep)...].trimmingCharacters(in: .whitespaces))
            sections[s]?[key] = (value, n + 1)
            lastKey = key
        }
        try diagnostics.throwIfAny()
    }

    /// Removes an inline `;` comment (one preceded by white space), as Ansible's configparser does.
    static func stripComment(_ value: String) -> String {
        var prev: Character = " "
        for (i, c) in value.enumerated() {
            if c == ";" && (prev == " " || prev == "\t") {
                return String(value.prefix(i)).trimmingCharacters(in: .whitespaces)
            }
            prev = c
        }
        return value
    }

    /// The value of `key` in `section`, and its line.
    public func value(_ section: String, _ key: String) -> (value: String, line: Int)? { sections[section]?[key] }

    /// Every key of `section`, with its line.
    func keys(in section: String) -> [(String, Int)] {
        (sections[section] ?? [:]).map { ($0.key, $0.value.line) }.sorted { $0.1 < $1.1 }
    }

    /// `~` expanded; a relative path taken from `base` (the configuration file's directory for
    /// paths written in it, as Ansible resolves them).
    static func expand(_ path: String, home: String, base: String) -> String {
        var p = path
        if p == "~" { p = home } else if p.hasPrefix("~/") { p = home + p.dropFirst() }
        if !p.hasPrefix("/") { p = (base as NSString).appendingPathComponent(p) }
        return (p as NSString).standardizingPath
    }
}
