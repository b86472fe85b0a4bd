/// Splits expression text into tokens, stopping at the delimiter that closes a `{{ }}` or
/// `{% %}` tag (only when no bracket is open, so `{{ {'a': 1} }}` works).
struct ExpressionLexer {
    /// What ends the expression being lexed.
    enum Terminator {
        /// The end of the text (a bare `when:` condition).
        case endOfText
        /// `}}`, `-}}` or `+}}`.
        case variable
        /// `%}`, `-%}` or `+%}`.
        case block
    }

    /// The tokens and where lexing stopped.
    struct Result {
        var tokens: [ExpressionToken]
        /// Index just past the closing delimiter (or the end of the text).
        var end: Int
        /// The delimiter was written `-}}` / `-%}`: strip whitespace after it.
        var stripAfter: Bool
        /// The delimiter was written `+%}`: keep the newline trim_blocks would remove.
        var keepNewline: Bool
    }

    private static let twoCharOps: Set<String> = ["//", "**", "==", "!=", "<=", ">="]
    private static let oneCharOps: Set<Unicode.Scalar> = ["(", ")", "[", "]", "{", "}", ".", ",", ":", "|",
                                                          "~", "+", "-", "*", "/", "%", "<", ">", "="]

    let text: [Unicode.Scalar]
    /// Bound on one expression's size, so its tree stays shallow enough to walk recursively.
    static let maxTokens = 4_000

    func lex(from start: Int, until terminator: Terminator) throws -> Result {
        var tokens: [ExpressionToken] = []
        var depth = 0
        var i = start
        let n = text.count
        while true {
            while i < n, Self.isSpace(text[i]) { i += 1 }
            if i >= n {
                if terminator != .endOfText {
                    let what = terminator == .variable ? "'}}'" : "'%}'"
                    throw TemplateError.syntax("unexpected end of template, expected \(what)", at: start)
                }
                tokens.append(ExpressionToken(kind: .end, offset: n))
                return Result(tokens: tokens, end: n, stripAfter: false, keepNewline: false)
            }
            if depth == 0, let close = closing(at: i, terminator) {
                tokens.append(ExpressionToken(kind: .end, offset: i))
                return Result(tokens: tokens, end: close.end, stripAfter: close.strip, keepNewline: close.keep)
            }
            if tokens.count >= Self.maxTokens {
                throw TemplateError.syntax("expression too long (more than \(Self.maxTokens) tokens)", at: i)
            }
            let c = text[i]
            if c == "'" || c == "\"" {
                let (s, next) = try lexString(at: i)
                tokens.append(ExpressionToken(kind: .string(s), offset: i))
                i = next
            } else if Self.isDigit(c) {
                let (kind, next) = try lexNumber(at: i)
                tokens.append(ExpressionToken(kind: kind, offset: i))
                i = next
            } else if Self.isNameStart(c) {
                var j = i
                while j < n, Self.isNameStart(text[j]) || Self.isDigit(text[j]) { j += 1 }
                tokens.append(ExpressionToken(kind: .name(String(String.UnicodeScalarView(text[i..<j]))), offset: i))
                i = j
            } else if i + 1 < n, Self.twoCharOps.contains(String(String.UnicodeScalarView([c, text[i + 1]]))) {
                tokens.append(ExpressionToken(kind: .op(String(String.UnicodeScalarView([c, text[i + 1]]))), offset: i))
                i += 2
            } else if Self.oneCharOps.contains(c) {
                switch c {
                case "(", "[", "{": depth += 1
                case ")", "]", "}":
                    depth -= 1
                    if depth < 0 { throw TemplateError.syntax("unexpected '\(c)'", at: i) }
                default: break
                }
                tokens.append(ExpressionToken(kind: .op(String(c)), offset: i))
                i += 1
            } else {
                throw TemplateError.syntax("unexpected character '\(c)'", at: i)
            }
        }
    }

