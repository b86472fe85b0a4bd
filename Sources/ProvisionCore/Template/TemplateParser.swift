/// Parses template text into nodes: splits it at `{{ }}`, `{% %}` and `{# #}`, applies
/// whitespace control (`-` strips, `+` keeps) and Ansible's `trim_blocks` (the newline right
/// after a block tag or comment goes), then builds the block structure.
struct TemplateParser {
    /// A lexed piece of the template, before block structure is built.
    enum Piece {
        case text(String)
        case output(ExpressionParser)
        case tag(name: String, parser: ExpressionParser, offset: Int)
    }

    let text: [Unicode.Scalar]
    var pieces: [Piece] = []
    var index = 0
    var blockDepth = 0

    /// Jinja's trim_blocks (Ansible's default: on) and lstrip_blocks (off).
    var trimBlocks = true
    var lstripBlocks = false

    init(_ source: String, trimBlocks: Bool = true, lstripBlocks: Bool = false) {
        text = Array(source.unicodeScalars)
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
    }

    /// Where the piece about to be parsed starts, for errors.
    var currentOffset: Int {
        guard index > 0, index - 1 < pieces.count, case .tag(_, _, let offset) = pieces[index - 1] else { return 0 }
        return offset
    }

    mutating func parse() throws -> [TemplateNode] {
        try split()
        index = 0
        let (nodes, end) = try parseBody(until: [])
        if let end { throw TemplateError.syntax("unexpected '\(end.name)' with no open block", at: end.offset) }
        return nodes
    }

    // MARK: - Splitting

    private func find(_ a: Unicode.Scalar, from i: Int) -> Int? {
        var j = i
        while j + 1 < text.count {
            if text[j] == "{", text[j + 1] == a { return j }
            j += 1
        }
        return nil
    }

    private mutating func split() throws {
        let lexer = ExpressionLexer(text: text)
        var i = 0
        var pending = String.UnicodeScalarView()
        var stripLeading = false, dropNewline = false
        func flushText(stripTrailing: Bool) {
            var s = pending
            if stripLeading { while let f = s.first, ExpressionLexer.isSpace(f) { s.removeFirst() } }
            else if dropNewline {
                if s.first == "\n" { s.removeFirst() }
                else if s.first == "\r", s.dropFirst().first == "\n" { s.removeFirst(2) }
            }
            if stripTrailing { while let l = s.last, ExpressionLexer.isSpace(l) { s.removeLast() } }
            if !s.isEmpty { pieces.append(.text(String(s))) }
            pending = String.UnicodeScalarView()
            stripLeading = false
            dropNewline = false
        }
        while i < text.count {
            guard text[i] == "{", i + 1 < text.count, "{%#".unicodeScalars.contains(text[i + 1]) else {
                pending.append(text[i])
                i += 1
                continue
            }
            let kind = text[i + 1]
            let tagStart = i
            var inner = i + 2
            let stripBefore = inner < text.count && text[inner] == "-"
            let keepBefore = inner < text.count && text[inner] == "+"
            if inner < text.count, text[inner] == "-" || text[inner] == "+" { inner += 1 }
            if lstripBlocks, !keepBefore, kind != "{" {
                // lstrip_blocks: spaces and tabs between a line's start and a block tag go.
                var j = pending.endIndex
                while j > pending.startIndex, pending[pending.index(before: j)] == " " || pending[pending.index(before: j)] == "\t" {
                    j = pending.index(before: j)
                }
                let atLineStart = j == pending.startIndex ? (pieces.isEmpty || lastTextEndsLine) : pending[pending.index(before: j)] == "\n"
                if atLineStart { pending.removeSubrange(j...) }
            }
            flushText(stripTrailing: stripBefore)
            switch kind {
            case "#":
                guard let close = findCommentEnd(from: inner) else {
                    throw TemplateError.syntax("unterminated comment '{#' (a shell '${#var}' needs {% raw %}…{% endraw %})", at: tagStart)
                }
                let strip = close > 0 && text[close - 1] == "-"
                i = close + 2
                (stripLeading, dropNewline) = (strip, trimBlocks && !strip && !(close > 0 && text[close - 1] == "+"))
            case "{":
                let r = try lexer.lex(from: inner, until: .variable)
                pieces.append(.output(ExpressionParser(tokens: r.tokens)))
                i = r.end
                stripLeading = r.stripAfter
            default:
                let r = try lexer.lex(from: inner, until: .block)
                guard let name = r.tokens.first?.name else {
                    throw TemplateError.syntax("expected a tag name after '{%'", at: tagStart)
                }
                var parser = ExpressionParser(tokens: r.tokens)
                parser.advance()
                i = r.end
                (stripLeading, dropNewline) = (r.stripAfter, trimBlocks && !r.stripAfter && !r.keepNewline)
                if name == "raw" {
                    // Jinja's trim_blocks does not reach past `{% raw %}`: its newline stays.
                    dropNewline = false
                    try parser.expectEnd()
                    let raw = try readRaw(from: i, tagStart: tagStart)
                    pending = raw.body
                    if lstripBlocks, !raw.keepBefore {
                        // lstrip_blocks reaches `{% endraw %}` too: blanks from its line's start go.
                        var j = pending.endIndex
                        while j > pending.startIndex, pending[pending.index(before: j)] == " " || pending[pending.index(before: j)] == "\t" {
                            j = pending.index(before: j)
                        }
                        if j > pending.startIndex, pending[pending.index(before: j)] == "\n" { pending.removeSubrange(j...) }
                    }
                    flushText(stripTrailing: raw.stripBefore)
                    i = raw.end
                    (stripLeading, dropNewline) = (raw.stripAfter, trimBlocks && !raw.stripAfter && !raw.keepNewline)
                    continue
                }
                pieces.append(.tag(name: name, parser: parser, offset: tagStart))
            }
        }
        flushText(stripTrailing: false)
    }

