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
}
