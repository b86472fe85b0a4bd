/// One node of a parsed template body.
indirect enum TemplateNode: Sendable {
    case text(String)
    /// `{{ expr }}`
    case output(ExpressionNode)
    /// `{% if %}…{% elif %}…{% else %}…{% endif %}`
    case conditional(branches: [(condition: ExpressionNode, body: [TemplateNode])], otherwise: [TemplateNode]?)
    /// `{% for a[, b] in expr [if cond] %}…{% else %}…{% endfor %}`
    case loop(targets: [String], iterable: ExpressionNode, filter: ExpressionNode?, body: [TemplateNode],
              otherwise: [TemplateNode]?, offset: Int)
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
    /// `{% block name %}…{% endblock %}` in a template that extends nothing: the body, in place,
    /// in a scope of its own (roles write them so that users may extend the template).
    case namedBlock(name: String, body: [TemplateNode], offset: Int)
}

extension TemplateNode {
    /// The local name a block's rendered text is bound to while its filters run; not a name a
    /// template can write.
    static let blockBody = " block body"
}
