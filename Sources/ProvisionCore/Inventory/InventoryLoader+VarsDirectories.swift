import Foundation

extension InventoryLoader {
    /// Reads `group_vars/` and `host_vars/` in `dir` (beside an inventory file), as Ansible does: for a
    /// group or host NAME, the file `NAME`, `NAME.yml`, `NAME.yaml` or `NAME.json`, or every
    /// such file inside a directory `NAME/` (sorted; later files win). Files for names the
    /// inventory does not define are ignored. `besidePlaybook`: the directories next to the
    /// playbook, which Ansible reads as a separate, higher layer (play-adjacent vars).
    func readVarsDirectories(in dir: String, besidePlaybook: Bool = false, into draft: inout InventoryDraft) {
        let base = dir.isEmpty ? "." : dir
        for name in draft.groupOrder {
            let layer = readVarsFiles(for: name, in: (base as NSString).appendingPathComponent("group_vars"),
                                      owner: "group '\(name)'", diagnostics: &draft.diagnostics)
            if layer.isEmpty { continue }
            if besidePlaybook { draft.groups[name]?.playbookVars.merge(layer) } else { draft.groups[name]?.fileVars.merge(layer) }
        }
        for name in draft.hostOrder {
            let layer = readVarsFiles(for: name, in: (base as NSString).appendingPathComponent("host_vars"),
                                      owner: "host '\(name)'", diagnostics: &draft.diagnostics)
            if layer.isEmpty { continue }
            if besidePlaybook { draft.hosts[name]?.playbookVars.merge(layer) } else { draft.hosts[name]?.fileVars.merge(layer) }
        }
    }

    private func readVarsFiles(for name: String, in dir: String, owner: String,
                               diagnostics: inout DiagnosticCollector) -> VarLayer {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else { return VarLayer() }
        let stem = (dir as NSString).appendingPathComponent(name)
        var files: [String] = []
        for ext in ["", ".yml", ".yaml", ".json"] {
            let path = stem + ext
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                files += Self.varsFiles(inDirectory: path)
            } else {
                files.append(path)
            }
        }
        var layer = VarLayer()
        for path in files {
            do {
                guard let node = try YAMLFile.load(path) else { continue }
                layer.merge(readVars(node, owner: owner, file: path, diagnostics: &diagnostics))
            } catch let e as LoadError {
                for d in e.diagnostics { diagnostics.add(d) }
            } catch {
                diagnostics.add("cannot read: \(error)", at: SourceLocation(file: path))
            }
        }
        return layer
    }

    /// Variable files inside a `group_vars/NAME/` directory, recursively, sorted, hidden and
    /// backup files skipped.
    static func varsFiles(inDirectory dir: String) -> [String] {
        guard let names = try? FileManager.default.subpathsOfDirectory(atPath: dir) else { return [] }
        return names.sorted().compactMap { sub in
            let parts = sub.split(separator: "/")
            if parts.contains(where: { $0.hasPrefix(".") }) { return nil }
            let path = (dir as NSString).appendingPathComponent(sub)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { return nil }
            let ext = (sub as NSString).pathExtension
            guard ["", "yml", "yaml", "json"].contains(ext), !sub.hasSuffix("~") else { return nil }
            return path
        }
    }
}
