/// Block statements beyond if/for/set: `{% set %}` blocks and attributes, macros, `{% call %}`,
/// `{% filter %}`, and the `namespace()` object their loops write to.
extension Evaluator {
    /// The key marking a dict as a `namespace()` object (not a key a YAML or Jinja dict can
    /// hold by accident, and never rendered: see `isNamespace`).
    static let namespaceKey = "\u{0}namespace"

    static func isNamespace(_ v: Value) -> Bool {
        if case .dict(let d) = v { return d[namespaceKey] != nil }
        return false
    }

    /// `namespace(a=1, …)` or `namespace({'a': 1})`.
    func makeNamespace(_ args: CallArguments) throws -> Value {
        var d = ValueDict()
        d[Evaluator.namespaceKey] = .bool(true)
        if let first = try args.value(0, nil) {
            guard case .dict(let given) = first else { throw TemplateError.type("namespace() takes a dict or keyword arguments", at: args.offset) }
            for (k, v) in given { d[k] = v }
        }
        for (k, v) in args.keyword.sorted(by: { $0.key < $1.key }) { d[k] = try v.value(at: args.offset) }
        return .dict(d)
    }

    /// The attribute names and values of a namespace, without its marker.
    static func namespaceMembers(_ d: ValueDict) -> ValueDict {
        var out = ValueDict()
        for (k, v) in d where k != namespaceKey { out[k] = v }
        return out
    }

    func assignAttribute(_ name: String, _ attribute: String, _ newValue: Value, at offset: Int) throws {
        guard let owner = frame?.owner(of: name), case .dict(var d)? = owner.vars[name], d[Evaluator.namespaceKey] != nil else {
            throw TemplateError.type("cannot assign attribute on non-namespace object '\(name)'", at: offset)
        }
        d[attribute] = newValue
        owner.vars[name] = .dict(d)
    }

    /// The text of `body`, through `filters` when given (an expression over the block's text).
    func renderBlock(_ body: [TemplateNode], through filters: ExpressionNode?, at offset: Int) throws -> String {
        var text = ""
        try render(body, into: &text)
        guard let filters else { return text }
        let inner = Evaluator(scope: scope, frame: TemplateFrame([TemplateNode.blockBody: .string(text)], parent: frame))
        return try inner.value(filters).renderedString
    }

    func callWithCaller(_ call: ExpressionNode, _ caller: TemplateMacro.Definition, at offset: Int) throws -> Value {
        var name = ""
        if case .call(let callee, _) = call.kind {
            if case .name(let n) = callee.kind { name = n }
            if case .attribute(let object, let method) = callee.kind, case .name(let alias) = object.kind { name = alias + "." + method }
        }
        guard case .call(_, let argNodes) = call.kind, let target = frame?.macro(name) else {
            throw TemplateError.evaluation("'{% call %}' needs a macro defined in this template", at: offset)
        }
        let args = try evaluateArguments(argNodes, callee: name + "()", at: offset)
        let bound = TemplateMacro(target.definition, frame: target.frame, caller: TemplateMacro(caller, frame: frame, scope: scope),
                                  scope: target.scope)
        return try bound.invoke(args, scope: scope)
    }

    /// The key `loop` carries its index under for `loop.cycle()` (not a writable name).
    static let loopIndexKey = "\u{0}index0"

    /// The key `loop` carries the id of its loop run under, for `loop.changed()`.
    static let loopIDKey = "\u{0}loop"

    /// `loop.changed(a, …)`: true the first time and whenever the arguments differ from the
    /// previous call's in the same loop.
    func loopChanged(_ loop: Value, _ args: CallArguments) throws -> Value {
        guard case .dict(let d) = loop, case .int(let id)? = d[Evaluator.loopIDKey], let environment = frame?.environment else {
            throw TemplateError.type("loop.changed() outside a loop", at: args.offset)
        }
        let current = Value.list(try args.positional.map { try $0.value(at: args.offset) })
        if environment.lastChanged[id] == current { return .bool(false) }
        environment.lastChanged[id] = current
        return .bool(true)
    }

    /// `loop.cycle(a, b, …)`: the argument at this iteration's index, round robin.
    func loopCycle(_ loop: Value, _ args: CallArguments) throws -> Value {
        guard case .dict(let d) = loop, case .int(let i)? = d[Evaluator.loopIndexKey] else {
            throw TemplateError.type("loop.cycle() outside a loop", at: args.offset)
        }
        guard !args.positional.isEmpty else { throw TemplateError.type("no items for cycling given", at: args.offset) }
        return try args.positional[i % args.positional.count].value(at: args.offset)
    }
}
