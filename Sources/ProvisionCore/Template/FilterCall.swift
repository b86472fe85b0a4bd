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
        // A lazy mapping lists its keys without building every member.
        if case .mapping(let m, _) = input { return m.memberNames.sorted().map(Value.string) }
        let v = try value()
        switch v {
        case .list(let l), .tuple(let l): return l
        case .dict(let d): return d.typedKeys
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        default: throw TemplateError.type("\(name) expects a list, got \(v.typeName)", at: args.offset)
        }
    }

    func dict() throws -> ValueDict {
        let v = try value()
        guard case .dict(let d) = v else { throw TemplateError.type("\(name) expects a dict, got \(v.typeName)", at: args.offset) }
        return d
    }

    func fail(_ message: String) -> TemplateError { TemplateError.evaluation("\(name): \(message)", at: args.offset) }
}
