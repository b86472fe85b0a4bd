/// `meta`: an instruction to the executor (`meta: flush_handlers`), not to the host.
///
/// The module only validates the action; its result carries it in `effects.directive` for the
/// executor to carry out (and, unconditional, the executor carries it out without running it:
/// `RunDirectiveModule`).
public struct MetaModule: RunDirectiveModule {
    public static let name = "meta"
    public static let argumentSpec = ArgumentSpec([.init("_raw_params", required: true)], freeForm: true)

    /// The actions `meta` accepts.
    public typealias Action = RunDirective

    public var action: Action
    public var directive: RunDirective { action }

    public init(arguments args: ModuleArguments) throws {
        let raw = try args.requiredString("_raw_params").trimmingCharacters(in: .whitespaces)
        guard let a = Action(rawValue: raw) else {
            throw ModuleError("unknown meta action '\(raw)'; known: \(Action.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        action = a
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var r = ModuleResult.ok()
        r.effects.directive = action
        return r
    }
}

extension ModuleResult {
    /// The executor instruction a `meta` task returned.
    public var metaAction: RunDirective? { effects.directive }

    /// Variables a `set_fact`, `setup` or `include_vars` task asks the executor to set.
    public var facts: [String: Value]? {
        if !effects.hostVariables.isEmpty { return effects.hostVariables }
        if !effects.facts.isEmpty { return effects.facts }
        if !effects.includedVariables.isEmpty { return effects.includedVariables }
        return data[SetFactModule.factsKey]?.dictValue.map { [String: Value]($0) }
    }
}

import Foundation
