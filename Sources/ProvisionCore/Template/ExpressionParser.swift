/// Recursive-descent parser for Jinja expressions, with Jinja's precedence (lowest first):
/// `x if c else y`, `or`, `and`, `not`, comparisons and `in`/`not in`, `+ -`, `~`,
/// `* / // %`, `**`, unary `-`, then postfix (`.a`, `[i]`, `(args)`), filters `|` and tests `is`.
struct ExpressionParser {
    private var tokens: [ExpressionToken]
    private var pos = 0
    /// Current recursion depth, bounded so hostile input cannot overflow the stack.
    private var depth = 0
    static let maxDepth = 100

    /// Names that end a bare test argument (`x is divisibleby 3` takes one; `x is defined and`
    /// does not).
    static let keywords: Set<String> = ["and", "or", "not", "in", "is", "if", "else"]

    init(tokens: [ExpressionToken]) { self.tokens = tokens }

    var current: ExpressionToken { tokens[min(pos, tokens.count - 1)] }
    var atEnd: Bool { current.kind == .end }

    func peekToken(_ k: Int) -> ExpressionToken { tokens[min(pos + k, tokens.count - 1)] }

    mutating func advance() { if pos < tokens.count - 1 { pos += 1 } }

    mutating func skipName(_ n: String) -> Bool {
        if current.isName(n) { advance(); return true }
        return false
    }

    mutating func skipOp(_ o: String) -> Bool {
        if current.isOp(o) { advance(); return true }
        return false
    }

    mutating func expectOp(_ o: String) throws {
        guard skipOp(o) else { throw unexpected(expecting: "'\(o)'") }
    }

    mutating func expectName() throws -> String {
        guard let n = current.name else { throw unexpected(expecting: "a name") }
        advance()
        return n
    }

    func expectEnd() throws {
        guard atEnd else { throw unexpected(expecting: nil) }
    }

    func unexpected(expecting what: String?) -> TemplateError {
        var msg = "unexpected \(current.display)"
        if let what { msg += ", expected \(what)" }
        return TemplateError.syntax(msg, at: current.offset)
    }

    private mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth { throw TemplateError.syntax("expression nested too deeply", at: current.offset) }
    }

    // MARK: - Precedence levels

    mutating func parseExpression(allowConditional: Bool = true) throws -> ExpressionNode {
        try enter()
        defer { depth -= 1 }
        var node = try parseOr()
        while allowConditional, current.isName("if") {
            let at = current.offset
            advance()
            let condition = try parseOr()
            var otherwise: ExpressionNode?
            if skipName("else") { otherwise = try parseExpression() }
            node = ExpressionNode(.conditional(then: node, condition: condition, otherwise: otherwise), at: at)
        }
        if node.height > ExpressionNode.maxHeight {
            throw TemplateError.syntax("expression too complex (more than \(ExpressionNode.maxHeight) levels); split it with set_fact or vars", at: node.offset)
        }
        return node
    }

    mutating func parseOr() throws -> ExpressionNode {
        var node = try parseAnd()
        while current.isName("or") {
            let at = current.offset
            advance()
            node = ExpressionNode(.or(node, try parseAnd()), at: at)
        }
        return node
    }

    private mutating func parseAnd() throws -> ExpressionNode {
        var node = try parseNot()
        while current.isName("and") {
            let at = current.offset
            advance()
            node = ExpressionNode(.and(node, try parseNot()), at: at)
        }
        return node
    }

    private mutating func parseNot() throws -> ExpressionNode {
        if current.isName("not") {
            let at = current.offset
            advance()
            try enter()
            defer { depth -= 1 }
            return ExpressionNode(.not(try parseNot()), at: at)
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws -> ExpressionNode {
        let lhs = try parseMath1()
        var ops: [(op: String, rhs: ExpressionNode)] = []
        while true {
            if case .op(let o) = current.kind, ["==", "!=", "<", ">", "<=", ">="].contains(o) {
                advance()
                ops.append((o, try parseMath1()))
            } else if current.isName("in") {
                advance()
                ops.append(("in", try parseMath1()))
            } else if current.isName("not"), peekToken(1).isName("in") {
                advance(); advance()
                ops.append(("not in", try parseMath1()))
            } else {
                break
            }
        }
        return ops.isEmpty ? lhs : ExpressionNode(.compare(lhs, ops), at: lhs.offset)
    }

    private mutating func parseBinary(_ ops: Set<String>, next: (inout ExpressionParser) throws -> ExpressionNode) throws -> ExpressionNode {
        var node = try next(&self)
        while case .op(let o) = current.kind, ops.contains(o) {
            let at = current.offset
            advance()
            node = ExpressionNode(.binary(o, node, try next(&self)), at: at)
        }
        return node
    }

    private mutating func parseMath1() throws -> ExpressionNode {
        try parseBinary(["+", "-"]) { try $0.parseConcat() }
    }

    private mutating func parseConcat() throws -> ExpressionNode {
        try parseBinary(["~"]) { try $0.parseMath2() }
    }

    private mutating func parseMath2() throws -> ExpressionNode {
        try parseBinary(["*", "/", "//", "%"]) { try $0.parsePow() }
    }

    private mutating func parsePow() throws -> ExpressionNode {
        try parseBinary(["**"]) { try $0.parseUnary(withFilter: true) }
    }

    private mutating func parseUnary(withFilter: Bool) throws -> ExpressionNode {
        var node: ExpressionNode
        if case .op(let o) = current.kind, o == "-" || o == "+" {
            let at = current.offset
            advance()
            try enter()
            defer { depth -= 1 }
            node = ExpressionNode(.unary(o, try parseUnary(withFilter: false)), at: at)
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter { node = try parseFilterAndTest(node) }
        return node
    }
}
