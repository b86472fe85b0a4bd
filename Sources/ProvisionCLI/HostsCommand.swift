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
        child group < host; secrets masked); --graph draws the group tree instead. --list and \
        --host print the JSON `ansible-inventory --list` / `--host` prints (secrets masked).

        Examples:
          provision hosts -i inventories/hosts.yml
          provision hosts --limit 'workers:!red03' --vars
          provision hosts --graph
          provision hosts -i hosts.ini --list
        """
    )

    @OptionGroup var inventoryOptions: InventoryOptions
    @Flag(help: "Show each host's merged variables (secrets masked).")
    var vars = false
    @Flag(help: "Show the group tree.")
    var graph = false
    @Flag(help: "Print the inventory as JSON, as ansible-inventory --list does.")
    var list = false
    @Option(help: ArgumentHelp("Print one host's variables as JSON, as ansible-inventory --host does.", valueName: "HOST"))
    var host: String?
    @Option(name: .customLong("playbook-dir"),
            help: ArgumentHelp("Also read group_vars/ and host_vars/ in this directory, as ansible-inventory --playbook-dir does (a run reads those beside its playbook).", valueName: "DIR"))
    var playbookDir: String?
    @OptionGroup(title: "Connection options") var common: CommonOptions

    func run() throws {
        let config = try HostSelection.loadConfig()
        let selection = try HostSelection(inventoryOptions, config: config, hostsRequired: !(list || graph || host != nil),
                                          playbookDir: playbookDir)
        let text: String
        if list {
            let only = inventoryOptions.limit == nil ? nil : Set(selection.hosts.map(\.name))
            text = selection.inventory.ansibleListing(only: only).prettyJSON() + "\n"
        } else if let name = host {
            guard let h = selection.inventory.host(named: name), !h.isImplicit else {
                throw HostSelection.fail("provision: error: host '\(name)' is not in the inventory", count: 1)
            }
            text = Value.dict(h.maskedVars).prettyJSON() + "\n"
        } else if graph {
            text = InventoryReport.graph(selection.inventory, hosts: selection.hosts,
                                         showEmptyGroups: inventoryOptions.limit == nil)
        } else {
            // Passwords are not needed to show hosts: no prompt, no environment.
            let defaults = common.baseDefaults(config: config)
            let targets = selection.hosts.map {
                (try? $0.connectionTarget(defaults: defaults))
                    ?? ConnectionTarget(name: $0.name, address: $0.connection.address, port: $0.connection.port,
                                        user: $0.loginUser(defaults: defaults))
            }
            text = InventoryReport.table(selection.hosts, targets: targets, showVars: vars)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
