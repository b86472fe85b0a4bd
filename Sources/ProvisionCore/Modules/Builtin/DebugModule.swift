/// `debug`: shows a message (`msg`, rendered by the executor) or a variable's value (`var`).
///
/// `var` is looked up in the host's variables by path (`a.b`, `a['b']`, `a[0]`); anything else
/// is rendered as an expression through `HostContext.renderTemplate`. `verbosity` is returned
/// in `data["verbosity"]` for the reporter, which hides the output below that level.
public struct DebugModule: Module {
    public static let name = "debug"
    public static let argumentSpec = ArgumentSpec([
        .init("msg", .any), .init("var"), .init("verbosity", .int, default: 0),
    ], mutuallyExclusive: [["msg", "var"]])

    public var message: Value
    public var variable: String?
    public var verbosity: Int

    public init(arguments args: ModuleArguments) throws {
        message = args.values["msg"] ?? "Hello world!"
        variable = try args.string("var")
        verbosity = try args.int("verbosity") ?? 0
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        guard let variable else {
            return .ok(["msg": message, "verbosity": .int(verbosity)], message: message.renderedString)
        }
        let value: Value
        if let v = VariablePath.lookup(variable, in: context.vars) {
            value = v
        } else if VariablePath.isPath(variable) {
            value = "VARIABLE IS NOT DEFINED!"
        } else {
            do {
                value = .string(try context.renderTemplate("{{ " + variable + " }}"))
            } catch {
                value = .string("VARIABLE IS NOT DEFINED!: \(error)")
            }
        }
        return .ok([variable: value, "verbosity": .int(verbosity)], message: "\(variable): \(value.renderedString)")
    }
}
