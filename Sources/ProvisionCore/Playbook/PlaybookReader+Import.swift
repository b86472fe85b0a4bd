import Foundation
import Yams

/// `- import_playbook: other.yml` entries: the other file's plays, read in place. As Ansible:
/// the entry's `vars` win over each play's own, its `tags` join each play's, and its `when`
/// guards every task of each play (handlers excepted) and the fact gathering.
extension PlaybookReader {
    static let importKeys: Set<String> = ["import_playbook", "name", "vars", "tags", "when"]

    /// The plays an `import_playbook` entry stands for; nil when `map` is not one.
    func readImport(_ map: Node.Mapping, node: Node, file: String) -> [Play]? {
        guard let entry = map.first(where: { Self.shortKeyword($0.key.scalar?.string ?? "") == "import_playbook" }) else { return nil }
        var vars: [String: Value] = [:]
        var tags: [String] = []
        var when: [(Value, SourceLocation)] = []
        for (k, v) in map {
            let key = Self.shortKeyword(k.scalar?.string ?? "")
            if key == "vars" { vars = dict(v, file, key) ?? [:] }
            else if key == "tags" { tags = stringList(v, file, key) }
            else if key == "when" { when = conditions(v, file: file) }
            else if !Self.importKeys.contains(key) {
                unknownKey(key, k, file: file, allowed: Self.importKeys, what: "import_playbook entry")
            }
        }
        guard let rel = entry.value.scalar?.string, !rel.isEmpty, !Templating.containsTemplate(rel) else {
            error("'import_playbook' needs a playbook file path (not templated)", location(entry.value, file))
            return []
        }
        let path = Self.resolve(rel, relativeTo: file)
        if includeStack.contains(path) || includeStack.count > 20 {
            error("'\(rel)' imports itself", location(entry.value, file))
            return []
        }
        let root: Node?
        do {
            root = try YAMLFile.load(path)
        } catch let e as LoadError {
            for d in e.diagnostics {
                if d.location.line == 0 {
                    error("cannot read playbook '\(rel)': \(d.message)", location(entry.value, file),
                          hint: "paths are relative to the playbook that imports them")
                } else { diagnostics.add(d) }
            }
            return []
        } catch {
            self.error("cannot read playbook '\(rel)': \(error)", location(entry.value, file))
            return []
        }
        includeStack.append(path)
        defer { includeStack.removeLast() }
        var plays = readPlaybook(root, file: path).plays
        // Ansible's legacy form: a comma-separated `tags` among the vars.
        if case .string(let legacy)? = vars.removeValue(forKey: "tags") {
            tags += legacy.split(separator: ",").map { String($0) }
        }
        for i in plays.indices {
            plays[i].vars.merge(vars) { _, imported in imported }
            if !tags.isEmpty {
                plays[i].tags = Array(Set(plays[i].tags + tags)).sorted()
                plays[i].forEachSection { $0 = $0.map { $0.addingTags(tags) } }
            }
            if !when.isEmpty {
                plays[i].gatherConditions = when.map(\.0) + plays[i].gatherConditions
                plays[i].forEachSection { $0 = $0.map { $0.prependingConditions(when) } }
            }
        }
        return plays
    }
}
