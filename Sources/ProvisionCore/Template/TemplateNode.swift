/// One node of a parsed template body.
indirect enum TemplateNode: Sendable {
    case text(String)
    /// `{{ expr }}`
    case output(ExpressionNode)
    /// `{% if %}…{% elif %}…{% else %}…{% endif %}`
    case conditional(branches: [(condition: ExpressionNode, body: [TemplateNode])], otherwise: [TemplateNode]?)
    /// `{% for a[, b] in expr [if cond] [recursive] %}…{% else %}…{% endfor %}`
    case loop(targets: [String], iterable: ExpressionNode, filter: ExpressionNode?, body: [TemplateNode],
              otherwise: [TemplateNode]?, recursive: Bool, offset: Int)
    /// `{% set a[, b] = expr %}`
    case assign(targets: [String], value: ExpressionNode, offset: Int)
    /// `{% set x %}…{% endset %}` (optionally `{% set x | filter %}`): the body's text, through
    /// `filters` (an expression over `TemplateNode.blockBody`) when given.
    case assignBlock(target: String, filters: ExpressionNode?, body: [TemplateNode], offset: Int)
    /// `{% set ns.attr = expr %}`: only a `namespace()` object takes attributes.
    case assignAttribute(name: String, attribute: String, value: ExpressionNode, offset: Int)
    /// `{% macro name(a, b=default) %}…{% endmacro %}`
    case macro(TemplateMacro.Definition)
    /// `{% call[(params)] macro(args) %}…{% endcall %}`: the body is the macro's `caller()`.
    case callBlock(call: ExpressionNode, caller: TemplateMacro.Definition, offset: Int)
    /// `{% filter name(args) | … %}…{% endfilter %}`: the body's text through the filters.
    case filterBlock(filters: ExpressionNode, body: [TemplateNode], offset: Int)
    /// `{% block name [scoped] %}…{% endblock %}`: the body (or the one a template extending
    /// this one gives), in place, in a scope of its own that sees the template's top-level
    /// variables but, unless `scoped`, not the loop or `with` variables around it (as Jinja).
    case namedBlock(name: String, scoped: Bool, body: [TemplateNode], offset: Int)
    /// `{% with a = expr, … %}…{% endwith %}`: the body in a scope of its own.
    case with(bindings: [(name: String, value: ExpressionNode)], body: [TemplateNode], offset: Int)
    /// `{% include name [ignore missing] [with|without context] %}`: another template file,
    /// rendered in place (the template module's search path; see `TemplateLoader`).
    case include(template: ExpressionNode, ignoreMissing: Bool, withContext: Bool, offset: Int)
    /// `{% import name as alias %}` (alias set) or `{% from name import a [as b], … %}`: the
    /// macros of another template file.
    case importMacros(template: ExpressionNode, alias: String?, names: [(name: String, alias: String)],
                      withContext: Bool, offset: Int)
    /// `{% extends name %}`: this template's blocks fill in those of the named one.
    case extends(template: ExpressionNode, offset: Int)
}

extension TemplateNode {
    /// The local name a block's rendered text is bound to while its filters run; not a name a
    /// template can write.
    static let blockBody = " block body"
}
