import Yams

/// Typed reads of keyword values; a wrong type is a diagnostic at the value, and nil.
extension PlaybookReader {
    func bool(_ node: Node, _ file: String, _ key: String) -> Bool? {
        switch value(node, file) {
        case .bool(let b): return b
        case .string(let s):
            if let b = ModuleArguments.parseBool(s), !s.isEmpty { return b }
        case .int(let i) where i == 0 || i == 1: return i == 1
        default: break
        }
        error("'\(key)' must be true or false", location(node, file))
        return nil
    }

    func string(_ node: Node, _ file: String, _ key: String) -> String? {
        switch value(node, file) {
        case .string(let s): return s
        case .int, .double, .bool: return value(node, file).renderedString
        default:
            error("'\(key)' must be a string", location(node, file))
            return nil
        }
    }

    func int(_ node: Node, _ file: String, _ key: String) -> Int? {
        switch value(node, file) {
        case .int(let i) where i >= 0: return i
        case .string(let s): if let i = Int(s), i >= 0 { return i }
        default: break
        }
        error("'\(key)' must be a whole number, 0 or more", location(node, file))
        return nil
    }

    func number(_ node: Node, _ file: String, _ key: String) -> Double? {
        switch value(node, file) {
        case .int(let i) where i >= 0: return Double(i)
        case .double(let d) where d >= 0: return d
        case .string(let s): if let d = Double(s), d >= 0 { return d }
        default: break
        }
        error("'\(key)' must be a number of seconds, 0 or more", location(node, file))
        return nil
    }

    func dict(_ node: Node, _ file: String, _ key: String) -> [String: Value]? {
        if case .null = value(node, file) { return [:] }
        guard node.mapping != nil, case .dict(let d) = value(node, file) else {
            error("'\(key)' must be a mapping of names to values", location(node, file))
            return nil
        }
        for (k, _) in d where k.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) == nil {
            error("'\(k)' is not a valid variable name (letters, digits and _, not starting with a digit)",
                  location(node, file))
        }
        return [String: Value](d)
    }

    /// A list of strings, or one string split on commas (`tags: a,b`).
    func stringList(_ node: Node, _ file: String, _ key: String) -> [String] {
        switch value(node, file) {
        case .null: return []
        case .string(let s):
            return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .int, .bool, .double: return [value(node, file).renderedString]
        case .list(let items), .tuple(let items):
            var out: [String] = []
            for item in items {
                switch item {
                case .string, .int, .bool, .double: out.append(item.renderedString)
                default: error("'\(key)' must list strings", location(node, file))
                }
            }
            return out
        case .dict:
            error("'\(key)' must be a string or a list of strings", location(node, file))
            return []
        }
    }
}

import Foundation

/// Keywords that may be templates, and keywords provision reads but does not act on.
extension PlaybookReader {
    /// The value when it is a template (rendered per host at run time), else nil.
    func templateOf(_ node: Node, _ file: String) -> Value? {
        let v = value(node, file)
        if case .string(let s) = v, Templating.containsTemplate(s) { return v }
        return nil
    }

    /// `module_defaults:`: a mapping of module (or `group/…`) to arguments; a list of such
    /// mappings is merged. Action groups cannot be resolved here: a warning says so.
    func readModuleDefaults(_ node: Node, file: String) -> [String: Value] {
        var out: [String: Value] = [:]
        let v = value(node, file)
        let maps: [Value]
        switch v {
        case .dict: maps = [v]
        case .list(let l): maps = l
        case .null: maps = []
        default:
            error("'module_defaults' must be a mapping of module names to their default arguments", location(node, file))
            return [:]
        }
        for m in maps {
            guard case .dict(let d) = m else {
                error("'module_defaults' must be a mapping of module names to their default arguments", location(node, file))
                continue
            }
            for (k, args) in d {
                if k.hasPrefix("group/") {
                    warn("module_defaults: action group '\(k)' is not resolved by provision; its defaults apply to no task",
                         location(node, file), hint: "name the modules one by one under module_defaults")
                    continue
                }
                guard case .dict = args else {
                    error("module_defaults: '\(k)' must map to a mapping of arguments", location(node, file))
                    continue
                }
                if loader.moduleLookup(k) == nil && ModuleRegistry.ansibleName(k) == nil {
                    error("module_defaults: '\(k)' is not a module", location(node, file))
                }
                out[k] = args
            }
        }
        return out
    }

