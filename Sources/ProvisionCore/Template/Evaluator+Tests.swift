extension Evaluator {
    func applyTest(_ name: String, to input: Operand, _ argNodes: ExpressionNode.Arguments, at offset: Int) throws -> Bool {
        guard TestLibrary.all[name] != nil else { throw TemplateError.evaluation("no test named '\(name)'", at: offset) }
        return try applyTest(name, to: input, try evaluateArguments(argNodes, callee: name, at: offset))
    }

    func applyTest(_ name: String, to input: Operand, _ args: CallArguments) throws -> Bool {
        // A name given as text (`map('ansible.builtin.x')`) may carry Ansible's collection prefix.
        let name = TestLibrary.canonicalName(name)
        guard let test = TestLibrary.all[name] else { throw TemplateError.evaluation("no test named '\(name)'", at: args.offset) }
        return try test(FilterCall(input: input, args: args, evaluator: self))
    }

    /// Jinja's built-in tests, which Ansible's collections do not carry.
    static let jinjaOnlyTests: Set<String> = ["boolean", "callable", "defined", "divisibleby", "eq", "equalto", "escaped", "even", "false", "filter", "float", "ge", "gt", "greaterthan", "in", "integer", "iterable", "le", "lower", "lt", "lessthan", "mapping", "ne", "none", "number", "odd", "sameas", "sequence", "string", "test", "true", "undefined", "upper"]
}
