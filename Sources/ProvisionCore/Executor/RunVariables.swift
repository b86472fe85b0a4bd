import Foundation

/// Run-wide variable sources: extra vars, the inventory's groups, and every host's state for
/// `hostvars`.
final class RunVariables: @unchecked Sendable {
    let extraVars: [String: Value]
    /// `groups`: group name → host names, inventory order.
    let groups: Value
    let hostOrder: [String]
    let states: [String: HostState]
    let playbookDirectory: String
    let inventoryDirectory: String
    let checkMode: Bool
    let diffMode: Bool

    init(extraVars: [String: Value], groups: [String: [String]], hosts: [HostState],
         playbookDirectory: String, inventoryDirectory: String, checkMode: Bool, diffMode: Bool) {
        self.extraVars = extraVars
        self.groups = .dict(groups.mapValues { .list($0.map(Value.string)) })
        self.hostOrder = hosts.map(\.name)
        var s: [String: HostState] = [:]
        for h in hosts { s[h.name] = h }
        self.states = s
        self.playbookDirectory = playbookDirectory
        self.inventoryDirectory = inventoryDirectory
        self.checkMode = checkMode
        self.diffMode = diffMode
    }

    /// `hostvars`: each host's variables as its own tasks would see them, built on demand.
    func hostvars(play: PlayVariables) -> any LazyMapping {
        ClosureMapping(keys: { [hostOrder] in hostOrder }, member: { [self] name in
            guard let state = states[name] else { return nil }
            // Ansible's hostvars hold a host's inventory vars, facts and set_fact values, not
            // the current play's vars.
            var hostOnly = play
            hostOnly.vars = [:]
            hostOnly.varsFilesVars = [:]
            let scope = HostScope(run: self, host: state, play: hostOnly)
            let keys = Array(Set(scope.flattened().keys)).sorted()
            return .mapping(ClosureMapping(keys: { keys }, member: { scope.lookup($0) }))
        })
    }
}
