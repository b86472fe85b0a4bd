import Foundation

/// `include_vars` at load time: which variables it will define, so the tasks after it pass the
/// "defined nowhere" check.
extension PlaybookReader {
    /// Reads the file an `include_vars` task names, now, and records its variable names.
    ///
    /// The file is looked up where the executor will look (the role's `vars/`, the role, then
    /// `<playbook dir>/vars` and the playbook directory). A missing file is a load error, unless
    /// the task is guarded (`when`, `ignore_errors`). A templated path
    /// (`vars/{{ ansible_distribution }}.yml`) cannot be known before the host is: every file
    /// the path could match (each `{{ … }}` read as `*`) is read instead; when none matches,
    /// the play's undefined-variable check is turned off rather than flag variables the file
    /// may well define at run time — a false alarm would block a valid playbook, and a
    /// variable still undefined then fails its task with the template error.
    func readIncludeVarsKeys(_ task: Task, file: String) {
        let args = task.action.arguments
        if let name = args["name"]?.stringValue, !Templating.containsTemplate(name) {
            includedVariables.insert(name)
            return
        }
        guard let rel = (args["file"] ?? args["_raw_params"])?.stringValue?.trimmingCharacters(in: .whitespaces) else { return }
        let dirs: [String] = rel.hasPrefix("/") ? [""]
            : (task.role?.searchDirectories(forSubdirectory: IncludeVarsModule.controllerSubdirectory) ?? [])
              + [roles.playDirectory + "/vars", roles.playDirectory]
        let at = task.fieldLocations["args.file"] ?? task.fieldLocations["args"] ?? task.location(of: "action")
        if Templating.containsTemplate(rel) {
            let pattern = rel.replacingOccurrences(of: #"\{\{.*?\}\}"#, with: "*", options: .regularExpression)
            let matches = Templating.containsTemplate(pattern) ? [] : dirs.flatMap { Self.glob(($0.isEmpty ? "" : $0 + "/") + pattern) }
            if matches.isEmpty { roles.unknownIncludeVars = true }
            // Only mappings can be the file meant (a glob may also match a playbook or a task file).
            for m in matches { includedVariables.formUnion(Self.mappingKeys(m)) }
            return
        }
        let fm = FileManager.default
        guard let path = dirs.map({ $0.isEmpty ? rel : $0 + "/" + rel }).first(where: { fm.fileExists(atPath: $0) }) else {
            roles.unknownIncludeVars = true
            if task.when.isEmpty && !task.ignoreErrors && task.templatedKeywords["ignore_errors"] == nil {
                warn("include_vars: no file '\(rel)' now; looked in: " + dirs.joined(separator: ", ")
                     + " (a host that reaches this task fails unless the file exists then)", at,
                     hint: "paths are relative to the role's vars/ directory, else the playbook's vars/ or the playbook directory")
            }
            return
        }
        includedVariables.formUnion(readVarsKeys(path, at: at))
    }

    private func readVarsKeys(_ path: String, at: SourceLocation) -> [String] {
        Array(readVarsFile(path, at: at).keys)
    }

    static func mappingKeys(_ path: String) -> [String] {
        guard let root = try? YAMLFile.load(path), root.mapping != nil,
              case .dict(let d)? = try? YAMLFile.value(of: root, file: path) else { return [] }
        return Array(d.keys)
    }

    static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }
    }
}
