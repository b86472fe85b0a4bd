import Foundation

/// The Ansible settings provision honours, from `ANSIBLE_*` environment variables over
/// `ansible.cfg` (see `AnsibleConfigFile.locate`), as Ansible resolves them. Command-line
/// options go above these; the CLI applies them.
///
/// Unknown keys are ignored, as Ansible ignores them; settings Ansible knows and provision
/// cannot honour produce `warnings`; a value of the wrong type is a load error at its line.
public struct AnsibleConfig: Sendable {
    /// The configuration file read, if any.
    public var file: String?
    /// `[defaults] inventory` / `ANSIBLE_INVENTORY`: sources, comma-separated.
    public var inventory: [String]?
    /// `[defaults] remote_user` / `ANSIBLE_REMOTE_USER`: the login user where the inventory names none.
    public var remoteUser: String?
    /// `[defaults] private_key_file` / `ANSIBLE_PRIVATE_KEY_FILE`.
    public var privateKeyFile: String?
    public var forks: Int?
    /// `host_key_checking`: false turns checking off; true keeps provision's accept-new.
    public var hostKeyChecking: Bool?
    /// `roles_path` / `ANSIBLE_ROLES_PATH`, then nothing else: the default is `defaultRolesPath`.
    public var rolesPath: [String]?
    /// `[defaults] timeout` / `ANSIBLE_TIMEOUT`: the SSH connection timeout in seconds.
    public var timeout: Int?
    public var askPass: Bool?
    public var become: Bool?
    public var becomeUser: String?
    public var becomeMethod: String?
    public var becomeAskPass: Bool?
    /// `[defaults] ansible_managed` (no environment variable): the template module's text.
    public var ansibleManaged: String?
    /// Settings read but not honoured, one message each (with file:line when from the file).
    public var warnings: [String] = []
    /// The file and environment read, for `lookup('config')` of settings provision only reports.
    var settingsFile: AnsibleConfigFile?
    var settingsEnvironment: [String: String] = [:]

    /// A setting's raw text as Ansible finds it: the first of its environment variables that is
    /// set, else its key in the file (one pair of quotes stripped); nil when neither has it.
    func rawSetting(env: [String], section: String, key: String) -> String? {
        for name in env { if let v = settingsEnvironment[name] { return v } }
        return settingsFile?.value(section, key).map { Self.unquote($0.value) }
    }

    public init() {}

    /// Ansible's default role search path after the playbook's own `roles/`.
    public static func defaultRolesPath(home: String) -> [String] {
        [(home as NSString).appendingPathComponent(".ansible/roles"), "/usr/share/ansible/roles", "/etc/ansible/roles"]
    }

    /// `rolesPath`, or the default.
    public func effectiveRolesPath(home: String) -> [String] { rolesPath ?? Self.defaultRolesPath(home: home) }

