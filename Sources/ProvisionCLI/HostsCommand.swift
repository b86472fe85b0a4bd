import ArgumentParser
import Foundation
import ProvisionCore

/// `provision hosts`: what an inventory and a pattern resolve to, without contacting any host.
struct HostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "List the selected hosts with their groups and connection settings.",
        discussion: """
        Nothing is contacted. --vars adds each host's merged variables (all < parent group < \
        child group < host; secrets masked); --graph draws the group tree instead.

        Examples:
          provision hosts -i inventories/hosts.yml
          provision hosts --limit 'workers:!red03' --vars
          provision hosts --graph
        """
    )

    @OptionGroup var inventoryOptions: InventoryOptions
    @Flag(help: "Show each host's merged variables (secrets masked).")
    var vars = false
    @Flag(help: "Show the group tree.")
    var graph = false
    @OptionGroup(title: "Connection options") var common: CommonOptions

    func run() throws {
        let selection = try HostSelection(inventoryOptions)
        let text: String
        if graph {
            text = InventoryReport.graph(selection.inventory, hosts: selection.hosts)
        } else {
            // Passwords are not needed to show hosts: no prompt, no environment.
            let defaults = ConnectionDefaults(user: common.user, identityFiles: common.identity,
                                              hostKeyChecking: common.hostKeyChecking, knownHostsFile: common.knownHosts)
            let targets = selection.hosts.map {
                (try? $0.connectionTarget(defaults: defaults))
                    ?? ConnectionTarget(name: $0.name, address: $0.connection.address, port: $0.connection.port,
                                        user: defaults.user ?? $0.connection.user)
            }
            text = InventoryReport.table(selection.hosts, targets: targets, showVars: vars)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
