/// Facts a module returns (`services`, `packages`), shaped for the executor: each as a
/// top-level variable and inside `ansible_facts`, which is merged with the facts the host
/// already has because the executor replaces variables whole.
enum GatheredFacts {
    static func result(_ facts: [String: Value], in context: HostContext) -> ModuleResult {
        var all = context.vars["ansible_facts"]?.dictValue ?? [:]
        var vars = facts
        for (k, v) in facts { all[k] = v }
        vars["ansible_facts"] = .dict(all)
        return .ok([SetFactModule.factsKey: .dict(vars)])
    }
}
