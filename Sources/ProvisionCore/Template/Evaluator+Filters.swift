extension Evaluator {
    func applyFilter(_ name: String, to input: Operand, _ argNodes: ExpressionNode.Arguments, at offset: Int) throws -> Operand {
        guard FilterLibrary.all[name] != nil else { throw unknownFilter(name, at: offset) }
        return try applyFilter(name, to: input, try evaluateArguments(argNodes, callee: name, at: offset))
    }

    func applyFilter(_ name: String, to input: Operand, _ args: CallArguments) throws -> Operand {
        // A name given as text (`map('ansible.builtin.x')`) may carry Ansible's collection prefix.
        let name = FilterLibrary.canonicalName(name)
        guard let filter = FilterLibrary.all[name] else { throw unknownFilter(name, at: args.offset) }
        if case .time(let t) = input { return try timeFilter(name, t, args) }
        // Filters read a tuple as the sequence it is; the few that hand their input back or
        // write its text see the tuple itself.
        if Self.filtersSeeingTuples.contains(name) {
            return try filter(FilterCall(input: input, args: args, evaluator: self))
        }
        var plain = args
        plain.positional = args.positional.map(\.tupleAsList)
        plain.keyword = args.keyword.mapValues(\.tupleAsList)
        return try filter(FilterCall(input: input.tupleAsList, args: plain, evaluator: self))
    }

    /// Filters whose result shows whether their input was a tuple (`(1, 2) | default([])` is
    /// still `(1, 2)`, `| string` is `'(1, 2)'`).
    static let filtersSeeingTuples: Set<String> = ["default", "d", "mandatory", "string", "to_yaml", "to_nice_yaml", "type_debug"]

    private func unknownFilter(_ name: String, at offset: Int) -> TemplateError {
        TemplateError.evaluation("no filter named '\(name)'", at: offset)
    }

    /// Jinja's built-in filters, which Ansible's collections do not carry.
    static let jinjaOnlyFilters: Set<String> = ["abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "pprint", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "upper", "urlize", "wordcount", "wordwrap", "xmlattr"]
}

extension Evaluator {
    /// `map(…) | select('defined')` (or `reject('undefined')`, with `| list` between): Jinja's
    /// map yields Undefined for a missing attribute or `extract` key, and the test drops it.
    /// provision's lists hold no undefined values, so the pair is evaluated together; nil when
    /// the node is not that shape.
    func definedItemsOfMap(_ input: ExpressionNode, _ name: String, _ args: ExpressionNode.Arguments, at offset: Int) throws -> [Value]? {
        guard args.keyword.isEmpty, args.starArgs == nil, args.starKwargs == nil, args.positional.count == 1,
              case .literal(.string(let test)) = args.positional[0].kind,
              (name == "select" && ["defined", "ansible.builtin.defined"].contains(test))
                || (name == "reject" && ["undefined", "ansible.builtin.undefined"].contains(test)) else { return nil }
        var source = input
        while case .filter(let inner, "list", let listArgs) = source.kind, listArgs.isEmpty { source = inner }
        guard case .filter(let items, "map", let mapArgs) = source.kind else { return nil }
        let call = FilterCall(input: try evaluate(items).tupleAsList, args: try evaluateArguments(mapArgs, callee: "map", at: source.offset),
                              evaluator: self)
        return try FilterLibrary.mappedOperands(call).filter { !$0.isUndefined }.map { try $0.value(at: offset) }
    }
}