    /// Keywords with no effect in provision: a literal that asks for what provision always
    /// does passes; anything else is a clear error, never silently ignored.
    func readUnsupportedKeyword(_ key: String, _ node: Node, file: String) {
        let v = value(node, file)
        let at = location(node, file)
        switch key {
        case "debugger":
            warn("'debugger' is ignored: provision has no task debugger", at)
        case "timeout":
            warn("task 'timeout' is not enforced by provision (each remote command has --timeout)", at)
        case "become_flags":
            warn("'become_flags' is ignored: provision runs sudo with its own flags", at)
        case "any_errors_fatal":
            warn("'any_errors_fatal' on a block or task is not applied by provision; set it on the play", at)
        case "remote_user":
            error("a task or block cannot change 'remote_user': each host keeps one SSH session for the whole run", at,
                  hint: "set ansible_user in the inventory, or use become_user")
        case "port":
            error("a task or block cannot change 'port': set ansible_port in the inventory", at)
        default:
            error("'\(key)' is not supported", at)
        }
    }
}

extension PlaybookReader {
    /// Play keywords that may be templates.
    static let playTemplatable: Set<String> = ["become", "become_user", "gather_facts", "any_errors_fatal"]

    /// `vars_prompt:`: a list of `{name, prompt, private, default, confirm}`.
    func readVarsPrompt(_ node: Node, file: String) -> [VarsPrompt] {
        guard let seq = node.sequence else {
            if case .null = value(node, file) { return [] }
            error("'vars_prompt' must be a list of prompts (name, prompt, private, default)", location(node, file))
            return []
        }
        var out: [VarsPrompt] = []
        let allowed: Set<String> = ["name", "prompt", "private", "default", "confirm", "encrypt", "salt_size", "salt", "unsafe"]
        for item in seq {
            guard let map = item.mapping else {
                error("a vars_prompt entry must be a mapping with 'name' and 'prompt'", location(item, file))
                continue
            }
            var p = VarsPrompt(name: "", prompt: "", private: true, defaultValue: nil, confirm: false, location: location(item, file))
            for (k, v) in map {
                let key = k.scalar?.string ?? ""
                switch key {
                case "name": p.name = string(v, file, key) ?? ""
                case "prompt": p.prompt = string(v, file, key) ?? ""
                case "private": p.private = bool(v, file, key) ?? true
                case "default": p.defaultValue = value(v, file)
                case "confirm": p.confirm = bool(v, file, key) ?? false
                case "unsafe": _ = bool(v, file, key)
                case "encrypt", "salt_size", "salt":
                    error("vars_prompt '\(key)' is not supported (no password hashing here)", location(k, file),
                          hint: "hash the value in the task with '| password_hash'")
                default: unknownKey(key, k, file: file, allowed: allowed, what: "vars_prompt entry")
                }
            }
            if p.name.isEmpty { error("a vars_prompt entry needs a 'name'", p.location) } else { out.append(p) }
        }
        return out
    }
}

extension PlaybookReader {
    /// `connection:` on a task or block: `local` runs it on the controller (as `delegate_to:
    /// localhost`), `ssh`/`smart` is what provision does anyway; others are errors.
    func isLocalConnection(_ node: Node, file: String) -> Bool {
        let c = string(node, file, "connection") ?? ""
        if ["local", "ansible.builtin.local"].contains(c) { return true }
        if !["ssh", "smart", "paramiko", "ansible.builtin.ssh"].contains(c) {
            error("connection '\(c)' is not supported (ssh and local are)", location(node, file))
        }
        return false
    }
}
