extension TemplateError {
    /// Where the fault is in the user's file, given where the template text starts there:
    /// the offset is walked through the text, so a fault on a later line of a block scalar
    /// gets that line. Unknown offsets give `start`.
    public func location(from start: SourceLocation) -> SourceLocation {
        guard let offset, start.line > 0 else { return start }
        var loc = start
        for (i, c) in source.unicodeScalars.enumerated() {
            if i >= offset { break }
            if c == "\n" {
                loc.line += 1
                loc.column = 1
            } else if loc.column > 0 {
                loc.column += 1
            }
        }
        return loc
    }

    /// The error as a diagnostic for the user, placed with `location(from:)`, with a hint
    /// that says what to do.
    public func diagnostic(from start: SourceLocation) -> Diagnostic {
        let hint: String
        switch kind {
        case .undefined(let path):
            let root = path.prefix { $0 != "." && $0 != "[" }
            if root == path[...] {
                hint = "define '\(root)' (play vars, group_vars, host_vars, a registered result, or -e), or give a fallback: {{ \(path) | default(...) }}"
            } else {
                hint = "'\(root)' has no such key here; guard it with '\(path) is defined' or use {{ \(path) | default(...) }}"
            }
        case .syntax:
            hint = "fix the template syntax at this position (Jinja: {{ expr }}, {% if %}/{% for %} … {% end… %}, {# comment #}); wrap literal braces in {% raw %}…{% endraw %}"
        case .type, .evaluation:
            hint = "check the values and types this expression works on"
        case .unknownName:
            hint = "provision does not have this filter or test (README 'Templates' lists them); Ansible's own are spelled as in its docs"
        }
        return Diagnostic("\(message) in '\(source)'", at: location(from: start), hint: hint)
    }
}
