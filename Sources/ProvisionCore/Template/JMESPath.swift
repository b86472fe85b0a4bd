import Foundation

/// A JMESPath subset for `json_query`: fields, quoted fields, indexes, slices, projections
/// (`[*]`, `[]`, `.*`, filters `[?a=='x']`), multiselect lists and hashes, pipes, `||`, `&&`,
/// `!`, comparisons, literals, `@`, and the functions length, keys, values, contains, join,
/// to_string, starts_with, ends_with. Anything else is a clear error, never a guess.
struct JMESPath {
    struct Failure: Error { let message: String }

    indirect enum Node {
        case identity
        case field(String)
        case literal(Value)
        case sub(Node, Node)
        case index(Int)
        case slice(Int?, Int?, Int?)
        case projection(Node, Node)
        case valueProjection(Node, Node)
        case filterProjection(Node, Node, Node)
        case flatten(Node)
        case pipe(Node, Node)
        case or(Node, Node)
        case and(Node, Node)
        case not(Node)
        case compare(String, Node, Node)
        case multiList([Node])
        case multiHash([(String, Node)])
        case function(String, [Node])
        /// `&expr`: an expression passed unevaluated to sort_by/max_by/min_by/map.
        case expref(Node)
    }

    enum Token: Equatable {
        case name(String), quoted(String), literal(Value), number(Int), op(String), end
    }

    private var tokens: [Token] = []
    private var pos = 0
    private var current: Token { tokens[pos] }

    static func search(_ expression: String, in data: Value) throws -> Value {
        var p = JMESPath()
        p.tokens = try lex(expression)
        let node = try p.parse(0)
        guard p.current == .end else { throw Failure(message: "unexpected token after the expression") }
        return try evaluate(node, data)
    }

    // MARK: - Lexer

    private static func lex(_ s: String) throws -> [Token] {
        let c = Array(s)
        var i = 0
        var out: [Token] = []
        func delimited(_ q: Character) throws -> String {
            var t = ""
            i += 1
            while i < c.count, c[i] != q {
                if c[i] == "\\", i + 1 < c.count { t.append(c[i]); i += 1 }
                t.append(c[i]); i += 1
            }
            guard i < c.count else { throw Failure(message: "unterminated \(q)") }
            i += 1
            return t
        }
        while i < c.count {
            let ch = c[i]
            if ch.isWhitespace { i += 1; continue }
            if ch.isLetter || ch == "_" {
                var t = ""
                while i < c.count, c[i].isLetter || c[i].isNumber || c[i] == "_" { t.append(c[i]); i += 1 }
                out.append(.name(t)); continue
            }
            if ch.isNumber || (ch == "-" && i + 1 < c.count && c[i + 1].isNumber) {
                var t = String(ch); i += 1
                while i < c.count, c[i].isNumber { t.append(c[i]); i += 1 }
                guard let n = Int(t) else { throw Failure(message: "bad number \(t)") }
                out.append(.number(n)); continue
            }
            switch ch {
            case "\"":
                let raw = try delimited("\"")
                guard let v = Value(jsonText: "\"" + raw + "\""), case .string(let str) = v else { throw Failure(message: "bad quoted identifier") }
                out.append(.quoted(str))
            case "'":
                out.append(.literal(.string(try delimited("'").replacingOccurrences(of: "\\'", with: "'"))))
            case "`":
                let raw = try delimited("`").replacingOccurrences(of: "\\`", with: "`")
                // Not JSON: python-jmespath's legacy form reads it as a string (`web`).
                let legacy = "\"" + String(raw.drop(while: \.isWhitespace)) + "\""
                guard let v = Value(jsonText: raw) ?? Value(jsonText: legacy) else { throw Failure(message: "literal `\(raw)` is not JSON") }
                out.append(.literal(v))
            default:
                let two = i + 1 < c.count ? String([ch, c[i + 1]]) : ""
                if ["||", "&&", "==", "!=", "<=", ">=", "[]", "[?"].contains(two) { out.append(.op(two)); i += 2; continue }
                guard ".*[]{}(),:|&!<>@".contains(ch) else { throw Failure(message: "unexpected character '\(ch)'") }
                out.append(.op(String(ch))); i += 1
            }
        }
        out.append(.end)
        return out
    }

    // MARK: - Parser (binding powers as the JMESPath specification's reference parser)

    private static func power(_ t: Token) -> Int {
        guard case .op(let o) = t else { return 0 }
        switch o {
        case "|": return 1
        case "||": return 2
        case "&&": return 3
        case "==", "!=", "<", "<=", ">", ">=": return 5
        case "[]": return 9
        case "*": return 20
        case "[?": return 21
        case ".": return 40
        case "!": return 45
        case "{": return 50
        case "[": return 55
        case "(": return 60
        default: return 0
        }
    }

    private mutating func advance() { if pos < tokens.count - 1 { pos += 1 } }

    private mutating func expect(_ o: String) throws {
        guard current == .op(o) else { throw Failure(message: "expected '\(o)'") }
        advance()
    }

