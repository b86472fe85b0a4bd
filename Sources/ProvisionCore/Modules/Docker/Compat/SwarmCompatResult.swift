/// The result fields the collection's swarm modules share: `actions`, `swarm_facts`, `diff`.
struct SwarmCompatResult {
    var changed = false
    var actions: [String] = []
    var facts: Value = .null
    var before: [String: Value] = [:]
    var after: [String: Value] = [:]

    mutating func diff(key: String, before b: Value, after a: Value) {
        before[key] = b
        after[key] = a
    }

    func result(diffMode: Bool) -> ModuleResult {
        var data: [String: Value] = ["actions": .list(actions.map(Value.string)), "swarm_facts": facts]
        if diffMode { data["diff"] = .dict(["before": .dict(before), "after": .dict(after)]) }
        return ModuleResult(changed: changed, message: actions.last, data: data)
    }
}
