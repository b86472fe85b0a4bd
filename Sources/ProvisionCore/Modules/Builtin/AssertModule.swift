/// `assert`: fails unless every condition in `that` holds on this host.
///
/// Conditions are evaluated through `HostContext.renderTemplate` (see `ConditionEvaluator`), so
/// the executor passes `that` unrendered (as it passes `when`) and the module needs nothing
/// else from it.
public struct AssertModule: Module {
    public static let name = "assert"
    public static let unrenderedArguments: Set<String> = ["that"]
    public static let argumentSpec = ArgumentSpec([
        .init("that", .list, required: true), .init("fail_msg", .any, aliases: ["msg"]),
        .init("success_msg", .any), .init("quiet", .bool, default: false),
    ])

    public var conditions: [String]
    public var failMessage: String?
    public var successMessage: String?
    public var quiet: Bool

    public init(arguments args: ModuleArguments) throws {
        if case .list(let items)? = args.values["that"] {
            conditions = items.map(\.renderedString)
        } else {
            conditions = [try args.requiredString("that")]
        }
        failMessage = args.values["fail_msg"].flatMap { $0.isNull ? nil : $0.renderedString }
        successMessage = args.values["success_msg"].flatMap { $0.isNull ? nil : $0.renderedString }
        quiet = try args.bool("quiet") ?? false
        if conditions.isEmpty { throw ModuleError("'that' needs at least one condition") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        for c in conditions {
            let ok: Bool
            do {
                ok = try ConditionEvaluator.evaluate(c, in: context)
            } catch let e as ModuleError {
                return .failed(e.message, data: ["assertion": .string(c)])
            }
            if !ok {
                return .failed(failMessage ?? "Assertion failed",
                               data: ["assertion": .string(c), "evaluated_to": false])
            }
        }
        return .ok(["evaluated_to": true], message: quiet ? nil : (successMessage ?? "All assertions passed"))
    }
}