    private mutating func parse(_ bp: Int) throws -> Node {
        let t = current
        advance()
        var left = try nud(t)
        while bp < JMESPath.power(current) {
            let op = current
            advance()
            left = try led(op, left)
        }
        return left
    }

    private mutating func nud(_ t: Token) throws -> Node {
        switch t {
        case .literal(let v): return .literal(v)
        case .quoted(let s):
            if current == .op("(") { throw Failure(message: "a quoted name cannot be a function") }
            return .field(s)
        case .name(let n):
            if current == .op("(") {
                advance()
                var args: [Node] = []
                while current != .op(")") {
                    args.append(try parse(0))
                    if current == .op(",") { advance() } else { break }
                }
                try expect(")")
                return .function(n, args)
            }
            return .field(n)
        case .op("*"):
            return .valueProjection(.identity, try projectionRHS(20))
        case .op("!"): return .not(try parse(45))
        case .op("@"): return .identity
        case .op("&"): return .expref(try parse(0))
        case .op("("):
            let e = try parse(0)
            try expect(")")
            return e
        case .op("[]"): return .projection(.flatten(.identity), try projectionRHS(9))
        case .op("[?"): return try filter(.identity)
        case .op("{"): return try multiHash()
        case .op("["):
            if case .number = current { return try indexOrSlice(.identity) }
            if current == .op(":") { return try indexOrSlice(.identity) }
            if current == .op("*"), tokens[pos + 1] == .op("]") {
                advance(); advance()
                return .projection(.identity, try projectionRHS(20))
            }
            return try multiList()
        default: throw Failure(message: "unexpected token")
        }
    }

    private mutating func led(_ t: Token, _ left: Node) throws -> Node {
        switch t {
        case .op("."):
            if current == .op("*") {
                advance()
                return .valueProjection(left, try projectionRHS(40))
            }
            return .sub(left, try dotRHS(40))
        case .op("|"): return .pipe(left, try parse(1))
        case .op("||"): return .or(left, try parse(2))
        case .op("&&"): return .and(left, try parse(3))
        case .op(let o) where ["==", "!=", "<", "<=", ">", ">="].contains(o): return .compare(o, left, try parse(5))
        case .op("[]"): return .projection(.flatten(left), try projectionRHS(9))
        case .op("[?"): return try filter(left)
        case .op("["):
            if case .number = current { return try indexOrSlice(left) }
            if current == .op(":") { return try indexOrSlice(left) }
            try expect("*")
            try expect("]")
            return .projection(left, try projectionRHS(20))
        default: throw Failure(message: "unexpected token")
        }
    }

    private mutating func filter(_ left: Node) throws -> Node {
        let condition = try parse(0)
        try expect("]")
        return .filterProjection(left, try projectionRHS(21), condition)
    }

    private mutating func indexOrSlice(_ left: Node) throws -> Node {
        var parts: [Int?] = [nil]
        while current != .op("]") {
            if current == .op(":") {
                parts.append(nil)
                guard parts.count <= 3 else { throw Failure(message: "too many colons in a slice") }
                advance()
            } else if case .number(let n) = current {
                parts[parts.count - 1] = n
                advance()
            } else {
                throw Failure(message: "expected a number in an index or slice")
            }
        }
        advance()
        if parts.count == 1, let i = parts[0] { return .sub(left, .index(i)) }
        while parts.count < 3 { parts.append(nil) }
        if parts[2] == 0 { throw Failure(message: "slice step cannot be 0") }
        return .projection(.sub(left, .slice(parts[0], parts[1], parts[2])), try projectionRHS(20))
    }

    private mutating func projectionRHS(_ bp: Int) throws -> Node {
        if JMESPath.power(current) < 10 { return .identity }
        switch current {
        case .op("["), .op("[?"): return try parse(bp)
        case .op("."):
            advance()
            return try dotRHS(bp)
        default: throw Failure(message: "unexpected token after a projection")
        }
    }

    private mutating func dotRHS(_ bp: Int) throws -> Node {
        switch current {
        case .name, .quoted, .op("*"): return try parse(bp)
        case .op("["):
            advance()
            return try multiList()
        case .op("{"):
            advance()
            return try multiHash()
        default: throw Failure(message: "expected a name, '[' or '{' after '.'")
        }
    }

    private mutating func multiList() throws -> Node {
        var items: [Node] = []
        while true {
            items.append(try parse(0))
            if current == .op(",") { advance(); continue }
            try expect("]")
            return .multiList(items)
        }
    }

    private mutating func multiHash() throws -> Node {
        var pairs: [(String, Node)] = []
        while true {
            let key: String
            switch current {
            case .name(let n), .quoted(let n): key = n
            default: throw Failure(message: "expected a key in a multiselect hash")
            }
            advance()
            try expect(":")
            pairs.append((key, try parse(0)))
            if current == .op(",") { advance(); continue }
            try expect("}")
            return .multiHash(pairs)
        }
    }
}
