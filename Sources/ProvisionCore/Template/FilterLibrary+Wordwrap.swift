/// Jinja's `wordwrap`: each line wrapped by Python's `textwrap.wrap` (no tab expansion, no
/// whitespace replacement), joined with `wrapstring`.
extension FilterLibrary {
    static func wordwrap(_ call: FilterCall) throws -> Value {
        let s = try call.text()
        let width = try call.args.int(0, "width") ?? 79
        let breakLong = try call.args.bool(1, "break_long_words") ?? true
        let wrapstring = try call.args.string(2, "wrapstring") ?? "\n"
        let breakOnHyphens = try call.args.bool(3, "break_on_hyphens") ?? true
        guard width > 0 else { throw call.fail("invalid width \(width) (must be > 0)") }
        let lines = try PythonString.splitLines(s).map { line -> String in
            let chunks = textChunks(line)
            if breakOnHyphens, chunks.contains(where: { $0.contains("-") && !$0.allSatisfy({ $0 == "-" }) }) {
                throw call.fail("words with hyphens are split by Python's textwrap rules provision does not copy; pass break_on_hyphens=false")
            }
            return wrapChunks(chunks, width: width, breakLong: breakLong).joined(separator: wrapstring)
        }
        return .string(lines.joined(separator: wrapstring))
    }

    /// Words and runs of whitespace, in order.
    private static func textChunks(_ line: String) -> [String] {
        let whitespace: Set<Character> = ["\t", "\n", "\u{0B}", "\u{0C}", "\r", " "]
        var chunks: [String] = [], cur = ""
        var curIsSpace: Bool?
        for c in line {
            let isSpace = whitespace.contains(c)
            if curIsSpace != nil, curIsSpace != isSpace { chunks.append(cur); cur = "" }
            cur.append(c)
            curIsSpace = isSpace
        }
        if !cur.isEmpty { chunks.append(cur) }
        return chunks
    }

    /// `TextWrapper._wrap_chunks` with drop_whitespace and no indents.
    private static func wrapChunks(_ input: [String], width: Int, breakLong: Bool) -> [String] {
        func isBlank(_ s: String) -> Bool { s.allSatisfy { " \t\n\u{0B}\u{0C}\r".contains($0) } }
        var chunks = Array(input.reversed())
        var lines: [String] = []
        while !chunks.isEmpty {
            var cur: [String] = [], len = 0
            if let lastChunk = chunks.last, isBlank(lastChunk), !lines.isEmpty { chunks.removeLast() }
            while let next = chunks.last {
                if len + next.count <= width { cur.append(next); len += next.count; chunks.removeLast() } else { break }
            }
            if let next = chunks.last, next.count > width {
                let spaceLeft = width < 1 ? 1 : width - len
                if breakLong {
                    cur.append(String(next.prefix(spaceLeft)))
                    chunks[chunks.count - 1] = String(next.dropFirst(spaceLeft))
                } else if cur.isEmpty {
                    cur.append(next); chunks.removeLast()
                }
            }
            if let lastInLine = cur.last, isBlank(lastInLine) { cur.removeLast() }
            if !cur.isEmpty { lines.append(cur.joined()) }
        }
        return lines
    }
}
