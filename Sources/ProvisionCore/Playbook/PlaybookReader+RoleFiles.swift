import Foundation
import Yams

/// Finding a role's directory and reading its files (`tasks/`, `handlers/`, `defaults/`,
/// `vars/`, `meta/`), each `main.yml`, `main.yaml` or `main`.
extension PlaybookReader {
    /// Where a role named `name` may live, in search order: `<playbook dir>/roles/NAME`, the
    /// playbook directory, next to the role that depends on it, then `rolesPath`. A name with
    /// a `/` may also be a path from the playbook directory (or absolute).
    func roleCandidates(_ name: String, parentRole: String?) -> [String] {
        let dir = roles.playDirectory
        if name.hasPrefix("/") { return [name] }
        var out = [dir + "/roles/" + name, dir + "/" + name]
        if let parentRole { out.append((parentRole as NSString).deletingLastPathComponent + "/" + name) }
        out += loader.rolesPath.map { $0 + "/" + name }
        var seen = Set<String>()
        return out.map { ($0 as NSString).standardizingPath }.filter { seen.insert($0).inserted }
    }

    func locateRole(_ ref: RoleReference, parentRole: String?) -> String? {
        let candidates = roleCandidates(ref.name, parentRole: parentRole)
        let fm = FileManager.default
        for c in candidates {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: c, isDirectory: &isDir), isDir.boolValue else { continue }
            let path = PlaybookExecutor.absolute(c)
            let parts = ["tasks", "handlers", "defaults", "meta"]
            if !parts.contains(where: { roleFile(path, dir: $0, name: "main") != nil }) {
                error("role '\(ref.name)' at \(path) has no tasks/main.yml (nor handlers, defaults or meta)", ref.location,
                      hint: "a role needs at least tasks/main.yml; check the role's name and layout")
                return nil
            }
            return path
        }
        error("role '\(ref.name)' not found; looked in: " + candidates.joined(separator: ", "), ref.location,
              hint: "put it in roles/\(ref.name) next to the playbook, or add its parent directory to PROVISION_ROLES_PATH")
        return nil
    }

    /// `ROLE/DIR/NAME`, `NAME.yml` or `NAME.yaml`, whichever exists first.
    func roleFile(_ role: String, dir: String, name: String) -> String? {
        let base = role + "/" + dir + "/" + name
        let fm = FileManager.default
        var isDir: ObjCBool = false
        for c in [base + ".yml", base + ".yaml", base] where fm.fileExists(atPath: c, isDirectory: &isDir) && !isDir.boolValue {
            return c
        }
        return nil
    }

    /// The role's `meta/main.yml`: `dependencies` and `allow_duplicates` (the rest, such as
    /// `galaxy_info`, is for Ansible Galaxy and ignored), and `collections` its short module
    /// names are looked up in.
    func readRoleMeta(_ role: String) -> (dependencies: [RoleReference], allowDuplicates: Bool, collections: [String]) {
        guard let path = roleFile(role, dir: "meta", name: "main"), let root = loadYAML(path, at: SourceLocation(file: path)),
              let map = root.mapping else { return ([], false, []) }
        var deps: [RoleReference] = []
        var allow = false
        var collections: [String] = []
        for (k, v) in map {
            switch k.scalar?.string {
            case "dependencies":
                if case .null = value(v, path) { continue }
                guard let seq = v.sequence else {
                    error("'dependencies' must be a list of roles", location(v, path))
                    continue
                }
                deps += seq.compactMap { readRoleReference($0, file: path) }
            case "allow_duplicates": allow = bool(v, path, "allow_duplicates") ?? false
            case "collections": collections = stringList(v, path, "collections")
            default: break
            }
        }
        return (deps, allow, collections)
    }

    /// `defaults/NAME` or `vars/NAME` of the role as variables ([:] when the file is absent,
    /// unless another file than main was asked for).
    func readRoleVars(_ role: String, dir: String, name: String, at: SourceLocation) -> [String: Value] {
        guard let path = roleFile(role, dir: dir, name: name) else {
            if name != "main" { error("role has no \(dir)/\(name).yml (in \(role))", at) }
            return [:]
        }
        return readVarsFile(path, at: at)
    }

    func readRoleTasks(_ role: String, name: String, inherited: Inherited, at: SourceLocation) -> [TaskNode] {
        guard let path = roleFile(role, dir: "tasks", name: name) else {
            if name != "main" { error("role has no tasks/\(name).yml (in \(role))", at, hint: "check 'tasks_from'") }
            return []
        }
        guard let root = loadYAML(path, at: at) else { return [] }
        includeStack.append(path)
        defer { includeStack.removeLast() }
        return readTaskList(root, file: path, inherited: inherited, section: "tasks")
    }

    /// The role's handlers; each also answers to `ROLE : name`, as Ansible lets a notify say.
    func readRoleHandlers(_ role: String, name: String, inherited: Inherited, at: SourceLocation) -> [Task] {
        guard let path = roleFile(role, dir: "handlers", name: name) else {
            if name != "main" { error("role has no handlers/\(name).yml (in \(role))", at) }
            return []
        }
        guard let root = loadYAML(path, at: at) else { return [] }
        includeStack.append(path)
        defer { includeStack.removeLast() }
        return TaskNode.handlers(readTaskList(root, file: path, inherited: inherited, section: "handlers", handlers: true))
            .map { h in
                var h = h
                if let n = h.name, let r = h.role { h.listen.append("\(r.name) : \(n)") }
                return h
            }
    }

    /// A YAML file's root node; problems are diagnostics (at `at` when the file itself cannot
    /// be read). nil for an empty file or an error.
    func loadYAML(_ path: String, at: SourceLocation) -> Node? {
        do {
            return try YAMLFile.load(path)
        } catch let e as LoadError {
            for d in e.diagnostics {
                if d.location.line == 0 { error("cannot read '\(path)': \(d.message)", at) } else { diagnostics.add(d) }
            }
        } catch {
            self.error("cannot read '\(path)': \(error)", at)
        }
        return nil
    }
}
