import Foundation

/// The calls the executor makes: render a task's arguments, evaluate `when:`-like conditions,
/// and list the variables they read. Everything goes through the shared parse cache.
public enum Templating {
    /// What `omit` evaluates to. `render(_ value:)` drops dict entries and list items whose
    /// value renders to exactly this, so `mode: "{{ m | default(omit) }}"` leaves `mode` out.
    public static let omitPlaceholder = "__omit_place_holder__provision__"

    /// True when `text` holds template syntax (`{{`, `{%` or `{#`).
    public static func containsTemplate(_ text: String) -> Bool {
        guard text.contains("{") else { return false }
        return text.contains("{{") || text.contains("{%") || text.contains("{#")
    }

    /// Ansible's default STRING_TYPE_FILTERS: their text result is kept as text.
    static let stringTypeFilters: Set<String> = ["string", "to_json", "to_nice_json", "to_yaml", "to_nice_yaml", "ppretty", "json"]

    /// True when `node` is a call of one of those filters (by short or long name).
    static func isStringTypeFilter(_ node: ExpressionNode) -> Bool {
        guard case .filter(_, let name, _) = node.kind else { return false }
        return stringTypeFilters.contains(String(name.split(separator: ".").last ?? ""))
    }

    /// Renders one string as Ansible 2.14 templates task arguments and variables
    /// (jinja2_native off): a lone `{{ name }}` naming a number, boolean or null gives that
    /// value; anything else renders to text, and a text that starts with `[` or `{` or is
    /// `True`/`False` is read back as a Python literal (`ast.literal_eval`), so lists, dicts
    /// and booleans survive while `{{ 6 * 7 }}` gives the string "42".
    ///
    /// As Jinja, one trailing newline of the source is dropped before rendering, and as
    /// Ansible's preserve_trailing_newlines, a text result is padded back to the source's
    /// count: `"{{ d | to_nice_json }}\n"` stays text, `"{{ l }}\n"` is still a list.
    public static func render(_ text: String, in scope: any TemplateScope) throws -> Value {
        if !containsTemplate(text) { return .string(text) }
        let want = trailingNewlines(text)
        let result = try renderDroppingNewline(want > 0 ? String(text.dropLast()) : text, newlines: want, in: scope)
        guard case .string(let out) = result, want > trailingNewlines(out) else { return result }
        return .string(out + String(repeating: "\n", count: want - trailingNewlines(out)))
    }

    /// `render` on a source whose one trailing newline (of `newlines`) is already dropped.
    private static func renderDroppingNewline(_ text: String, newlines: Int, in scope: any TemplateScope) throws -> Value {
        let template = try Template.compile(BackslashEscaping.apply(text))
        let native = try template.render(in: scope)
        if let e = template.soleExpression {
            // Filters in Ansible's STRING_TYPE_FILTERS return text that is never read back.
            if isStringTypeFilter(e) { return native }
            // lookup('template', …, convert_data=False) returns NativeJinjaText, never read back.
            if case .call(let callee, let args) = e.kind, case .name("lookup") = callee.kind,
               let convert = args.keyword.first(where: { $0.name == "convert_data" }),
               case .literal(let flag) = convert.value.kind, !flag.isTruthy { return native }
            // Ansible's SINGLE_VAR pattern ends in Python's `$`, which also matches before one
            // final newline: `"{{ port }}\n"` still gives the number.
            // A variable holding NativeJinjaText is returned as it is (see isNativeTextDefinition).
            if case .string = native, let name = nativeTextSource(e, in: scope), scope.holdsNativeText(name) { return native }
            if newlines <= 1, let name = template.singleVariableName, scope.lookup(name) != nil {
                switch native {
                case .int, .double, .bool, .null: return native
                default: break
                }
            }
            switch native {
            case .list, .dict, .bool: return native
            // Python's text of a tuple starts with `(`, which Ansible does not read back.
            case .tuple: return .string(PythonRepr.str(native))
            case .null: return .string("")
            case .int, .double: return .string(PythonRepr.str(native))
            case .string: break
            }
        }
        guard case .string(let out) = native else { return native }
        if out.hasPrefix("[") || out.hasPrefix("{") || out == "True" || out == "False" {
            return SafeEval.parse(out) ?? native
        }
        return native
    }

