/// `validate_argument_spec`: checks variables against an argument spec, as Ansible's action
/// does. The loader puts one before a role's tasks when the role has `meta/argument_specs.yml`
/// (or `argument_specs` in `meta/main.yml`) for the entry point, named as Ansible names it.
public struct ValidateArgumentSpecModule: Module {
    public static let name = "validate_argument_spec"
    public static let argumentSpec = ArgumentSpec([
        .init("argument_spec", .dict, required: true), .init("provided_arguments", .dict),
        .init("validate_args_context", .any),
        // Set by the loader: provided arguments written as templates (rendered before the
        // module sees them), which Ansible's messages call `str`.
        .init("_templated", .list),
    ])

    var options: ValueDict
    var provided: [String: Value]
    var context: Value
    var templated: Set<String>

    public init(arguments args: ModuleArguments) throws {
        guard case .dict(let spec)? = args.values["argument_spec"] else {
            throw ModuleError("'argument_spec' must be a mapping of options")
        }
        options = spec
        provided = try args.dict("provided_arguments") ?? [:]
        context = args.values["validate_args_context"] ?? .dict([:])
        templated = Set((try args.stringList("_templated")) ?? [])
    }

    public func run(in ctx: HostContext) throws -> ModuleResult {
        // The spec'd names from the task's variables (rendered), the provided ones on top.
        var values: [String: Value] = [:]
        var rendered = templated
        for name in options.keys {
            if let v = provided[name] { values[name] = v; continue }
            guard let v = ctx.vars[name] else { continue }
            if case .string(let s) = v, Templating.containsTemplate(s) {
                values[name] = .string(try ctx.renderTemplate(s))
                rendered.insert(name)
            } else {
                values[name] = v
            }
        }
        let errors = RoleArgumentCheck(options: options).errors(values, rendered: rendered)
        var data: [String: Value] = ["validate_args_context": context]
        guard !errors.isEmpty else {
            return ModuleResult(changed: false, message: "The arg spec validation passed", data: data)
        }
        data["argument_spec_data"] = .dict(options)
        data["argument_errors"] = .list(errors.map(Value.string))
        return .failed("Validation of arguments failed:\n" + errors.joined(separator: "\n"), data: data)
    }
}
