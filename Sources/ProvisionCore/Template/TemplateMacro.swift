/// A `{% macro %}` bound at render time: its definition and the frame it was defined in (a
/// macro sees the variables around its definition, as in Jinja).
final class TemplateMacro {
    /// The parsed `{% macro name(params) %}…{% endmacro %}` (also the body of a `{% call %}`).
    struct Definition: Sendable {
        var name: String
        var parameters: [(name: String, defaultValue: ExpressionNode?)]
        var body: [TemplateNode]
        var offset: Int
    }

    let definition: Definition
    let frame: TemplateFrame?
    /// The body of the `{% call %}` block this macro runs for, as `caller()`.
    let caller: TemplateMacro?
    /// The variables an imported macro sees instead of its caller's (none, for a file
    /// imported without context).
    let scope: (any TemplateScope)?

    init(_ definition: Definition, frame: TemplateFrame?, caller: TemplateMacro? = nil, scope: (any TemplateScope)? = nil) {
        self.definition = definition
        self.frame = frame
        self.caller = caller
        self.scope = scope
    }

    /// Renders the body with `args` bound to the parameters; the text is the call's value.
    func invoke(_ args: CallArguments, scope callerScope: any TemplateScope) throws -> Value {
        let scope = self.scope ?? callerScope
        let params = definition.parameters
        var vars: [String: Value] = [:]
        if args.positional.count > params.count {
            throw TemplateError.type("macro '\(definition.name)' takes not more than \(params.count) argument(s)", at: args.offset)
        }
        for (name, _) in args.keyword where !params.contains(where: { $0.name == name }) {
            throw TemplateError.type("macro '\(definition.name)' takes no keyword argument '\(name)'", at: args.offset)
        }
        let local = TemplateFrame(parent: frame)
        if let caller { local.macros["caller"] = caller }
        local.vars["varargs"] = .list([])
        local.vars["kwargs"] = .dict(ValueDict())
        for (i, p) in params.enumerated() {
            if let given = args.operand(i, p.name) {
                vars[p.name] = try given.value(at: args.offset)
            } else if let d = p.defaultValue {
                // Defaults are evaluated at call time, seeing the parameters bound before them.
                local.vars.merge(vars) { _, new in new }
                vars[p.name] = try Evaluator(scope: scope, frame: local).value(d)
            } else {
                throw TemplateError.type("macro '\(definition.name)' needs the argument '\(p.name)' "
                    + "(an omitted argument without default is undefined in Jinja; provision refuses it)", at: args.offset)
            }
        }
        local.vars.merge(vars) { _, new in new }
        var out = ""
        try local.budget.nested(at: args.offset) {
            try Evaluator(scope: scope, frame: local).render(definition.body, into: &out)
        }
        return .string(out)
    }
}
