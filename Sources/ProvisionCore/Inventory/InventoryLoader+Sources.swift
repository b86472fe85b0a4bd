import Foundation

extension InventoryLoader {
    /// Loads several inventory sources into one inventory, as Ansible does with several `-i`:
    /// each a file (YAML or INI) or a directory (every file in it, recursively, sorted, with
    /// Ansible's ignored names and extensions skipped), each with the `group_vars/` and
    /// `host_vars/` beside it (in it, for a directory). Later sources add to earlier ones.
    /// `playbookDir`: the directory of the playbook being run (ansible-inventory's
    /// `--playbook-dir`), whose `group_vars/` and `host_vars/` Ansible also reads, above the
    /// inventory's (group_vars/all of the playbook under the inventory's child groups).
    public func load(_ paths: [String], playbookDir: String? = nil) throws -> Inventory {
        var draft = InventoryDraft(file: paths.first ?? "")
        /// The first file read names the inventory (`inventory_file`, and its directory
        /// `inventory_dir`), as Ansible names it after the file a host came from.
        var firstFile: String?
        var varsDirectories: Set<String> = []
        for path in paths {
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            if !exists && path.contains(",") {
                // Ansible's host list: `-i 'web1,web2:2222,'`.
                draft.file = path
                for name in path.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                    addHosts(pattern: name, location: SourceLocation(file: path), quoted: false, vars: VarLayer(),
                             group: "all", into: &draft)
                }
                continue
            }
            guard exists else {
                draft.diagnostics.add("file not found", at: SourceLocation(file: path),
                                      hint: "give an inventory file or directory with -i, or set inventory in ansible.cfg")
                continue
            }
            if isDir.boolValue {
                for file in Self.inventoryFiles(inDirectory: path) {
                    firstFile = firstFile ?? file
                    readSource(file, into: &draft)
                }
                readVarsDirectories(in: path, into: &draft)
                varsDirectories.insert(Self.canonical(path))
            } else {
                firstFile = firstFile ?? path
                readSource(path, into: &draft)
                readVarsDirectories(in: (path as NSString).deletingLastPathComponent, into: &draft)
                varsDirectories.insert(Self.canonical((path as NSString).deletingLastPathComponent))
            }
        }
        if let playbookDir {
            // A directory already read beside an inventory is read again (its layer sits
            // higher), but its problems were reported once already.
            let before = draft.diagnostics
            readVarsDirectories(in: playbookDir, besidePlaybook: true, into: &draft)
            if varsDirectories.contains(Self.canonical(playbookDir)) { draft.diagnostics = before }
        }
        draft.file = firstFile ?? paths.first ?? ""
        return try finish(&draft)
    }

    /// `dir` absolute and without symlinks, to tell when two spellings name one directory.
    static func canonical(_ dir: String) -> String {
        let d = dir.isEmpty ? "." : dir
        let absolute = d.hasPrefix("/") ? d : FileManager.default.currentDirectoryPath + "/" + d
        return URL(fileURLWithPath: absolute).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// Reads one inventory file, YAML or INI as Ansible's plugins decide: `.yml`, `.yaml` and
    /// `.json` files are YAML; other files are YAML when they parse as a YAML mapping, else INI.
    func readSource(_ path: String, into draft: inout InventoryDraft) {
        draft.file = path
        guard let data = FileManager.default.contents(atPath: path) else {
            draft.diagnostics.add("cannot read inventory file '\(path)'", at: SourceLocation(file: path),
                                  hint: "check the file's permissions")
            return
        }
        let text = String(decoding: data, as: UTF8.self)
        let ext = (path as NSString).pathExtension.lowercased()
        if text.hasPrefix("#!"), FileManager.default.isExecutableFile(atPath: path) {
            draft.diagnostics.add("'\(path)' is an inventory script, which provision does not run",
                                  at: SourceLocation(file: path, line: 1, column: 1),
                                  hint: "save its output once (\(path) --list > hosts.json) and use that file as the inventory")
            return
        }
        if ["yml", "yaml", "json"].contains(ext) {
            do {
                if let root = try YAMLFile.parse(text, file: path) { read(root, into: &draft) }
            } catch let e as LoadError {
                for d in e.diagnostics { draft.diagnostics.add(d) }
            } catch {
                draft.diagnostics.add("cannot read: \(error)", at: SourceLocation(file: path))
            }
            return
        }
        // As Ansible's plugins take turns: YAML first; when the YAML reading fails, INI; when
        // both fail, the YAML reading's errors if the text is a YAML mapping, else INI's.
        guard let root = try? YAMLFile.parse(text, file: path), root.mapping != nil else {
            readINI(text, into: &draft)
            return
        }
        let before = draft.diagnostics.diagnostics.count
        var asYAML = draft
        read(root, into: &asYAML)
        if asYAML.diagnostics.diagnostics.count > before {
            var asINI = draft
            readINI(text, into: &asINI)
            if asINI.diagnostics.diagnostics.count == before {
                draft = asINI
                return
            }
        }
        draft = asYAML
    }

    /// Files of an inventory directory, as Ansible's inventory manager walks it: sorted,
    /// recursively, skipping hidden names, `group_vars`, `host_vars`, `vars_plugins` and the
    /// extensions Ansible ignores there (`.ini` and `.cfg` among them).
    static func inventoryFiles(inDirectory dir: String) -> [String] {
        let ignoredExtensions = [".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst",
                                 ".orig", ".ini", ".cfg", ".retry"]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        var out: [String] = []
        for name in names.sorted() {
            if name.hasPrefix(".") || ["host_vars", "group_vars", "vars_plugins"].contains(name)
                || ignoredExtensions.contains(where: { name.hasSuffix($0) }) { continue }
            let path = (dir as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            out += isDir.boolValue ? inventoryFiles(inDirectory: path) : [path]
        }
        return out
    }

    /// Groups nobody lists as a child hang under `all`, as Ansible's reconciliation does.
    func reconcileTopGroups(_ draft: inout InventoryDraft) {
        for name in draft.groupOrder where name != "all" && (draft.groups[name]?.parents.isEmpty ?? false) {
            draft.ensureGroup(name, at: nil, parent: "all")
        }
    }
}
