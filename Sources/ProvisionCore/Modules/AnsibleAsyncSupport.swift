/// Which modules Ansible refuses to run with `async`: those whose action plugin (the
/// controller-side half, e.g. `copy`, `template`) does not declare `_supports_async`. A task
/// using one with `async` fails on each host with Ansible's message "async is not supported
/// for this task." Modules without an action plugin, and command, shell, package, service,
/// reboot, uri and yum, support it. From ansible-core 2.14's `plugins/action/` and the
/// action plugins of ansible.posix.
public enum AnsibleAsyncSupport {
    static let refusing: Set<String> = [
        "add_host", "assemble", "assert", "async_status", "copy", "debug", "fail", "fetch", "gather_facts",
        "group_by", "include_vars", "pause", "raw", "script", "set_fact", "set_stats", "template", "unarchive",
        "validate_argument_spec", "wait_for_connection", "synchronize", "patch",
    ]

    /// True when Ansible refuses `async` for the module named `name` (short or long name).
    public static func refuses(_ name: String) -> Bool {
        refusing.contains(String(name.split(separator: ".").last ?? Substring(name)))
    }

    public static let message = "async is not supported for this task."
}
