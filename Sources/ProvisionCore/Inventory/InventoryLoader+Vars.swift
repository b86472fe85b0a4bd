import Foundation
import Yams

extension InventoryLoader {
    /// Reads a mapping of variables (a host's entry, a group's `vars:`, a `group_vars` file),
    /// checking connection keys: misspellings, two spellings of one setting, and value types.
    func readVars(_ node: Node, owner: String, file: String, diagnostics: inout DiagnosticCollector) -> VarLayer {
        var layer = VarLayer()
        if isNull(node) { return layer }
        guard let map = node.mapping else {
            diagnostics.add("the variables of \(owner) must be a mapping of NAME: value",
                            at: YAMLFile.location(of: node, in: file))
            return layer
        }
        var seen: [ConnectionKey: String] = [:]
        for (k, v) in map {
            let keyLoc = YAMLFile.location(of: k, in: file)
            guard let key = k.scalar?.string, !key.isEmpty else {
                diagnostics.add("a variable name must be a plain string", at: keyLoc)
                continue
            }
            let value: Value
            do { value = try YAMLFile.value(of: v, file: file) } catch let e as LoadError {
                for d in e.diagnostics { diagnostics.add(d) }
                continue
            } catch { continue }
            if let (message, hint) = ConnectionKey.misspelling(key) {
                diagnostics.add("\(message) in \(owner)", at: keyLoc, hint: hint)
                continue
            }
            if let ck = ConnectionKey.named(key) {
                if let other = seen[ck] {
                    diagnostics.add("'\(key)' and '\(other)' both set the \(ck.label) of \(owner)", at: keyLoc,
                                    hint: "keep one of the two")
                    continue
                }
                seen[ck] = key
                if let problem = Self.valueProblem(ck, value) {
                    diagnostics.add("'\(key)' of \(owner) \(problem)", at: YAMLFile.location(of: v, in: file))
                    continue
                }
            }
            layer.values[key] = value
            layer.locations[key] = keyLoc
        }
        return layer
    }

    /// What is wrong with a connection setting's value, if anything.
    static func valueProblem(_ key: ConnectionKey, _ value: Value) -> String? {
        if ArgumentSpec.isTemplated(value) { return nil }
        switch key {
        case .port:
            let n: Int?
            switch value {
            case .int(let i): n = i
            case .string(let s): n = Int(s)
            default: n = nil
            }
            guard let n, (1...65535).contains(n) else { return "must be a port number from 1 to 65535" }
            return nil
        case .connection:
            guard let s = value.stringValue, HostConnection.Kind(spelling: s) != nil else {
                return "must be 'ssh' or 'local' (got '\(value.renderedString)')"
            }
            return nil
        case .become:
            if case .bool = value { return nil }
            if let s = value.stringValue, ModuleArguments.parseBool(s) != nil { return nil }
            return "must be true or false"
        case .becomeMethod:
            // Any name loads, as in Ansible: a method provision does not speak fails the tasks
            // that become on that host, when they run.
            guard value.stringValue != nil else { return "must be a become method name such as 'sudo' or 'su'" }
            return nil
        case .connectTimeout:
            switch value {
            case .int(let i) where i > 0: return nil
            case .string(let s) where (Double(s) ?? 0) > 0: return nil
            default: return "must be a number of seconds"
            }
        case .hostKeyChecking:
            return HostConnection.hostKeyChecking(value) == nil
                ? "must be accept-new, strict or off (or a boolean: false means off)" : nil
        case .address, .user, .identityFile, .passwordFile, .becomePasswordFile, .becomeUser,
             .password, .becomePassword, .knownHostsFile:
            switch value {
            case .string(let s) where !s.isEmpty: return nil
            case .int: return nil
            default: return "must be a non-empty string"
            }
        }
    }
}

extension ConnectionKey {
    /// How messages name the setting.
    var label: String {
        switch self {
        case .address: return "address"
        case .port: return "port"
        case .user: return "user"
        case .identityFile: return "identity file"
        case .connection: return "connection type"
        case .password: return "password"
        case .becomePassword: return "become password"
        case .passwordFile: return "password file"
        case .becomePasswordFile: return "become password file"
        case .become: return "become flag"
        case .becomeUser: return "become user"
        case .becomeMethod: return "become method"
        case .connectTimeout: return "connect timeout"
        case .knownHostsFile: return "known_hosts file"
        case .hostKeyChecking: return "host key checking policy"
        }
    }
}

extension HostConnection.Kind {
    /// Reads a connection type as inventories spell it (`ssh`, `smart` and `paramiko` all mean ssh).
    init?(spelling: String) {
        switch spelling.lowercased() {
        case "ssh", "smart", "paramiko", "paramiko_ssh": self = .ssh
        case "local": self = .local
        default: return nil
        }
    }
}