    /// True when `definition` (a variable as written, or a `set_fact` argument) is one lone
    /// `{{ … }}` whose value is Ansible's NativeJinjaText: a STRING_TYPE_FILTERS filter's text
    /// (`"{{ cfg | to_nice_json }}"`). Ansible keeps that type in the variable, and a later
    /// `"{{ name }}"` returns it untouched instead of reading `{…}`/`[…]` back as data.
    public static func isNativeTextDefinition(_ definition: Value?) -> Bool {
        guard case .string(let s)? = definition, containsTemplate(s),
              let template = try? Template.compile(BackslashEscaping.apply(s)),
              let e = template.soleExpression else { return false }
        return isStringTypeFilter(e)
    }

    /// The variable a lone expression returns as it is: `name`, or `lookup('vars', name)`
    /// (the vars lookup hands back the variable's own value).
    private static func nativeTextSource(_ e: ExpressionNode, in scope: any TemplateScope) -> String? {
        switch e.kind {
        case .name(let name): return name
        case .call(let callee, let args):
            guard case .name(let f) = callee.kind, ["lookup", "ansible.builtin.lookup"].contains(f),
                  args.keyword.isEmpty, args.positional.count == 2,
                  case .literal(.string(let plugin)) = args.positional[0].kind,
                  ["vars", "ansible.builtin.vars"].contains(plugin),
                  case .string(let name)? = try? Evaluator(scope: scope).value(args.positional[1]) else { return nil }
            return name
        default: return nil
        }
    }

    /// Renders one string to text (a task argument: backslashes in `{{ }}` string literals
    /// are literal, see `BackslashEscaping`).
    public static func renderString(_ text: String, in scope: any TemplateScope) throws -> String {
        if !containsTemplate(text) { return text }
        return try renderKeepingNewlines(BackslashEscaping.apply(text), in: scope)
    }

    /// Jinja drops one trailing newline of the source (keep_trailing_newline off); Ansible's
    /// preserve_trailing_newlines then pads the result up to the source's count.
    private static func renderKeepingNewlines(_ original: String, in scope: any TemplateScope) throws -> String {
        let (options, text) = try TemplateOptions.read(original)
        var source = text
        if !options.keepTrailingNewline, source.hasSuffix("\n") { source.removeLast() }
        var out = try Template.compile(source, trimBlocks: options.trimBlocks, lstripBlocks: options.lstripBlocks)
            .renderString(in: scope)
        let want = trailingNewlines(text), have = trailingNewlines(out)
        if want > have { out += String(repeating: "\n", count: want - have) }
        return out
    }

    /// Renders a template file's text as Ansible's `template` module does: the text, with as
    /// many trailing newlines as the source has (Jinja drops one, Ansible puts them back).
    public static func renderFile(_ text: String, in scope: any TemplateScope) throws -> String {
        // A `#jinja2:` line is read and removed even from a file with nothing else to render.
        containsTemplate(text) || text.hasPrefix(TemplateOptions.header) ? try renderKeepingNewlines(text, in: scope) : text
    }

    private static func trailingNewlines(_ s: String) -> Int {
        var n = 0
        for c in s.unicodeScalars.reversed() { if c == "\n" { n += 1 } else { break } }
        return n
    }

    /// Renders every string inside `value` (dict keys too), keeping structure. Entries whose
    /// value is `omit` are dropped.
    public static func render(_ value: Value, in scope: any TemplateScope) throws -> Value {
        switch value {
        case .string(let s): return try render(s, in: scope)
        case .list(let items):
            return .list(try items.map { try render($0, in: scope) }.filter { !isOmitted($0) })
        case .dict(let d):
            // Keys keep their types (`80:` stays the int 80); a key with a template is text.
            var out = ValueDict()
            for (k, v) in d.typedPairs {
                let rendered = try render(v, in: scope)
                if isOmitted(rendered) { continue }
                if case .string(let text) = k, containsTemplate(text) {
                    out[try renderString(text, in: scope)] = rendered
                } else {
                    out[typedKey: k] = rendered
                }
            }
            return .dict(out)
        default: return value
        }
    }

