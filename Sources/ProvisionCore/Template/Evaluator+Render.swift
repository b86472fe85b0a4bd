extension Evaluator {
    /// Appends the rendering of `nodes` to `out`; `set` writes to the current frame.
    func render(_ nodes: [TemplateNode], into out: inout String) throws {
        for node in nodes {
            switch node {
            case .text(let s):
                out += s
            case .output(let e):
                let v = try evaluate(e).printable(at: e.offset)
                if Evaluator.isNamespace(v) { throw TemplateError.evaluation("rendering a namespace() object as text is not supported", at: e.offset) }
                out += v.renderedString
                try frame?.budget.check(outputBytes: out.utf8.count, at: e.offset)
            case .conditional(let branches, let otherwise):
                if let branch = try branches.first(where: { try truthy($0.condition) }) {
                    try render(branch.body, into: &out)
                } else if let otherwise {
                    try render(otherwise, into: &out)
                }
            case .assign(let targets, let valueNode, let offset):
                let bindings = try bind(targets, to: try value(valueNode), at: offset)
                frame?.vars.merge(bindings) { _, new in new }
            case .loop(let targets, let iterable, let filter, let body, let otherwise, let recursive, let offset):
                try renderLoop(targets, iterable, filter, body, otherwise, recursive: recursive, at: offset, into: &out)
            case .assignBlock(let target, let filters, let body, let offset):
                frame?.vars[target] = .string(try renderBlock(body, through: filters, at: offset))
            case .assignAttribute(let name, let attribute, let valueNode, let offset):
                try assignAttribute(name, attribute, try value(valueNode), at: offset)
            case .macro(let definition):
                frame?.macros[definition.name] = TemplateMacro(definition, frame: frame)
                frame?.vars[definition.name] = nil
            case .callBlock(let call, let caller, let offset):
                out += try callWithCaller(call, caller, at: offset).renderedString
            case .filterBlock(let filters, let body, let offset):
                out += try renderBlock(body, through: filters, at: offset)
                try frame?.budget.check(outputBytes: out.utf8.count, at: offset)
            case .namedBlock(let name, let scoped, let body, let offset):
                try renderNamedBlock(name, body, scoped: scoped, at: offset, into: &out)
                try frame?.budget.check(outputBytes: out.utf8.count, at: offset)
            case .with(let bindings, let body, _):
                var vars: [String: Value] = [:]
                for (name, node) in bindings { vars[name] = try value(node) }
                try Evaluator(scope: scope, frame: TemplateFrame(vars, parent: frame)).render(body, into: &out)
            case .include(let template, let ignoreMissing, let withContext, let offset):
                try renderInclude(template, ignoreMissing: ignoreMissing, withContext: withContext, at: offset, into: &out)
                try frame?.budget.check(outputBytes: out.utf8.count, at: offset)
            case .importMacros(let template, let alias, let names, let withContext, let offset):
                try importMacros(template, alias: alias, names: names, withContext: withContext, at: offset)
            case .extends(_, let offset):
                throw TemplateError.syntax("'{% extends %}' must be at the template's top level", at: offset)
            }
        }
    }

    private func renderLoop(_ targets: [String], _ iterableNode: ExpressionNode, _ filter: ExpressionNode?,
                            _ body: [TemplateNode], _ otherwise: [TemplateNode]?, recursive: Bool = false, at offset: Int,
                            into out: inout String) throws {
        let iterable = try evaluate(iterableNode)
        var items: [Value]
        switch iterable {
        case .mapping(let m, _): items = m.memberNames.sorted().map(Value.string)
        default:
            switch try iterable.value(at: iterableNode.offset) {
            case .list(let l), .tuple(let l): items = l
            case .dict(let d): items = d.typedKeys
            case .string(let s): items = s.map { .string(String($0)) }
            // Python: `for x in None` fails; `default([])` does not replace a None that is defined.
            case .null: throw TemplateError.type("'NoneType' object is not iterable", at: iterableNode.offset)
            case let v: throw TemplateError.type("cannot loop over a \(v.typeName)", at: iterableNode.offset)
            }
        }
        if let filter {
            items = try items.filter { item in
                let scoped = Evaluator(scope: scope, frame: TemplateFrame(try bind(targets, to: item, at: offset), parent: frame))
                return try scoped.truthy(filter)
            }
        }
        if items.isEmpty {
            if let otherwise { try render(otherwise, into: &out) }
            return
        }
        let n = items.count
        let loopID = frame?.environment.newLoop() ?? 0
        // A recursive loop's `loop(items)` runs this loop again one level deeper (its depth is
        // bound by the call, see `recursiveLoopMacro`).
        var depth = 1
        if recursive, case .int(let d)? = frame?.lookup(Evaluator.loopDepthKey) { depth = d }
        for (i, item) in items.enumerated() {
            try frame?.budget.iterate(at: offset)
            try frame?.budget.check(outputBytes: out.utf8.count, at: offset)
            var vars = try bind(targets, to: item, at: offset)
            var loop: [String: Value] = [
                "index": .int(i + 1), "index0": .int(i), "revindex": .int(n - i), "revindex0": .int(n - i - 1),
                "first": .bool(i == 0), "last": .bool(i == n - 1), "length": .int(n), "depth": .int(depth), "depth0": .int(depth - 1),
            ]
            loop[Evaluator.loopIndexKey] = .int(i)
            loop[Evaluator.loopIDKey] = .int(loopID)
            if i > 0 { loop["previtem"] = items[i - 1] }
            if i + 1 < n { loop["nextitem"] = items[i + 1] }
            vars["loop"] = .dict(loop)
            let iteration = TemplateFrame(vars, parent: frame)
            if recursive {
                iteration.macros["loop"] = recursiveLoopMacro(targets, filter, body, depth: depth, at: offset)
            }
            try Evaluator(scope: scope, frame: iteration).render(body, into: &out)
        }
    }

    /// Binds `a` to a value, or `a, b` to the items of a two-item list (`for k, v in d.items()`).
    private func bind(_ targets: [String], to value: Value, at offset: Int) throws -> [String: Value] {
        if targets.count == 1 { return [targets[0]: value] }
        guard let parts = value.listValue, parts.count == targets.count else {
            throw TemplateError.type("cannot unpack \(value.typeName) into \(targets.count) names", at: offset)
        }
        return Dictionary(uniqueKeysWithValues: zip(targets, parts))
    }

    /// The key a recursive loop's depth is bound under while `loop(items)` runs it again.
    static let loopDepthKey = "\u{0}depth"

    /// `loop(items)` in a recursive loop: the same loop body over `items`, one level deeper,
    /// as a macro (so the call depth is bounded like any macro's).
    private func recursiveLoopMacro(_ targets: [String], _ filter: ExpressionNode?, _ body: [TemplateNode],
                                    depth: Int, at offset: Int) -> TemplateMacro {
        let items = "\u{0}items"
        let again = TemplateNode.loop(targets: targets, iterable: ExpressionNode(.name(items), at: offset), filter: filter,
                                      body: body, otherwise: nil, recursive: true, offset: offset)
        let definition = TemplateMacro.Definition(
            name: "loop", parameters: [(items, nil), (Evaluator.loopDepthKey, ExpressionNode(.literal(.int(depth + 1)), at: offset))],
            body: [again], offset: offset)
        return TemplateMacro(definition, frame: frame)
    }
}
