import Foundation

/// The apt source lists as Ansible's `apt_repository` models them: every file's lines parsed
/// into (valid, enabled, source, comment), a repository added (re-enabling a disabled copy, else
/// appended to its own file) or removed (every enabled copy), and each file rendered back in
/// Ansible's normal form. Pure: tested on text.
struct AptSourcesEdit {
    struct Line: Equatable {
        var valid: Bool
        var enabled: Bool
        var source: String
        var comment: String
    }

    static let sourceTypes: Set<String> = ["deb", "deb-src"]
    /// File path → its lines, in the order read (sources.list first).
    var files: [(path: String, lines: [Line])]
    var newFiles: Set<String> = []

    init(files: [(path: String, text: String)]) {
        self.files = files.map { f in
            (f.path, f.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(f.text.hasSuffix("\n") ? 1 : 0)
                .map { Self.parse(String($0)) })
        }
    }

    /// Ansible's `_parse` of one line.
    static func parse(_ raw: String) -> Line {
        var line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var enabled = true, comment = ""
        if line.hasPrefix("#") { enabled = false; line.removeFirst() }
        if let i = line.firstIndex(of: "#"), i > line.startIndex {
            comment = line[line.index(after: i)...].trimmingCharacters(in: .whitespaces)
            line = String(line[..<i])
        }
        var source = line.trimmingCharacters(in: .whitespaces)
        var valid = false
        let chunks = source.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let first = chunks.first, sourceTypes.contains(first) {
            valid = true
            source = chunks.joined(separator: " ")
        }
        return Line(valid: valid, enabled: enabled, source: source, comment: comment)
    }

    /// The repository line in normal form, or nil when it is not a `deb`/`deb-src` line.
    static func normalised(_ repo: String) -> String? {
        let l = parse(repo)
        return l.valid && l.enabled ? l.source : nil
    }

    /// Ansible's file name for a repository: its first word after the type and options, with
    /// the scheme and any user:password@ dropped, non-alphanumerics turned into `_`.
    static func suggestedFilename(_ source: String, filename: String?) -> String {
        if let filename { return filename + ".list" }
        var line = source.replacingOccurrences(of: #"\[[^\]]+\]"#, with: "", options: .regularExpression)
        line = line.replacingOccurrences(of: #"\w+://"#, with: "", options: .regularExpression)
        var parts = line.split(separator: " ").map(String.init).filter { !sourceTypes.contains($0) }
        guard !parts.isEmpty else { return ".list" }
        if let at = parts[0].firstIndex(of: "@") { parts[0] = String(parts[0][parts[0].index(after: at)...]) }
        let cleaned = parts[0].replacingOccurrences(of: "[^a-zA-Z0-9]", with: " ", options: .regularExpression)
            .split(separator: " ").joined(separator: "_")
        return cleaned + ".list"
    }

    mutating func add(_ source: String, file: String) {
        var found = false
        for f in files.indices {
            for l in files[f].lines.indices where files[f].lines[l].source == source {
                files[f].lines[l].enabled = true
                found = true
            }
        }
        guard !found else { return }
        let new = Line(valid: true, enabled: true, source: source, comment: "")
        if let f = files.firstIndex(where: { $0.path == file }) {
            files[f].lines.append(new)
        } else {
            files.append((file, [new]))
        }
        newFiles.insert(file)
    }

    mutating func remove(_ source: String) {
        for f in files.indices {
            files[f].lines.removeAll { $0.source == source && $0.enabled }
        }
    }

    /// Each file with lines, rendered as Ansible's `dump` renders it.
    var dump: [String: String] {
        var out: [String: String] = [:]
        for f in files where !f.lines.isEmpty {
            out[f.path] = f.lines.map { l in
                (l.enabled ? "" : "# ") + l.source + (l.comment.isEmpty ? "" : " # " + l.comment) + "\n"
            }.joined()
        }
        return out
    }
}
