// TEMPORARY stand-in for the lead's AnsibleModuleNames (Sources/ProvisionCore/Modules/
// AnsibleModuleNames.swift): delete this file when main's table is merged.

/// Ansible's module names (stand-in): the builtin ones, a few old short names routed to
/// collections, and any `namespace.collection.name`.
enum AnsibleModuleNames {
    static let builtin: Set<String> = [
        "add_host", "apt", "apt_key", "apt_repository", "assemble", "assert", "async_status",
        "async_wrapper", "blockinfile", "command", "copy", "cron", "debconf", "debug", "dnf",
        "dpkg_selections", "expect", "fail", "fetch", "file", "find", "gather_facts", "get_url",
        "getent", "git", "group", "group_by", "hostname", "import_playbook", "import_role",
        "import_tasks", "include_role", "include_tasks", "include_vars", "iptables", "known_hosts",
        "lineinfile", "meta", "package", "package_facts", "pause", "ping", "pip", "raw", "reboot",
        "replace", "rpm_key", "script", "service", "service_facts", "set_fact", "set_stats",
        "setup", "shell", "slurp", "stat", "subversion", "systemd", "systemd_service", "sysvinit",
        "tempfile", "template", "unarchive", "uri", "user", "validate_argument_spec", "wait_for",
        "wait_for_connection", "yum", "yum_repository",
        "include",
    ]
    static let routed: [String: String] = [
        "mount": "ansible.posix.mount", "sysctl": "ansible.posix.sysctl", "authorized_key": "ansible.posix.authorized_key",
        "ini_file": "community.general.ini_file", "zypper_repository": "community.general.zypper_repository",
        "zypper": "community.general.zypper", "ufw": "community.general.ufw", "timezone": "community.general.timezone",
        "docker_swarm": "community.docker.docker_swarm", "docker_network": "community.docker.docker_network",
        "docker_container": "community.docker.docker_container", "docker_image": "community.docker.docker_image",
        "modprobe": "community.general.modprobe", "pip": "ansible.builtin.pip", "synchronize": "ansible.posix.synchronize",
    ]

    /// The canonical name for any name Ansible accepts, nil when no collection has it.
    static func resolve(_ key: String) -> String? {
        for p in ["ansible.builtin.", "ansible.legacy."] where key.hasPrefix(p) {
            let short = String(key.dropFirst(p.count))
            return builtin.contains(short) ? "ansible.builtin." + short : nil
        }
        if builtin.contains(key) { return "ansible.builtin." + key }
        if let r = routed[key] { return r }
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count >= 3, parts.allSatisfy({ !$0.isEmpty }) { return key }
        return nil
    }
}
