import ArgumentParser
import Foundation
import ProvisionCore

/// The inventory and the hosts a command works on, loaded before anything connects. Load and
/// pattern errors are printed to stderr (each with file:line:col, the line and a caret) and
/// end the command with status 1.
struct HostSelection {
    var inventory: Inventory
    var hosts: [InventoryHost]

    init(_ options: InventoryOptions) throws {
        do {
            inventory = try InventoryLoader().load(options.inventory)
            let pattern = try HostPattern(options.limit ?? "all")
            hosts = try pattern.select(from: inventory)
        } catch let e as LoadError {
            throw Self.fail(e.diagnostics.map { $0.rendered() }.joined(separator: "\n"),
                            count: e.diagnostics.count)
        } catch let e as HostPatternError {
            throw Self.fail("provision: " + e.description, count: 0)
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

    /// SSH for most hosts, the controller itself for `connection: local` ones.
    var transportFactory: TransportFactory {
        RoutingTransportFactory(localHosts: Set(hosts.filter { $0.connection.kind == .local }.map(\.name)),
                                local: LocalTransportFactory(), remote: SSHTransportFactoryProvider.make())
    }
}
