/// A parsed template: text with `{{ }}`, `{% if/for/set/raw %}` and `{# #}`. Parse once with
/// `Template.compile` (cached by source text, safe from any thread), render many times.
///
/// Rendering follows Ansible: when the whole text is exactly one `{{ expr }}`, `render` gives
/// the expression's native value (a list stays a list, `"{{ 3 }}"` is an int); otherwise the
/// text, with lists and dicts written as JSON.
public struct Template: Sendable {
    /// The text this template was parsed from.
    public let source: String
    let nodes: [TemplateNode]
    /// True when the text has no template syntax: rendering gives it back unchanged.
    public let isStatic: Bool
    /// The whitespace options it was parsed with (files it includes are parsed with them too).
    let trimBlocks: Bool
    let lstripBlocks: Bool

    /// Parses `source` (not cached; prefer `compile`) with Jinja's `trim_blocks` (Ansible's
    /// default: on) and `lstrip_blocks` (off).
    public init(_ source: String, trimBlocks: Bool = true, lstripBlocks: Bool = false) throws {
        self.source = source
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
        isStatic = !Templating.containsTemplate(source)
        if isStatic {
            nodes = source.isEmpty ? [] : [.text(source)]
            return
        }
        // Jinja's lexer turns every \r\n and \r (in text and in string literals) into \n.
        let text = source.utf8.contains(13)
            ? source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : source
        do {
            var parser = TemplateParser(text, trimBlocks: trimBlocks, lstripBlocks: lstripBlocks)
            nodes = try parser.parse()
        } catch let error as TemplateError {
            throw error.inSource(source)
        }
    }

    /// The template for `source`, parsed once per process and shared (thread-safe).
    public static func compile(_ source: String) throws -> Template {
        try TemplateCache.shared.template(source)
    }

    /// `compile` with whitespace options other than Ansible's defaults (cached apart).
    public static func compile(_ source: String, trimBlocks: Bool, lstripBlocks: Bool) throws -> Template {
        if trimBlocks, !lstripBlocks { return try compile(source) }
        return try TemplateCache.shared.template(source, trimBlocks: trimBlocks, lstripBlocks: lstripBlocks)
    }

    /// The single expression when the whole text is exactly one `{{ expr }}`.
    var soleExpression: ExpressionNode? {
        if nodes.count == 1, case .output(let e) = nodes[0] { return e }
        return nil
    }

    /// The name when the text is exactly `{{ name }}` (Ansible's SINGLE_VAR shortcut).
    var singleVariableName: String? {
        guard let e = soleExpression, case .name(let name) = e.kind,
              source.range(of: #"^\{\{\s*\w*\s*\}\}$"#, options: .regularExpression) != nil else { return nil }
        return name
    }

    /// Renders with variables from `scope`: the native value for a lone `{{ expr }}`, a string
    /// otherwise. Throws `TemplateError` (an undefined variable names itself).
    public func render(in scope: any TemplateScope) throws -> Value {
        do {
            if let e = soleExpression {
                return try Evaluator(scope: scope).evaluate(e).printable(at: e.offset)
            }
            return .string(try renderText(in: scope))
        } catch let error as TemplateError {
            throw error.inSource(source)
        }
    }

    /// Renders to text, whatever the template holds.
    public func renderString(in scope: any TemplateScope) throws -> String {
        do {
            return try renderText(in: scope)
        } catch let error as TemplateError {
            throw error.inSource(source)
        }
    }

    private func renderText(in scope: any TemplateScope) throws -> String {
        if isStatic { return source }
        var out = ""
        let environment = TemplateEnvironment(trimBlocks: trimBlocks, lstripBlocks: lstripBlocks)
        let evaluator = Evaluator(scope: scope, frame: TemplateFrame(sharingWith: nil, environment: environment))
        try evaluator.renderTemplate(nodes, into: &out)
        return out
    }

    /// Every top-level variable the template reads (loop targets, `loop` and `set` locals
    /// excluded; function names such as `range` are not variables).
    public var referencedVariables: Set<String> {
        var refs = VariableReferences(requiredOnly: false)
        refs.visit(nodes)
        return refs.names
    }

    /// The variables the template always reads: those under `default`, `is defined`, an
    /// `if` body or branch, or the right side of `and`/`or` are left out, so an undefined one
    /// in this set is certainly an error when rendered.
    public var requiredVariables: Set<String> {
        var refs = VariableReferences(requiredOnly: true)
        refs.visit(nodes)
        return refs.names
    }
}
