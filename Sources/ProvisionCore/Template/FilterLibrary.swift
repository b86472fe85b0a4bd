/// The input of one filter application: what is piped in, the arguments, and the evaluator
/// (for filters such as `map` and `select` that apply other filters and tests).
struct FilterCall {
    var input: Operand
    var args: CallArguments
    var evaluator: Evaluator

    var name: String { args.callee }

    /// The piped-in value; undefined is an error naming the variable.
    func value() throws -> Value { try input.value(at: args.offset) }

    /// The piped-in value as text (Jinja's string filters convert their input).
    func text() throws -> String { try value().renderedString }

    func list() throws -> [Value] {
        let v = try value()
        switch v {
        case .list(let l): return l
        case .dict(let d): return d.keys.sorted().map(Value.string)
        case .string(let s): return s.map { .string(String($0)) }
        default: throw TemplateError.type("\(name) expects a list, got \(v.typeName)", at: args.offset)
        }
    }

    func dict() throws -> [String: Value] {
        let v = try value()
        guard case .dict(let d) = v else { throw TemplateError.type("\(name) expects a dict, got \(v.typeName)", at: args.offset) }
        return d
    }

    func fail(_ message: String) -> TemplateError { TemplateError.evaluation("\(name): \(message)", at: args.offset) }
}

/// The filters templates can use, by name.
enum FilterLibrary {
    typealias Filter = (FilterCall) throws -> Operand

    static let all: [String: Filter] = {
        var all: [String: Filter] = [:]
        for group in [stringFilters, collectionFilters, setFilters, numberFilters, encodingFilters, regexFilters,
                      higherOrderFilters, listFilters] {
            all.merge(group) { a, _ in a }
        }
        return all
    }()

    /// Wraps a filter whose result is always a plain value.
    static func plain(_ body: @escaping (FilterCall) throws -> Value) -> Filter {
        { .value(try body($0)) }
    }
}

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
