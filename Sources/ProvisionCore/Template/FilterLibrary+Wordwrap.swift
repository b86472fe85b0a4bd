import Foundation

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
            let chunks = breakOnHyphens ? hyphenatedChunks(line) : textChunks(line)
            return wrapChunks(chunks, width: width, breakLong: breakLong, breakOnHyphens: breakOnHyphens).joined(separator: wrapstring)
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

    /// textwrap's `wordsep_re`: whitespace runs, em-dashes (`--`) between words, and words
    /// split after a hyphen that has two letters on its left (`well-` `known`) and a letter on
    /// its right.
    private static let wordSeparator: NSRegularExpression = {
        let ws = "[\\t\\n\\x0b\\x0c\\r ]", nws = "[^\\t\\n\\x0b\\x0c\\r ]"
        let wp = "[\\w!\"'&.,?]", lt = "[^\\d\\W]"
        let pattern = "(\(ws)+|(?<=\(wp))-{2,}(?=\\w)|\(nws)+?(?:-(?:(?<=\(lt){2}-)|(?<=\(lt)-\(lt)-))(?=\(lt)-?\(lt))"
            + "|(?=\(ws)|\\z)|(?<=\(wp))(?=-{2,}\\w)))"
        return try! NSRegularExpression(pattern: pattern)
    }()

    /// `wordsep_re.split(text)` without the empty strings: the matches and any text between.
    private static func hyphenatedChunks(_ line: String) -> [String] {
        let ns = line as NSString
        var chunks: [String] = [], last = 0
        for m in wordSeparator.matches(in: line, range: NSRange(location: 0, length: ns.length)) where m.range.length > 0 {
            if m.range.location > last { chunks.append(ns.substring(with: NSRange(location: last, length: m.range.location - last))) }
            chunks.append(ns.substring(with: m.range))
            last = m.range.location + m.range.length
        }
        if last < ns.length { chunks.append(ns.substring(from: last)) }
        return chunks
    }

    /// `TextWrapper._wrap_chunks` with drop_whitespace and no indents.
    private static func wrapChunks(_ input: [String], width: Int, breakLong: Bool, breakOnHyphens: Bool) -> [String] {
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
                    // A long word breaks after its last hyphen that fits, when letters precede it.
                    var end = spaceLeft
                    if breakOnHyphens, next.count > spaceLeft,
                       let hyphen = next.prefix(spaceLeft).lastIndex(of: "-").map({ next.distance(from: next.startIndex, to: $0) }),
                       hyphen > 0, next.prefix(hyphen).contains(where: { $0 != "-" }) {
                        end = hyphen + 1
                    }
                    cur.append(String(next.prefix(end)))
                    chunks[chunks.count - 1] = String(next.dropFirst(end))
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
