import Foundation

/// The text edit `blockinfile` makes, with Ansible's semantics, as a pure function.
///
/// The block sits between two marker lines (`marker` with `{mark}` replaced by `marker_begin`
/// and `marker_end`). When both markers are found, the block between them (markers included) is
/// replaced in place; otherwise it is inserted after the LAST line matching `insertafter`, or
/// before the last matching `insertbefore`, at BOF, or at EOF (also when the anchor matches
/// nothing). An empty block, or state=absent, removes the markers and what they enclose.
struct BlockInFileEdit {
    var block: String
    var marker = "# {mark} ANSIBLE MANAGED BLOCK"
    var markerBegin = "BEGIN"
    var markerEnd = "END"
    /// nil, "EOF" or a regex.
    var insertAfter: String?
    /// nil, "BOF" or a regex.
    var insertBefore: String?
    var present = true
    var appendNewline = false
    var prependNewline = false

    struct Result: Equatable {
        var text: String
        var changed: Bool
        var message: String
    }

    /// `original` nil: the file does not exist.
    func apply(_ original: String?) throws -> Result {
        var lines = LineInFileEdit.lines(original ?? "")
        var insertAfter = insertAfter
        if insertAfter == nil && insertBefore == nil { insertAfter = "EOF" }
        let anchorPattern: String? = {
            if let a = insertAfter, a != "EOF" { return a }
            if let b = insertBefore, b != "BOF" { return b }
            return nil
        }()
        let anchor = try anchorPattern.map(PythonRegex.init)

        let begin = marker.replacingOccurrences(of: "{mark}", with: markerBegin) + "\n"
        let end = marker.replacingOccurrences(of: "{mark}", with: markerEnd) + "\n"
        var blockLines: [String] = []
        if present && !block.isEmpty {
            var b = block
            if !b.hasSuffix("\n") { b += "\n" }
            blockLines = [begin] + LineInFileEdit.lines(b) + [end]
        }

        var n0: Int?, n1: Int?
        for (i, l) in lines.enumerated() {
            if l == begin { n0 = i }
            if l == end { n1 = i }
        }
        var at: Int
        if let b = n0, let e = n1 {
            if b < e { lines.removeSubrange(b...e); at = b } else { lines.removeSubrange(e...b); at = e }
        } else if let anchor {
            var found: Int?
            if anchor.isMultiline, let text = original, let m = anchor.search(text), let r = Range(m.range, in: text) {
                let upTo = insertAfter != nil ? r.upperBound : r.lowerBound
                found = text[..<upTo].filter { $0 == "\n" || $0 == "\r\n" }.count
            } else if !anchor.isMultiline {
                for (i, l) in lines.enumerated() where anchor.search(l) != nil { found = i }
            }
            if let f = found { at = insertAfter != nil ? f + 1 : f } else { at = lines.count }
        } else if insertBefore != nil {
            at = 0
        } else {
            at = lines.count
        }
        at = min(at, lines.count)
        if at > 0, let last = lines[at - 1].last, last != "\n", last != "\r\n" { lines[at - 1] += "\n" }
        if prependNewline && present, at != 0, lines[at - 1] != "\n" {
            lines.insert("\n", at: at)
            at += 1
        }
        lines.insert(contentsOf: blockLines, at: at)
        if appendNewline && present {
            let after = at + blockLines.count
            if after < lines.count, lines[after] != "\n" { lines.insert("\n", at: after) }
        }
        let result = lines.joined()
        if let original, original == result { return Result(text: result, changed: false, message: "") }
        if original == nil { return Result(text: result, changed: true, message: "File created") }
        return Result(text: result, changed: true, message: blockLines.isEmpty ? "Block removed" : "Block inserted")
    }
}
