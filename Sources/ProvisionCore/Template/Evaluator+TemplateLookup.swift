import Foundation

/// `lookup('template', 'name.j2', …)`: a controller template file rendered as ansible-core
/// 2.14's template lookup does — found under the role's and the playbook's `templates/` (or
/// beside them), rendered with the host's variables plus `ansible_managed` and the
/// `template_*` variables plus `template_vars=`, trailing newlines kept, and the text read back
/// as a list, dict or boolean when it looks like one (`convert_data`, on by default).
extension Evaluator {
    func templateLookup(_ args: CallArguments) throws -> [Value] {
        func fail(_ m: String) -> TemplateError { TemplateError.evaluation("lookup('template'): " + m, at: args.offset) }
        for option in ["block_start_string", "block_end_string", "jinja2_native"] where args.keyword[option] != nil {
            throw fail("the option '\(option)' is not supported")
        }
        let delimiterOptions = try TemplateOptions.delimiterHeaderOptions { try args.string(-1, $0) }
        let convert = try args.bool(-1, "convert_data") ?? true
        var extra: [String: Value] = [:]
        if let v = try args.value(-1, "template_vars"), !v.isNull {
            guard case .dict(let d) = v else { throw fail("template_vars must be a dict, got \(v.typeName)") }
            for (k, x) in d { extra[k] = x }
        }
        var dirs: [String] = []
        for name in ["role_path", "playbook_dir"] {
            if let s = scope.lookup(name)?.materialized.stringValue, !s.isEmpty { dirs.append(s) }
        }
        if dirs.isEmpty { dirs = [FileManager.default.currentDirectoryPath] }
        return try (1..<max(1, args.positional.count)).map { i -> Value in
            let term = try args.requiredString(i, "term")
            let candidates = term.hasPrefix("/") ? [term]
                : dirs.flatMap { [($0 as NSString).appendingPathComponent("templates/" + term), ($0 as NSString).appendingPathComponent(term)] }
            guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw fail("the template file \(term) could not be found for the lookup")
            }
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw fail("cannot read \(path) as UTF-8 text")
            }
            var vars = try TemplateFileVariables.make(path: term, fullPath: path, destPath: nil)
            vars.merge(extra) { _, new in new }
            let fileScope = LayeredScope([vars], fallback: scope)
            if convert, !text.hasSuffix("\n"), Templating.containsTemplate(text),
               (try? Template.compile(text))?.soleExpression != nil {
                // A file that is one bare `{{ … }}` takes Ansible's single-variable shortcut,
                // whose types provision does not reproduce here.
                throw fail("\(term) is a single expression without a newline; use convert_data=False or end the file with a newline")
            }
            let out = try Templating.renderFile(TemplateOptions.withHeader(text, options: delimiterOptions), in: fileScope)
            if convert, out.hasPrefix("[") || out.hasPrefix("{") || out == "True" || out == "False" {
                return SafeEval.parse(out) ?? .string(out)
            }
            return .string(out)
        }
    }
}
