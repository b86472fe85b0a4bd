import Foundation

/// `lookup('config', NAME, …)`: the Ansible settings provision itself reads (environment over
/// ansible.cfg, as `AnsibleConfig` resolves them), with Ansible's defaults and types. Any
/// other setting, and `plugin_type`/`plugin_name`, is refused rather than guessed.
extension Evaluator {
    func configLookup(_ terms: [Value], _ args: CallArguments) throws -> [Value] {
        func fail(_ message: String) -> TemplateError { .evaluation("lookup('config'): " + message, at: args.offset) }
        if try args.value(-1, "plugin_type") != nil || args.value(-1, "plugin_name") != nil {
            throw fail("plugin settings (plugin_type/plugin_name) are not supported by provision")
        }
        let config: AnsibleConfig
        do { config = try AnsibleConfig.load() } catch { throw fail("cannot read the Ansible configuration: \(error)") }
        let home = NSHomeDirectory()
        return try terms.map { term in
            guard case .string(let name) = term else {
                throw fail("Invalid setting identifier, \"\(term.renderedString)\" is not a string, it is a \(term.typeName)")
            }
            switch name {
            case "DEFAULT_TIMEOUT": return .int(config.timeout ?? 10)
            case "DEFAULT_FORKS": return .int(config.forks ?? 5)
            case "DEFAULT_BECOME": return .bool(config.become ?? false)
            case "DEFAULT_BECOME_METHOD": return .string(config.becomeMethod ?? "sudo")
            case "DEFAULT_BECOME_USER": return .string(config.becomeUser ?? "root")
            case "DEFAULT_BECOME_ASK_PASS": return .bool(config.becomeAskPass ?? false)
            case "DEFAULT_ASK_PASS": return .bool(config.askPass ?? false)
            case "DEFAULT_REMOTE_USER": return config.remoteUser.map(Value.string) ?? .null
            case "DEFAULT_PRIVATE_KEY_FILE": return config.privateKeyFile.map(Value.string) ?? .null
            case "HOST_KEY_CHECKING": return .bool(config.hostKeyChecking ?? true)
            case "DEFAULT_ROLES_PATH": return .list(config.effectiveRolesPath(home: home).map(Value.string))
            case "DEFAULT_MANAGED_STR": return .string(config.ansibleManaged ?? "Ansible managed")
            default:
                if let setting = Self.reportedSettings[name] { return try setting.value(in: config, fail: fail) }
                throw fail("the setting \(name) is not one provision knows (those it reads: DEFAULT_TIMEOUT, DEFAULT_FORKS, "
                    + "DEFAULT_BECOME, DEFAULT_BECOME_METHOD, DEFAULT_BECOME_USER, DEFAULT_BECOME_ASK_PASS, DEFAULT_ASK_PASS, "
                    + "DEFAULT_REMOTE_USER, DEFAULT_PRIVATE_KEY_FILE, HOST_KEY_CHECKING, DEFAULT_ROLES_PATH, DEFAULT_MANAGED_STR; "
                    + "and those it reports: \(Self.reportedSettings.keys.sorted().joined(separator: ", ")))")
            }
        }
    }
}

/// Settings provision does not act on but reports as Ansible would: from the environment or
/// ansible.cfg, else Ansible's default, converted to the setting's type (as `ansible-config
/// list` describes them).
struct ReportedSetting {
    enum Kind { case string, int, bool }
    let env: [String]
    let section: String
    let key: String
    let kind: Kind
    let fallback: Value

    func value(in config: AnsibleConfig, fail: (String) -> TemplateError) throws -> Value {
        guard let raw = config.rawSetting(env: env, section: section, key: key) else { return fallback }
        switch kind {
        case .string: return .string(raw)
        case .int:
            guard let i = Int(raw.trimmingCharacters(in: .whitespaces)) else { throw fail("\(key) must be an integer, got '\(raw)'") }
            return .int(i)
        case .bool:
            guard let b = AnsibleConfig.boolean(raw) else { throw fail("\(key) must be a boolean, got '\(raw)'") }
            return .bool(b)
        }
    }
}