    /// A rendered task argument as ansible-core 2.14's remove_omit leaves it: every dict entry
    /// whose value is `omit` goes, in dicts at any depth and in dicts inside lists (a list item
    /// that is `omit` itself stays there, as in Ansible).
    public static func removingOmitted(_ value: Value) -> Value {
        switch value {
        case .dict(let d):
            var out = ValueDict()
            for pair in d.typedPairs where !isOmitted(pair.value) {
                out[typedKey: pair.key] = removingOmitted(pair.value)
            }
            return .dict(out)
        case .list(let items): return .list(items.map(removingOmitted))
        default: return value
        }
    }

    /// True for the value `omit` renders to.
    public static func isOmitted(_ value: Value) -> Bool { value == .string(omitPlaceholder) }

    /// Evaluates a `when:`/`changed_when:`/`failed_when:`/`until:` string as Ansible 2.14's
    /// Conditional does: a bare expression is true by Python's truthiness (so a variable
    /// holding the string "false" is true there, as in Ansible); a string with `{{ }}` is
    /// templated first, a non-text result counts by its truthiness and a text is evaluated
    /// as an expression (`"{{ flag }}"` with flag "false" reads `false`: false).
    public static func evaluateCondition(_ text: String, in scope: any TemplateScope) throws -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return true }
        if containsTemplate(trimmed) {
            let rendered = try render(trimmed, in: scope)
            guard case .string(let s) = rendered else { return rendered.isTruthy }
            let expression = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if expression.isEmpty { return false }
            return try TemplateExpression.compile(expression).evaluateCondition(in: scope)
        }
        return try TemplateExpression.compile(trimmed).evaluateCondition(in: scope)
    }

    /// Evaluates a condition as YAML gave it: a string (see above), a boolean, a number, null
    /// (true: no condition), or a list of conditions that must all hold (as Ansible's `when`).
    public static func evaluateCondition(_ value: Value, in scope: any TemplateScope) throws -> Bool {
        switch value {
        case .null: return true
        case .string(let s): return try evaluateCondition(s, in: scope)
        case .list(let items):
            for item in items where !(try evaluateCondition(item, in: scope)) { return false }
            return true
        case .dict: throw TemplateError(.type, "a condition must be a string, a boolean or a list, not a mapping",
                                         source: value.jsonString)
        default: return value.isTruthy
        }
    }

    /// How a boolean-ish setting (`become: "{{ x }}"`) reads: Python's truthiness, except that
    /// the strings Ansible's `boolean()` knows (`"false"`, `"no"`, `"off"`, `"0"`, …) count
    /// as those booleans. Not used for `when:` (see `evaluateCondition`).
    public static func conditionTruth(_ value: Value) -> Bool {
        if case .string(let s) = value {
            switch s.trimmingCharacters(in: .whitespaces).lowercased() {
            case "false", "no", "off", "0", "n", "": return false
            default: return true
            }
        }
        return value.isTruthy
    }

    /// Every variable read by the templates in `value` (strings, nested lists and dicts).
    public static func referencedVariables(in value: Value, requiredOnly: Bool = false) throws -> Set<String> {
        switch value {
        case .string(let s):
            guard containsTemplate(s) else { return [] }
            let t = try Template.compile(s)
            return requiredOnly ? t.requiredVariables : t.referencedVariables
        case .list(let items):
            return try items.reduce(into: Set<String>()) { $0.formUnion(try referencedVariables(in: $1, requiredOnly: requiredOnly)) }
        case .dict(let d):
            var out = Set<String>()
            for (k, v) in d {
                out.formUnion(try referencedVariables(in: .string(k), requiredOnly: requiredOnly))
                out.formUnion(try referencedVariables(in: v, requiredOnly: requiredOnly))
            }
            return out
        default: return []
        }
    }

    /// Every variable a condition (as YAML gave it) reads.
    public static func conditionVariables(_ value: Value, requiredOnly: Bool = false) throws -> Set<String> {
        switch value {
        case .string(let s):
            let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return [] }
            if containsTemplate(trimmed) { return try referencedVariables(in: .string(trimmed), requiredOnly: requiredOnly) }
            let e = try TemplateExpression.compile(trimmed)
            return requiredOnly ? e.requiredVariables : e.referencedVariables
        case .list(let items):
            return try items.reduce(into: Set<String>()) { $0.formUnion(try conditionVariables($1, requiredOnly: requiredOnly)) }
        default: return []
        }
    }
}
