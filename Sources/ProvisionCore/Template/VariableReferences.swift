/// Collects the top-level variable names a template or expression reads, skipping names bound
/// by `set`, `for` and `loop`, function names and built-ins.
///
/// With `requiredOnly`, names read only conditionally are skipped too: the input of
/// `default`/`d`, the subject of `is defined`/`undefined`/`none`, `if` bodies and branches,
/// loop bodies, the right side of `and`/`or` and both arms of `a if c else b`. What remains
/// is read on every rendering, so an undefined one is certainly an error.
struct VariableReferences {
    let requiredOnly: Bool
    private(set) var names = Set<String>()
    private var bound: [Set<String>] = [[TemplateNode.blockBody]]

    init(requiredOnly: Bool) { self.requiredOnly = requiredOnly }

    private static let guardingFilters: Set<String> = ["default", "d"]
    private static let guardingTests: Set<String> = ["defined", "undefined", "none"]

    private func isBound(_ name: String) -> Bool { bound.contains { $0.contains(name) } }

    mutating func visit(_ nodes: [TemplateNode]) {
        for node in nodes {
            switch node {
            case .text: break
            case .output(let e): visit(e)
            case .assign(let targets, let value, _):
                visit(value)
                bound[bound.count - 1].formUnion(targets)
            case .assignBlock(let target, let filters, let body, _):
                visit(body)
                if let filters { visit(filters) }
                bound[bound.count - 1].insert(target)
            case .assignAttribute(_, _, let value, _):
                visit(value)
            case .macro(let definition):
                bound[bound.count - 1].insert(definition.name)
                visitMacro(definition)
            case .callBlock(let call, let caller, _):
                visit(call)
                visitMacro(caller)
            case .filterBlock(let filters, let body, _):
                visit(body)
                visit(filters)
            case .namedBlock(_, _, let body, _):
                scoped { $0.visit(body) }
            case .with(let bindings, let body, _):
                bindings.forEach { visit($0.value) }
                scoped { refs in
                    refs.bound[refs.bound.count - 1].formUnion(bindings.map(\.name))
                    refs.visit(body)
                }
            case .include(let template, _, _, _), .extends(let template, _):
                visit(template)
            case .importMacros(let template, let alias, let imported, _, _):
                visit(template)
                bound[bound.count - 1].formUnion(imported.map(\.alias) + (alias.map { [$0] } ?? []))
            case .conditional(let branches, let otherwise):
                if requiredOnly {
                    if let first = branches.first { visit(first.condition) }
                    continue
                }
                for b in branches {
                    visit(b.condition)
                    scoped { $0.visit(b.body) }
                }
                if let otherwise { scoped { $0.visit(otherwise) } }
            case .loop(let targets, let iterable, let filter, let body, let otherwise, _, _):
                visit(iterable)
                if requiredOnly { continue }
                scoped { refs in
                    refs.bound[refs.bound.count - 1].formUnion(targets + ["loop"])
                    if let filter { refs.visit(filter) }
                    refs.visit(body)
                }
                if let otherwise { scoped { $0.visit(otherwise) } }
            }
        }
    }

    /// A macro's body reads its variables only when called: never "required".
    private mutating func visitMacro(_ definition: TemplateMacro.Definition) {
        if requiredOnly { return }
        scoped { refs in
            definition.parameters.compactMap(\.defaultValue).forEach { refs.visit($0) }
            refs.bound[refs.bound.count - 1].formUnion(definition.parameters.map(\.name) + ["caller", "varargs", "kwargs"])
            refs.visit(definition.body)
        }
    }

    private mutating func scoped(_ body: (inout VariableReferences) -> Void) {
        bound.append([])
        body(&self)
        bound.removeLast()
    }

    mutating func visit(_ node: ExpressionNode) {
        switch node.kind {
        case .literal: break
        case .name(let n):
            if !isBound(n), Evaluator.builtinVariables[n] == nil { names.insert(n) }
        case .list(let items), .tuple(let items): items.forEach { visit($0) }
        case .dict(let pairs): pairs.forEach { visit($0.key); visit($0.value) }
        case .attribute(let base, _): visit(base)
        case .index(let base, let key): visit(base); visit(key)
        case .slice(let base, let a, let b, let c): visit(base); [a, b, c].compactMap { $0 }.forEach { visit($0) }
        case .call(let callee, let args):
            if case .name = callee.kind {} else { visit(callee) }
            visit(args)
        case .filter(let input, let name, let args):
            if !(requiredOnly && Self.guardingFilters.contains(name)) { visit(input) }
            visit(args)
        case .test(let input, let name, let args, _):
            if !(requiredOnly && Self.guardingTests.contains(name)) { visit(input) }
            visit(args)
        case .unary(_, let a), .not(let a): visit(a)
        case .binary(_, let a, let b): visit(a); visit(b)
        case .compare(let first, let chain): visit(first); chain.forEach { visit($0.rhs) }
        case .and(let a, let b), .or(let a, let b):
            visit(a)
            if !requiredOnly { visit(b) }
        case .conditional(let then, let condition, let otherwise):
            visit(condition)
            if !requiredOnly {
                visit(then)
                if let otherwise { visit(otherwise) }
            }
        }
    }

    private mutating func visit(_ args: ExpressionNode.Arguments) {
        args.positional.forEach { visit($0) }
        args.keyword.forEach { visit($0.value) }
    }
}
