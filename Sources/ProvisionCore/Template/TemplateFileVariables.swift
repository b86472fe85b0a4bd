import Foundation

/// The variables Ansible adds while it renders a template file (the `template` module and the
/// `template` lookup, ansible-core 2.14's `generate_ansible_template_vars`): `ansible_managed`,
/// `template_host`, `template_path`, `template_fullpath`, `template_destpath`, `template_uid`,
/// `template_mtime` and `template_run_date`. They win over every other variable, as there.
///
/// `template_mtime` and `template_run_date` are Python datetimes in Ansible; provision has no
/// date type, so they are the text Python prints for them (`2024-01-15 10:00:00.123456`),
/// which is what a template file shows.
public enum TemplateFileVariables {
    /// Ansible 2.14's `[defaults] ansible_managed`.
    public static let defaultManaged = "Ansible managed"

    /// `path` is the name the task gave (`src:`), `fullPath` the file found for it, `destPath`
    /// the module's `dest` (nil for the lookup); `managed` the `ansible_managed` setting, a
    /// Python format string (`{host}`, `{uid}`, `{file}`) then a strftime pattern applied to
    /// the file's modification time.
    public static func make(path: String, fullPath: String, destPath: String?,
                            managed: String = defaultManaged, now: Date = Date()) throws -> [String: Value] {
        var st = stat()
        let found = stat(fullPath, &st) == 0
        let uid: String
        if found, let pw = getpwuid(st.st_uid), let name = pw.pointee.pw_name {
            uid = String(cString: name)
        } else {
            uid = found ? String(st.st_uid) : ""
        }
        // Python reads the mtime as a float and rounds its fraction to microseconds (half to even).
        let mtimeFloat = found ? Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9 : now.timeIntervalSince1970
        var mtime = time_t(mtimeFloat.rounded(.down))
        var mtimeMicros = Int(((mtimeFloat - mtimeFloat.rounded(.down)) * 1e6).rounded(.toNearestOrEven))
        if mtimeMicros >= 1_000_000 { mtime += 1; mtimeMicros -= 1_000_000 }
        let host = hostName()
        var vars: [String: Value] = [
            "template_host": .string(host),
            "template_path": .string(path),
            "template_fullpath": .string(fullPath),
            "template_uid": .string(uid),
            "template_mtime": .string(PythonDateTime.str(mtime, microseconds: mtimeMicros)),
            "template_run_date": .string(PythonDateTime.str(now)),
        ]
        vars["template_destpath"] = destPath.map(Value.string) ?? .null
        // A field other than these fails the task in Ansible too (a KeyError there).
        let formatted = try PythonStrFormat.format(managed, positional: [], keyword: [
            "host": .string(host), "uid": .string(uid), "file": .string(path),
        ], at: 0)
        vars["ansible_managed"] = .string(PythonDateTime.cStrftime(formatted, mtime))
        return vars
    }

    /// `os.uname()[1]`, the controller's node name.
    static func hostName() -> String {
        var u = utsname()
        guard uname(&u) == 0 else { return ProcessInfo.processInfo.hostName }
        return withUnsafeBytes(of: &u.nodename) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
