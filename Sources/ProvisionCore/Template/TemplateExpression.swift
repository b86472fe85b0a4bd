/// A parsed bare expression (what `when:`, `changed_when:`, `failed_when:` and `until:` hold,
/// without braces). Parse once with `TemplateExpression.compile` (cached, thread-safe),
/// evaluate many times.
public struct TemplateExpression: Sendable {
    /// The text this expression was parsed from.
    public let source: String
    let node: ExpressionNode

    /// Parses `source` (not cached; prefer `compile`).
    public init(_ source: String) throws {
        self.source = source
        do {
            let text = Array(source.unicodeScalars)
            let lexed = try ExpressionLexer(text: text).lex(from: 0, until: .endOfText)
            var parser = ExpressionParser(tokens: lexed.tokens)
            if parser.atEnd { throw TemplateError.syntax("empty expression", at: 0) }
            node = try parser.parseExpression()
            try parser.expectEnd()
        } catch let error as TemplateError {
            throw error.inSource(source)
        }
    }

    /// The expression for `source`, parsed once per process and shared (thread-safe).
    public static func compile(_ source: String) throws -> TemplateExpression {
        try TemplateCache.shared.expression(source)
    }

    /// The value of the expression with variables from `scope`.
    public func evaluate(in scope: any TemplateScope) throws -> Value {
        do {
            return try Evaluator(scope: scope).value(node)
        } catch let error as TemplateError {
            throw error.inSource(source)
        }
    }

    /// The expression as a condition: Python's truthiness, as Jinja's `{% if %}` that
    /// Ansible 2.14 wraps a `when:` in (a non-empty string such as "false" is true).
    public func evaluateCondition(in scope: any TemplateScope) throws -> Bool {
        do {
            return try Evaluator(scope: scope).truthy(node)
        } catch let error as TemplateError {
            throw error.inSource(source)
        }
    }

    /// Every top-level variable the expression reads.
    public var referencedVariables: Set<String> {
        var refs = VariableReferences(requiredOnly: false)
        refs.visit(node)
        return refs.names
    }

    /// The variables the expression always reads (see `Template.requiredVariables`).
    public var requiredVariables: Set<String> {
        var refs = VariableReferences(requiredOnly: true)
        refs.visit(node)
        return refs.names
    }
}
