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
                throw fail("the setting \(name) is not one provision reads (DEFAULT_TIMEOUT, DEFAULT_FORKS, DEFAULT_BECOME, "
                    + "DEFAULT_BECOME_METHOD, DEFAULT_BECOME_USER, DEFAULT_BECOME_ASK_PASS, DEFAULT_ASK_PASS, DEFAULT_REMOTE_USER, "
                    + "DEFAULT_PRIVATE_KEY_FILE, HOST_KEY_CHECKING, DEFAULT_ROLES_PATH, DEFAULT_MANAGED_STR)")
            }
        }
    }
}