extension Evaluator {
    static let reportedSettings: [String: ReportedSetting] = {
        func s(_ env: [String], _ key: String, _ kind: ReportedSetting.Kind, _ fallback: Value,
               section: String = "defaults") -> ReportedSetting {
            ReportedSetting(env: env, section: section, key: key, kind: kind, fallback: fallback)
        }
        return [
            "DEFAULT_GATHERING": s(["ANSIBLE_GATHERING"], "gathering", .string, "implicit"),
            "DEFAULT_HASH_BEHAVIOUR": s(["ANSIBLE_HASH_BEHAVIOUR"], "hash_behaviour", .string, "replace"),
            "DEFAULT_POLL_INTERVAL": s(["ANSIBLE_POLL_INTERVAL"], "poll_interval", .int, 15),
            "DEFAULT_JINJA2_NATIVE": s(["ANSIBLE_JINJA2_NATIVE"], "jinja2_native", .bool, false),
            "DEFAULT_KEEP_REMOTE_FILES": s(["ANSIBLE_KEEP_REMOTE_FILES"], "keep_remote_files", .bool, false),
            "DEFAULT_UNDEFINED_VAR_BEHAVIOR": s(["ANSIBLE_ERROR_ON_UNDEFINED_VARS"], "error_on_undefined_vars", .bool, true),
            "ANSIBLE_FORCE_COLOR": s(["ANSIBLE_FORCE_COLOR"], "force_color", .bool, false),
            "ANSIBLE_NOCOLOR": s(["ANSIBLE_NOCOLOR", "NO_COLOR"], "nocolor", .bool, false),
            "DEFAULT_REMOTE_PORT": s(["ANSIBLE_REMOTE_PORT"], "remote_port", .int, .null),
            "DEFAULT_STDOUT_CALLBACK": s(["ANSIBLE_STDOUT_CALLBACK"], "stdout_callback", .string, "default"),
            "DEFAULT_MODULE_NAME": s([], "module_name", .string, "command"),
            "DEFAULT_PRIVATE_ROLE_VARS": s(["ANSIBLE_PRIVATE_ROLE_VARS"], "private_role_vars", .bool, false),
            "RETRY_FILES_ENABLED": s(["ANSIBLE_RETRY_FILES_ENABLED"], "retry_files_enabled", .bool, false),
            "DISPLAY_SKIPPED_HOSTS": s(["ANSIBLE_DISPLAY_SKIPPED_HOSTS"], "display_skipped_hosts", .bool, true),
            "INTERPRETER_PYTHON": s(["ANSIBLE_PYTHON_INTERPRETER"], "interpreter_python", .string, "auto"),
            "DEPRECATION_WARNINGS": s(["ANSIBLE_DEPRECATION_WARNINGS"], "deprecation_warnings", .bool, true),
            "SYSTEM_WARNINGS": s(["ANSIBLE_SYSTEM_WARNINGS"], "system_warnings", .bool, true),
            "DEFAULT_NO_LOG": s(["ANSIBLE_NO_LOG"], "no_log", .bool, false),
            "DEFAULT_FORCE_HANDLERS": s(["ANSIBLE_FORCE_HANDLERS"], "force_handlers", .bool, false),
            "ANY_ERRORS_FATAL": s(["ANSIBLE_ANY_ERRORS_FATAL"], "any_errors_fatal", .bool, false),
            "DEFAULT_ALLOW_UNSAFE_LOOKUPS": s([], "allow_unsafe_lookups", .bool, false),
            "DEFAULT_GATHER_TIMEOUT": s(["ANSIBLE_GATHER_TIMEOUT"], "gather_timeout", .int, .null),
            "DEFAULT_STRATEGY": s(["ANSIBLE_STRATEGY"], "strategy", .string, "linear"),
            "DEFAULT_EXECUTABLE": s(["ANSIBLE_EXECUTABLE"], "executable", .string, "/bin/sh"),
            "DEFAULT_LOAD_CALLBACK_PLUGINS": s(["ANSIBLE_LOAD_CALLBACK_PLUGINS"], "bin_ansible_callbacks", .bool, false),
            "DEFAULT_VAULT_IDENTITY": s(["ANSIBLE_VAULT_IDENTITY"], "vault_identity", .string, "default"),
            "DEFAULT_BECOME_FLAGS": s(["ANSIBLE_BECOME_FLAGS"], "become_flags", .string, .null, section: "privilege_escalation"),
        ]
    }()
}
