import Foundation

/// One entry of a play's `vars_files`, kept for the run when any entry of the play is a
/// template (`"vars/{{ ansible_os_family }}.yml"`): Ansible decides those per host, each time
/// a task's variables are computed, so provision does too (`VarsFilesResolver`).
public enum VarsFilesEntry: Sendable {
    /// A file named literally, read at load time.
    case loaded([String: Value])
    /// A path, or a list of candidate paths of which the first found is read, at least one of
    /// them a template. `directory`: the playbook's directory, where paths are looked up.
    case templated(candidates: [String], location: SourceLocation, directory: String)

    /// Where Ansible looks for a `vars_files` path written in a play of a playbook in `dir`
    /// (`path_dwim_relative_stack` with `vars`): `dir/vars/PATH`, then `dir/PATH`; an absolute
    /// path as it is.
    public static func searchPaths(_ rel: String, directory dir: String) -> [String] {
        if rel.hasPrefix("/") { return [rel] }
        let base = dir.isEmpty ? "." : dir
        var out: [String] = []
        if rel.split(separator: "/").first != "vars" { out.append(base + "/vars/" + rel) }
        out.append(base + "/" + rel)
        return out
    }
}
