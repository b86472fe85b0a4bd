/// One lexical token of a Jinja expression, with where it starts in the template text.
struct ExpressionToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case name(String)
        case string(String)
        case int(Int)
        case float(Double)
        /// Operators and punctuation: `( ) [ ] { } . , : | ~ + - * / // % ** == != < > <= >= =`.
        case op(String)
        /// End of the expression (end of text, or the closing `}}` / `%}`).
        case end
    }

    var kind: Kind
    /// Offset in Unicode scalars from the start of the whole template text.
    var offset: Int

    var name: String? { if case .name(let n) = kind { return n }; return nil }

    func isOp(_ s: String) -> Bool { kind == .op(s) }
    func isName(_ s: String) -> Bool { kind == .name(s) }

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .name(let n): return "'\(n)'"
        case .string(let s): return "string '\(s)'"
        case .int(let i): return "number \(i)"
        case .float(let d): return "number \(d)"
        case .op(let o): return "'\(o)'"
        case .end: return "end of expression"
        }
    }
}