    /// True when the text emitted last ends a line (or nothing was emitted): a tag there
    /// starts its line, for lstrip_blocks.
    private var lastTextEndsLine: Bool {
        for piece in pieces.reversed() {
            if case .text(let t) = piece { return t.hasSuffix("\n") }
            return false
        }
        return true
    }

    private func findCommentEnd(from i: Int) -> Int? {
        var j = i
        while j + 1 < text.count {
            if text[j] == "#", text[j + 1] == "}" { return j }
            j += 1
        }
        return nil
    }

    /// The body of `{% raw %}` up to `{% endraw %}`, and the whitespace flags of the end tag.
    private func readRaw(from start: Int, tagStart: Int)
        throws -> (body: String.UnicodeScalarView, end: Int, stripBefore: Bool, stripAfter: Bool, keepNewline: Bool, keepBefore: Bool) {
        var j = start
        let word = Array("endraw".unicodeScalars)
        while let open = find("%", from: j) {
            var k = open + 2
            let stripBefore = k < text.count && text[k] == "-"
            let keepBefore = k < text.count && text[k] == "+"
            if k < text.count, text[k] == "-" || text[k] == "+" { k += 1 }
            while k < text.count, ExpressionLexer.isSpace(text[k]) { k += 1 }
            if k + word.count <= text.count, Array(text[k..<(k + word.count)]) == word {
                k += word.count
                while k < text.count, ExpressionLexer.isSpace(text[k]) { k += 1 }
                var stripAfter = false, keep = false
                if k < text.count, text[k] == "-" || text[k] == "+" {
                    stripAfter = text[k] == "-"
                    keep = text[k] == "+"
                    k += 1
                }
                if k + 1 < text.count, text[k] == "%", text[k + 1] == "}" {
                    return (String.UnicodeScalarView(text[start..<open]), k + 2, stripBefore, stripAfter, keep, keepBefore)
                }
            }
            j = open + 2
        }
        throw TemplateError.syntax("'{% raw %}' without '{% endraw %}'", at: tagStart)
    }
}
