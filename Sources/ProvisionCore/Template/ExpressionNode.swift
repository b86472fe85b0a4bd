/// A parsed expression: an immutable tree, evaluated many times against different scopes.
struct ExpressionNode: Sendable {
    /// Arguments of a filter, test or call: positional, then `name=value` keyword ones.
    struct Arguments: Sendable {
        var positional: [ExpressionNode] = []
        var keyword: [(name: String, value: ExpressionNode)] = []
        var isEmpty: Bool { positional.isEmpty && keyword.isEmpty }
    }

    indirect enum Kind: Sendable {
        case literal(Value)
        case name(String)
        case list([ExpressionNode])
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

    init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
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
