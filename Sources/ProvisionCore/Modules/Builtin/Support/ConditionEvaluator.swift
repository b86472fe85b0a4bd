/// Evaluates a Jinja condition (`ansible_distribution == "Debian"`) for `assert`, through the
/// one template hook a module has, `HostContext.renderTemplate`, the way Ansible does it:
/// `{% if COND %}True{% else %}False{% endif %}` rendered with the host's variables.
///
/// So the module needs no evaluator of its own, and conditions mean exactly what they mean in
/// `when:`. A context whose renderer does not understand `{% if %}` (the identity default)
/// yields an error rather than a guess.
enum ConditionEvaluator {
    static func evaluate(_ condition: String, in context: HostContext) throws -> Bool {
        var c = condition.trimmingCharacters(in: .whitespacesAndNewlines)
        // A condition wrapped in {{ }} is accepted too (Ansible warns but allows it).
        if c.hasPrefix("{{"), c.hasSuffix("}}"), c.components(separatedBy: "{{").count == 2 {
            c = String(c.dropFirst(2).dropLast(2)).trimmingCharacters(in: .whitespaces)
        }
        let rendered: String
        do {
            rendered = try context.renderTemplate("{% if " + c + " %}True{% else %}False{% endif %}")
        } catch {
            throw ModuleError("cannot evaluate '\(condition)': \(error)")
        }
        switch rendered.trimmingCharacters(in: .whitespacesAndNewlines) {
        case "True": return true
        case "False": return false
        default: throw ModuleError("cannot evaluate '\(condition)': the template engine returned '\(rendered)'")
        }
    }
}

import Foundation
