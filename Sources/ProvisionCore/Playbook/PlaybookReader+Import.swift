import Foundation
import Yams

/// `- import_playbook: other.yml` entries: the other file's plays, read in place.
extension PlaybookReader {
    static let importKeys: Set<String> = ["import_playbook", "name", "vars"]

    /// The plays an `import_playbook` entry stands for; nil when `map` is not one.
    func readImport(_ map: Node.Mapping, node: Node, file: String) -> [Play]? {
        guard let entry = map.first(where: { Self.shortKeyword($0.key.scalar?.string ?? "") == "import_playbook" }) else { return nil }
        var vars: [String: Value] = [:]
        for (k, v) in map {
            let key = Self.shortKeyword(k.scalar?.string ?? "")
            if key == "vars" { vars = dict(v, file, key) ?? [:] }
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
        if !vars.isEmpty {
            for i in plays.indices { plays[i].vars = vars.merging(plays[i].vars) { _, own in own } }
        }
        return plays
    }
}
