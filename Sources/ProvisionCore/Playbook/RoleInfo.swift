/// Which role a task comes from: its name as the play wrote it and its directory on the
/// controller (`role_name`, `role_path`; `files/`, `templates/` and `vars/` are searched there).
public struct RoleInfo: Sendable, Equatable {
    public var name: String
    /// Absolute path of the role's directory.
    public var path: String

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// The controller directories a module's relative `src` is looked up in, before the
    /// playbook directory: the role's `files/` (copy), `templates/` (template) or `vars/`
    /// (include_vars) — the module's `controllerSubdirectory` — then the role itself, as Ansible searches.
    public func searchDirectories(forSubdirectory sub: String?) -> [String] {
        (sub.map { [path + "/" + $0] } ?? []) + [path, path + "/tasks"]
    }
}
