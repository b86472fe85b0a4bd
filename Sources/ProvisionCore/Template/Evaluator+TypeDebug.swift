/// `type_debug`: Python's type name of a value, with Ansible's string types (`AnsibleUnicode`
/// for text read from the user's YAML, `AnsibleUnsafeText` for text from hosts and `!unsafe`,
/// `str` for the rest), found by following the expression back to the variable it reads.
extension Evaluator {
    /// What the expression's value was made from, where that decides its string type.
    enum Provenance {
        /// The part of a YAML definition this expression reads, as written.
        case written(Value)
        /// Strings from here are of this type whatever path leads to them.
        case uniform(String)
    }

    func typeDebugName(of node: ExpressionNode, _ value: Value) -> String {
        if let view = pythonViewType(of: node) { return view }
        guard case .string = value else { return value.typeName }
        // Ansible's STRING_TYPE_FILTERS (by the name written): their text is a `NativeJinjaText`.
        if case .filter(_, let name, _) = node.kind, Templating.stringTypeFilters.contains(name) { return "NativeJinjaText" }
        switch provenance(of: node, depth: 0) {
        case .written(let raw)?: return Evaluator.writtenStringType(raw)
        case .uniform(let name)?: return name
        case nil: return "str"
        }
    }

    /// `d.keys()`, `.values()`, `.items()` and `range()` are views and ranges in Python, lists
    /// here: their own type names.
    private func pythonViewType(of node: ExpressionNode) -> String? {
        guard case .call(let callee, let args) = node.kind else { return nil }
        switch callee.kind {
        case .name("range") where frame?.macro("range") == nil: return "range"
        case .attribute(let base, let method) where args.isEmpty && ["keys", "values", "items"].contains(method):
            guard case .dict? = try? value(base) else { return nil }
            return "dict_" + method
        default: return nil
        }
    }

    private static func writtenStringType(_ raw: Value) -> String {
        guard case .string(let s) = raw else { return "str" }
        if s.hasPrefix(YAMLFile.unsafeMarker) { return "AnsibleUnsafeText" }
        return Templating.containsTemplate(s) ? "str" : "AnsibleUnicode"
    }

    private func provenance(of node: ExpressionNode, depth: Int) -> Provenance? {
        guard depth < 10 else { return nil }
        switch node.kind {
        case .literal: return .uniform("str")
        case .name(let name):
            if frame?.lookup(name) != nil { return nil }
            // A variable or set_fact made by one string-type filter keeps Ansible's type.
            if scope.holdsNativeText(name) { return .uniform("NativeJinjaText") }
            switch scope.origin(of: name) {
            case .yaml(let raw)?: return followTemplate(raw, depth: depth)
            case .host?: return .uniform("AnsibleUnsafeText")
            case .text?: return .uniform("str")
            case nil: return nil
            }
        case .attribute(let base, let key):
            // `vars.name`: the variable itself.
            if case .name("vars") = base.kind, frame?.lookup("vars") == nil {
                return provenance(of: ExpressionNode(.name(key), at: node.offset), depth: depth + 1)
            }
            return descend(provenance(of: base, depth: depth), .string(key), depth: depth)
        case .index(let base, let keyNode):
            guard let key = try? value(keyNode) else { return nil }
            if case .name("vars") = base.kind, frame?.lookup("vars") == nil, case .string(let name) = key {
                return provenance(of: ExpressionNode(.name(name), at: node.offset), depth: depth + 1)
            }
            return descend(provenance(of: base, depth: depth), key, depth: depth)
        case .filter(let input, let name, let args):
            switch name {
            case "default", "d":
                let inputUndefined = (try? evaluate(input))?.isUndefined ?? true
                if inputUndefined, let fallback = args.positional.first { return provenance(of: fallback, depth: depth + 1) }
                return inputUndefined ? .uniform("str") : provenance(of: input, depth: depth + 1)
            case "first", "last":
                guard case .written(.list(let l))? = provenance(of: input, depth: depth + 1) else { return nil }
                return (name == "first" ? l.first : l.last).map { followTemplate($0, depth: depth + 1) } ?? nil
            case "mandatory":
                return provenance(of: input, depth: depth + 1)
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// Inside the written value `p`, the member `key`.
    private func descend(_ p: Provenance?, _ key: Value, depth: Int) -> Provenance? {
        switch p {
        case .uniform?: return p
        case .written(let raw)?:
            switch (raw, key) {
            case let (.dict(d), _): return d[typedKey: key].map { followTemplate($0, depth: depth + 1) } ?? nil
            case let (.list(l), .int(i)):
                let at = i < 0 ? l.count + i : i
                return l.indices.contains(at) ? followTemplate(l[at], depth: depth + 1) : nil
            default: return nil
            }
        case nil: return nil
        }
    }

    /// A written string that is one lone expression (`"{{ other.name }}"`) gives what that
    /// expression reads, as Ansible returns the value itself; any other template computes
    /// new text (`str`).
    private func followTemplate(_ raw: Value, depth: Int) -> Provenance? {
        guard case .string(let s) = raw, !s.hasPrefix(YAMLFile.unsafeMarker), Templating.containsTemplate(s) else {
            return .written(raw)
        }
        let t = s.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("{{"), t.hasSuffix("}}"), t.components(separatedBy: "{{").count == 2,
              !t.contains("{%"), !t.contains("{#"),
              let expr = try? TemplateExpression.compile(String(t.dropFirst(2).dropLast(2)))
        else { return .uniform("str") }
        return provenance(of: expr.node, depth: depth + 1) ?? .uniform("str")
    }
}
