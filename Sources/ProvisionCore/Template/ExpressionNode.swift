/// A parsed expression: an immutable tree, evaluated many times against different scopes.
struct ExpressionNode: Sendable {
    /// Arguments of a filter, test or call: positional, then `name=value` keyword ones.
    struct Arguments: Sendable {
        var positional: [ExpressionNode] = []
        var keyword: [(name: String, value: ExpressionNode)] = []
        /// `*args`: a list whose items follow the positional arguments.
        var starArgs: ExpressionNode?
        /// `**kwargs`: a dict whose entries join the keyword arguments.
        var starKwargs: ExpressionNode?
        var isEmpty: Bool { positional.isEmpty && keyword.isEmpty && starArgs == nil && starKwargs == nil }
        var all: [ExpressionNode] { positional + keyword.map(\.value) + [starArgs, starKwargs].compactMap { $0 } }
    }

    indirect enum Kind: Sendable {
        case literal(Value)
        case name(String)
        case list([ExpressionNode])
        /// `(a, b)`, `(a,)`, `()` and `set x = a, b`: a Python tuple.
        case tuple([ExpressionNode])
        case dict([(key: ExpressionNode, value: ExpressionNode)])
        /// `a.b` (and `a.0`, which Jinja reads as an index).
        case attribute(ExpressionNode, String)
        /// `a[b]`
        case index(ExpressionNode, ExpressionNode)
        /// `a[start:stop:step]`, any part optional.
        case slice(ExpressionNode, ExpressionNode?, ExpressionNode?, ExpressionNode?)
        /// `f(...)` or `obj.method(...)`.
        case call(ExpressionNode, Arguments)
        case filter(ExpressionNode, String, Arguments)
        /// `x is [not] name(args)`.
        case test(ExpressionNode, String, Arguments, negated: Bool)
        case unary(String, ExpressionNode)
        case binary(String, ExpressionNode, ExpressionNode)
        /// A chain `a < b <= c` (one comparison is a chain of one).
        case compare(ExpressionNode, [(op: String, rhs: ExpressionNode)])
        case and(ExpressionNode, ExpressionNode)
        case or(ExpressionNode, ExpressionNode)
        case not(ExpressionNode)
        /// `a if cond else b` (`else` optional: undefined then).
        case conditional(then: ExpressionNode, condition: ExpressionNode, otherwise: ExpressionNode?)
    }

    var kind: Kind
    /// Offset in Unicode scalars from the start of the template text.
    var offset: Int
    /// Levels of nodes below and including this one; the parser bounds it so evaluation,
    /// which recurses, cannot overflow a host queue's stack.
    let height: Int

    static let maxHeight = 200

    init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
        height = 1 + (ExpressionNode.children(of: kind).map(\.height).max() ?? 0)
    }

    private static func children(of kind: Kind) -> [ExpressionNode] {
        switch kind {
        case .literal, .name: return []
        case .list(let items), .tuple(let items): return items
        case .dict(let pairs): return pairs.flatMap { [$0.key, $0.value] }
        case .attribute(let base, _): return [base]
        case .index(let a, let b): return [a, b]
        case .slice(let base, let a, let b, let c): return [base] + [a, b, c].compactMap { $0 }
        case .call(let callee, let args): return [callee] + args.all
        case .filter(let input, _, let args), .test(let input, _, let args, _): return [input] + args.all
        case .unary(_, let a), .not(let a): return [a]
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b): return [a, b]
        case .compare(let first, let chain): return [first] + chain.map(\.rhs)
        case .conditional(let then, let condition, let otherwise): return [then, condition] + (otherwise.map { [$0] } ?? [])
        }
    }

    /// The dotted path this node names when it is a plain variable path (`result.stdout`,
    /// `groups['x']`), for messages about undefined values.
    var pathDescription: String? {
        switch kind {
        case .name(let n): return n
        case .attribute(let base, let attr): return base.pathDescription.map { "\($0).\(attr)" }
        case .index(let base, let key):
            guard let b = base.pathDescription else { return nil }
            if case .literal(let v) = key.kind {
                if case .string(let s) = v { return "\(b)['\(s)']" }
                return "\(b)[\(v.renderedString)]"
            }
            return nil
        default: return nil
        }
    }
}
