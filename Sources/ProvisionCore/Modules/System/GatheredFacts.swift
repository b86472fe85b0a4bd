/// Facts a module returns (`services`, `packages`), shaped for the executor: each as a
/// top-level variable and inside `ansible_facts`, which is merged with the facts the host
/// already has because the executor replaces variables whole.
enum GatheredFacts {
    static func result(_ facts: [String: Value], in context: HostContext) -> ModuleResult {
        var all = context.vars["ansible_facts"]?.dictValue ?? [:]
        var vars = facts
        for (k, v) in facts { all[k] = v }
        vars["ansible_facts"] = .dict(all)
        var r = ModuleResult.ok([SetFactModule.factsKey: .dict(vars)])
        // The executor sets what a module's effects carry (the module seam), at fact precedence.
        r.effects.facts = vars
        return r
    }
}
