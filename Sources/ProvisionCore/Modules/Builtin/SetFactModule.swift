/// `set_fact`: sets host variables from its arguments (already rendered by the executor).
///
/// The result carries them in `data["ansible_facts"]` (`SetFactModule.factsKey`); the executor
/// sets `effects.hostVariables` on the host (set_fact precedence). `cacheable` is accepted and ignored (no fact cache).
public struct SetFactModule: Module {
    public static let name = "set_fact"
    /// The key of `ModuleResult.data` holding variables the executor must set on the host
    /// (also used by `setup`).
    public static let factsKey = "ansible_facts"
    public static let argumentSpec = ArgumentSpec([.init("cacheable", .bool, default: false)], acceptsAnyKey: true)
    public static let requirements: ModuleRequirements = [.argumentKeysAreVariables]

    public var facts: [String: Value]

    public init(arguments args: ModuleArguments) throws {
        facts = args.values.filter { $0.key != "cacheable" }.mapValues(Self.factValue)
        if facts.isEmpty { throw ModuleError("set_fact needs at least one variable to set") }
        for name in facts.keys where name.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) == nil {
            throw ModuleError("'\(name)' is not a valid variable name (letters, digits and _, not starting with a digit)")
        }
    }

    /// Ansible 2.14's set_fact turns a top-level string "true"/"false"/"yes"/"no" (any case)
    /// into a boolean (jinja2_native off), so `x: "{{ a == b }}"` and `x: "yes"` are booleans.
    static func factValue(_ v: Value) -> Value {
        guard case .string(let s) = v else { return v }
        switch s.lowercased() {
        case "true", "yes": return .bool(true)
        case "false", "no": return .bool(false)
        default: return v
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var r = ModuleResult.ok([Self.factsKey: .dict(facts)])
        r.effects.hostVariables = facts
        return r
    }
}

import Foundation
