extension Evaluator {
    func applyFilter(_ name: String, to input: Operand, _ argNodes: ExpressionNode.Arguments, at offset: Int) throws -> Operand {
        guard FilterLibrary.all[name] != nil else { throw unknownFilter(name, at: offset) }
        return try applyFilter(name, to: input, try evaluateArguments(argNodes, callee: name, at: offset))
    }

    func applyFilter(_ name: String, to input: Operand, _ args: CallArguments) throws -> Operand {
        guard let filter = FilterLibrary.all[name] else { throw unknownFilter(name, at: args.offset) }
        return try filter(FilterCall(input: input, args: args, evaluator: self))
    }

    private func unknownFilter(_ name: String, at offset: Int) -> TemplateError {
        TemplateError.evaluation("no filter named '\(name)'", at: offset)
    }
}