    /// The closing delimiter at `i`, if there is one: where it ends and its whitespace flags.
    private func closing(at i: Int, _ terminator: Terminator) -> (end: Int, strip: Bool, keep: Bool)? {
        let mark: [Unicode.Scalar]
        switch terminator {
        case .endOfText: return nil
        case .variable: mark = ["}", "}"]
        case .block: mark = ["%", "}"]
        }
        if matches(mark, at: i) { return (i + 2, false, false) }
        if text[i] == "-" || text[i] == "+", matches(mark, at: i + 1) {
            return (i + 3, text[i] == "-", text[i] == "+")
        }
        return nil
    }

    private func matches(_ mark: [Unicode.Scalar], at i: Int) -> Bool {
        guard i + mark.count <= text.count else { return false }
        for k in 0..<mark.count where text[i + k] != mark[k] { return false }
        return true
    }

    /// A quoted string with Python's escapes, as Jinja reads it: `\1` is chr(1) and `\x41` "A"
    /// (a template file's `regex_replace('…', '\1')` gets chr(1) in Ansible too; task arguments
    /// reach here with their backslashes doubled, see `BackslashEscaping`). A backslash before
    /// anything else (`\d`, `\.`, `\8`) is kept, as in Python.
    private func lexString(at start: Int) throws -> (String, Int) {
        let quote = text[start]
        var out = String.UnicodeScalarView()
        var i = start + 1
        while i < text.count {
            let c = text[i]
            if c == quote { return (String(out), i + 1) }
            if c == "\\", i + 1 < text.count {
                let e = text[i + 1]
                switch e {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "\\": out.append("\\")
                case "'", "\"": out.append(e)
                case "\n": break
                case "a": out.append("\u{07}")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "v": out.append("\u{0B}")
                case "0"..."7":
                    var n: UInt32 = 0, j = i + 1
                    while j < text.count, j < i + 4, ("0"..."7").contains(text[j]) { n = n * 8 + (text[j].value - 48); j += 1 }
                    out.append(Unicode.Scalar(n) ?? "\u{FFFD}")
                    i = j
                    continue
                case "x", "u", "U":
                    let count = e == "x" ? 2 : e == "u" ? 4 : 8
                    guard i + 2 + count <= text.count,
                          let n = UInt32(String(String.UnicodeScalarView(text[(i + 2)..<(i + 2 + count)])), radix: 16),
                          let scalar = Unicode.Scalar(n) else {
                        throw TemplateError.syntax("truncated \\\(e) escape in a string literal", at: i)
                    }
                    out.append(scalar)
                    i += 2 + count
                    continue
                case "N": throw TemplateError.syntax("\\N{…} escapes in string literals are not supported", at: i)
                default: out.append("\\"); out.append(e)
                }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        throw TemplateError.syntax("unterminated string", at: start)
    }

    private func lexNumber(at start: Int) throws -> (ExpressionToken.Kind, Int) {
        var i = start
        var digits = ""
        func takeDigits() {
            while i < text.count, Self.isDigit(text[i]) || text[i] == "_" {
                if text[i] != "_" { digits.unicodeScalars.append(text[i]) }
                i += 1
            }
        }
        takeDigits()
        var isFloat = false
        if i + 1 < text.count, text[i] == ".", Self.isDigit(text[i + 1]) {
            isFloat = true
            digits += "."
            i += 1
            takeDigits()
        }
        if i < text.count, text[i] == "e" || text[i] == "E" {
            var j = i + 1
            if j < text.count, text[j] == "+" || text[j] == "-" { j += 1 }
            if j < text.count, Self.isDigit(text[j]) {
                isFloat = true
                digits += "e" + String(String.UnicodeScalarView(text[(i + 1)..<j]))
                i = j
                takeDigits()
            }
        }
        if isFloat {
            guard let d = Double(digits) else { throw TemplateError.syntax("bad number '\(digits)'", at: start) }
            return (.float(d), i)
        }
        guard let v = Int(digits) else { throw TemplateError.syntax("number '\(digits)' is too large", at: start) }
        return (.int(v), i)
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || (c.value > 127 && c.properties.isAlphabetic)
    }
}