    /// Reads the environment and the configuration file Ansible would read.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            currentDirectory: String = FileManager.default.currentDirectoryPath,
                            home: String = NSHomeDirectory()) throws -> AnsibleConfig {
        var config = AnsibleConfig()
        var diagnostics = DiagnosticCollector()
        let file = try AnsibleConfigFile.locate(environment: environment, currentDirectory: currentDirectory, home: home)
            .map { try AnsibleConfigFile(path: $0) }
        config.file = file?.path
        config.settingsFile = file
        config.settingsEnvironment = environment
        let cfgDir = file.map { ($0.path as NSString).deletingLastPathComponent } ?? currentDirectory

        /// The raw setting: environment first, then the file; with where it came from.
        func raw(_ env: String, _ section: String, _ key: String) -> (String, SourceLocation?, String)? {
            if let v = environment[env] { return (v, nil, currentDirectory) }
            if let file, let (v, line) = file.value(section, key) {
                return (Self.unquote(v), SourceLocation(file: file.path, line: line, column: 1), cfgDir)
            }
            return nil
        }
        func bool(_ env: String, _ section: String, _ key: String) -> Bool? {
            guard let (v, at, _) = raw(env, section, key) else { return nil }
            if let b = Self.boolean(v) { return b }
            diagnostics.add("\(key) must be a boolean (true/false, yes/no, 1/0), got '\(v)'",
                            at: at ?? SourceLocation(file: env))
            return nil
        }
        func int(_ env: String, _ section: String, _ key: String) -> Int? {
            guard let (v, at, _) = raw(env, section, key) else { return nil }
            if let i = Int(v.trimmingCharacters(in: .whitespaces)), i > 0 { return i }
            diagnostics.add("\(key) must be a positive integer, got '\(v)'", at: at ?? SourceLocation(file: env))
            return nil
        }
        func string(_ env: String, _ section: String, _ key: String) -> String? {
            guard let (v, _, _) = raw(env, section, key), !v.isEmpty else { return nil }
            return v
        }
        func path(_ env: String, _ section: String, _ key: String) -> String? {
            guard let (v, _, base) = raw(env, section, key), !v.isEmpty else { return nil }
            return AnsibleConfigFile.expand(v, home: home, base: base)
        }

        if let (v, _, base) = raw("ANSIBLE_INVENTORY", "defaults", "inventory") ?? raw("ANSIBLE_HOSTS", "defaults", "hostfile") {
            config.inventory = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.map { AnsibleConfigFile.expand($0, home: home, base: base) }
        }
        config.remoteUser = string("ANSIBLE_REMOTE_USER", "defaults", "remote_user")
        config.privateKeyFile = path("ANSIBLE_PRIVATE_KEY_FILE", "defaults", "private_key_file")
        config.forks = int("ANSIBLE_FORKS", "defaults", "forks")
        config.hostKeyChecking = bool("ANSIBLE_HOST_KEY_CHECKING", "defaults", "host_key_checking")
        if let (v, _, base) = raw("ANSIBLE_ROLES_PATH", "defaults", "roles_path") {
            config.rolesPath = v.split(separator: ":").map { AnsibleConfigFile.expand(String($0), home: home, base: base) }
        }
        config.timeout = int("ANSIBLE_TIMEOUT", "defaults", "timeout")
        config.askPass = bool("ANSIBLE_ASK_PASS", "defaults", "ask_pass")
        config.become = bool("ANSIBLE_BECOME", "privilege_escalation", "become")
        config.becomeUser = string("ANSIBLE_BECOME_USER", "privilege_escalation", "become_user")
        config.becomeMethod = string("ANSIBLE_BECOME_METHOD", "privilege_escalation", "become_method")
        config.becomeAskPass = bool("ANSIBLE_BECOME_ASK_PASS", "privilege_escalation", "become_ask_pass")
        if let file, let (v, _) = file.value("defaults", "ansible_managed") { config.ansibleManaged = Self.unquote(v) }
        if let m = config.becomeMethod, !["sudo", "su"].contains(m) {
            let at = raw("ANSIBLE_BECOME_METHOD", "privilege_escalation", "become_method")?.1
            diagnostics.add("become_method '\(m)' is not supported: provision becomes with sudo or su",
                            at: at ?? SourceLocation(file: "ANSIBLE_BECOME_METHOD"))
        }
        try diagnostics.throwIfAny()
        if let file { config.warnings = unhonoured(file) }
        for (env, what) in unhonouredEnvironment where environment[env] != nil {
            config.warnings.append("\(env) is set but not honoured: \(what)")
        }
        return config
    }

    /// Known Ansible settings provision does not act on, and why.
    static let unhonouredSettings: [String: [String: String]] = [
        "defaults": [
            "strategy": "provision always runs the linear strategy",
            "vault_password_file": "provision does not read Ansible Vault files",
            "ask_vault_pass": "provision does not read Ansible Vault files",
            "stdout_callback": "provision prints its own output",
            "callbacks_enabled": "provision prints its own output",
            "callback_whitelist": "provision prints its own output",
            "library": "provision runs its own modules, not Python module files",
            "module_utils": "provision runs its own modules, not Python module files",
            "action_plugins": "plugins are Python code, which provision does not run",
            "filter_plugins": "plugins are Python code, which provision does not run",
            "lookup_plugins": "plugins are Python code, which provision does not run",
            "callback_plugins": "plugins are Python code, which provision does not run",
            "connection_plugins": "plugins are Python code, which provision does not run",
            "vars_plugins": "plugins are Python code, which provision does not run",
            "remote_port": "give the port in the inventory (ansible_port) instead",
            "transport": "provision connects with its own SSH client",
        ],
        "privilege_escalation": [
            "become_exe": "provision runs sudo or su themselves",
            "become_flags": "provision passes its own flags to sudo and su",
        ],
        "ssh_connection": [
            "ssh_args": "provision uses libssh2, not the ssh command",
            "ssh_common_args": "provision uses libssh2, not the ssh command",
            "ssh_extra_args": "provision uses libssh2, not the ssh command",
            "control_path": "provision keeps one session per host itself",
            "control_path_dir": "provision keeps one session per host itself",
        ],
    ]

    static let unhonouredEnvironment: [String: String] = [
        "ANSIBLE_STRATEGY": "provision always runs the linear strategy",
        "ANSIBLE_VAULT_PASSWORD_FILE": "provision does not read Ansible Vault files",
        "ANSIBLE_STDOUT_CALLBACK": "provision prints its own output",
    ]

    static func unhonoured(_ file: AnsibleConfigFile) -> [String] {
        var out: [String] = []
        for section in unhonouredSettings.keys.sorted() {
            for (key, line) in file.keys(in: section) {
                guard let why = unhonouredSettings[section]?[key] else { continue }
                if key == "strategy", file.value(section, key)?.value == "linear" { continue }
                out.append("\(file.path):\(line): [\(section)] \(key) is not honoured: \(why)")
            }
        }
        return out
    }

    /// Ansible's boolean words.
    public static func boolean(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "y", "yes", "on", "1", "true", "t", "1.0": return true
        case "n", "no", "off", "0", "false", "f", "0.0", "": return false
        default: return nil
        }
    }

    /// Ansible strips one pair of matching quotes from string settings.
    static func unquote(_ s: String) -> String {
        guard s.count >= 2, let f = s.first, f == s.last, f == "'" || f == "\"" else { return s }
        return String(s.dropFirst().dropLast())
    }
}
