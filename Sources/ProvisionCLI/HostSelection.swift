import ArgumentParser
import Foundation
import ProvisionCore

/// The inventory and the hosts a command works on, loaded before anything connects. Load and
/// pattern errors are printed to stderr (each with file:line:col, the line and a caret) and
/// end the command with status 1.
struct HostSelection {
    var inventory: Inventory
    var hosts: [InventoryHost]

    /// `hostsRequired`: false lets an inventory without hosts through when no `--limit` is
    /// given (`hosts --list` shows it, as ansible-inventory does). `playbookDir`: where the
    /// playbook is, whose `group_vars/` and `host_vars/` Ansible reads too.
    init(_ options: InventoryOptions, config: AnsibleConfig, hostsRequired: Bool = true, playbookDir: String? = nil) throws {
        do {
            inventory = try InventoryLoader().load(options.sources(config: config), playbookDir: playbookDir)
            if !hostsRequired && options.limit == nil && inventory.hosts.isEmpty {
                hosts = []
                return
            }
            let pattern = try HostPattern(options.limit ?? "all")
            // As Ansible: parts that match nothing are warned about; only an empty selection fails.
            let resolution = try pattern.resolve(in: inventory)
            for w in resolution.warnings { FileHandle.standardError.write(Data("provision: warning: \(w)\n".utf8)) }
            guard !resolution.indices.isEmpty else { throw resolution.emptyError }
            let inv = inventory
            hosts = resolution.indices.map { inv.host(at: $0) }
        } catch let e as LoadError {
            throw Self.fail(e.diagnostics.map { $0.rendered() }.joined(separator: "\n"),
                            count: e.diagnostics.count)
        } catch let e as HostPatternError {
            throw Self.fail("provision: " + e.description, count: 0)
        }
    }

    /// ansible.cfg and the `ANSIBLE_*` environment; its warnings go to stderr, an unreadable or
    /// malformed file ends the command with status 1.
    static func loadConfig() throws -> AnsibleConfig {
        do {
            let config = try AnsibleConfig.load()
            for w in config.warnings { FileHandle.standardError.write(Data("provision: warning: \(w)\n".utf8)) }
            return config
        } catch let e as LoadError {
            throw fail(e.diagnostics.map { $0.rendered() }.joined(separator: "\n"), count: e.diagnostics.count)
        }
    }

    /// Prints `text` to stderr and gives the error that ends the command with status 1.
    static func fail(_ text: String, count: Int) -> ExitCode {
        var s = text + "\n"
        if count > 1 { s += "provision: \(count) errors; nothing was run\n" }
        FileHandle.standardError.write(Data(s.utf8))
        return ExitCode(ProvisionCore.ExitStatus.usageOrLoadError)
    }

    /// Connection targets for the selected hosts; an unreadable password file is a load error.
    func targets(defaults: ConnectionDefaults) throws -> [ConnectionTarget] {
        do {
            return try hosts.map { try $0.connectionTarget(defaults: defaults) }
        } catch let e as LoadError {
            throw Self.fail(e.diagnostics.map { $0.rendered() }.joined(separator: "\n"), count: e.diagnostics.count)
        }
    }

    /// Defines `ansible_user` for every listed host as the user it logs in as, however that was
    /// given (`--user`, the inventory, ansible.cfg's `remote_user`), and the key `--private-key`
    /// gives it, as Ansible does.
    mutating func defineLoginUsers(defaults: ConnectionDefaults) {
        Self.defineConnectionVariables(&inventory, defaults: defaults)
        hosts = hosts.map { inventory.host(named: $0.name) ?? $0 }
    }

    static func defineConnectionVariables(_ inventory: inout Inventory, defaults: ConnectionDefaults) {
        for host in inventory.hosts {
            if let user = host.loginUser(defaults: defaults) {
                inventory.setVariable("ansible_user", to: .string(user), ofHost: host.name)
            }
            if let key = host.commandLineKey(defaults: defaults) {
                for name in ["ansible_ssh_private_key_file", "ansible_private_key_file"] {
                    inventory.setVariable(name, to: .string(key), ofHost: host.name)
                }
            }
        }
    }

    /// SSH for most hosts, the controller itself for `connection: local` ones.
    var transportFactory: TransportFactory {
        RoutingTransportFactory(localHosts: Set(hosts.filter { $0.connection.kind == .local }.map(\.name)),
                                local: LocalTransportFactory(), remote: SSHTransportFactoryProvider.make())
    }
}
