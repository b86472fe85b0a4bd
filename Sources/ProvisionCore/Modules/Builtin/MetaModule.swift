/// `meta`: an instruction to the executor (`meta: flush_handlers`), not to the host.
///
/// The module only validates the action; its result carries it in `data["meta_action"]`
/// (`ModuleResult.metaAction`) for the executor to carry out.
public struct MetaModule: Module {
    public static let name = "meta"
    public static let resultKey = "meta_action"
    public static let argumentSpec = ArgumentSpec([.init("_raw_params", required: true)], freeForm: true)

    /// What the executor does with a `meta` task.
    public enum Action: String, CaseIterable, Sendable {
        /// Run the handlers notified so far, now.
        case flushHandlers = "flush_handlers"
        /// Stop the play for every host (the run goes on with the next play).
        case endPlay = "end_play"
        /// Stop the play for this host only (not a failure).
        case endHost = "end_host"
        /// Stop the current batch (`serial`) for every host.
        case endBatch = "end_batch"
        /// Forget the facts gathered for this host.
        case clearFacts = "clear_facts"
        /// Make failed hosts of this play eligible again.
        case clearHostErrors = "clear_host_errors"
        /// Close and reopen the connection (after adding the user to a group, say).
        case resetConnection = "reset_connection"
        /// Reload the inventory.
        case refreshInventory = "refresh_inventory"
        case noop
    }

    public var action: Action

    public init(arguments args: ModuleArguments) throws {
        let raw = try args.requiredString("_raw_params").trimmingCharacters(in: .whitespaces)
        guard let a = Action(rawValue: raw) else {
            throw ModuleError("unknown meta action '\(raw)'; known: \(Action.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        action = a
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        .ok([Self.resultKey: .string(action.rawValue)])
    }
}

extension ModuleResult {
    /// The executor instruction a `meta` task returned.
    public var metaAction: MetaModule.Action? {
        data[MetaModule.resultKey]?.stringValue.flatMap(MetaModule.Action.init(rawValue:))
    }

    /// Variables a `set_fact` or `setup` task asks the executor to set on the host.
    public var facts: [String: Value]? {
        data[SetFactModule.factsKey]?.dictValue.map { [String: Value]($0) }
    }
}
