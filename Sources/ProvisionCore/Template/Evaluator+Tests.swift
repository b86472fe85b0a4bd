extension Evaluator {
    func applyTest(_ name: String, to input: Operand, _ argNodes: ExpressionNode.Arguments, at offset: Int) throws -> Bool {
        guard TestLibrary.all[name] != nil else { throw TemplateError.evaluation("no test named '\(name)'", at: offset) }
        return try applyTest(name, to: input, try evaluateArguments(argNodes, callee: name, at: offset))
    }

    func applyTest(_ name: String, to input: Operand, _ args: CallArguments) throws -> Bool {
        guard let test = TestLibrary.all[name] else { throw TemplateError.evaluation("no test named '\(name)'", at: args.offset) }
        return try test(FilterCall(input: input, args: args, evaluator: self))
    }
}
