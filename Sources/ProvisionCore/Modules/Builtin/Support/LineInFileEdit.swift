import Foundation

/// The text edit `lineinfile` makes, with Ansible's semantics, as a pure function of the file's
/// lines (each with its terminator).
///
/// present: the LAST line matching `regexp` (or containing `search_string`) is replaced by
/// `line` (the first with `firstmatch`); with no such match, the line is left alone if an
/// identical line exists, else inserted after the last line matching `insertafter` (or before
/// the last matching `insertbefore`; the first with `firstmatch`), at BOF/EOF, or at the end
/// when the anchor matches nothing. `backrefs` with no match changes nothing.
/// absent: every matching line is removed.
struct LineInFileEdit {
    var line: String?
    var regexp: PythonRegex?
    var searchString: String?
    /// nil, "EOF", "BOF" or a regex.
    var insertAfter: String?
    /// nil, "BOF" or a regex.
    var insertBefore: String?
    var backrefs = false
    var firstMatch = false

    struct Result: Equatable {
        var lines: [String]
        var changed: Bool
        var message: String
        var found = 0
    }

    /// `text` split after each `\n`, keeping the terminators (Python's `readlines`).
    static func lines(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for c in text {
            current.append(c)
            // "\r\n" is one Character in Swift.
            if c == "\n" || c == "\r\n" { out.append(current); current = "" }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func stripEOL(_ s: String) -> String {
        var t = Substring(s)
        while let last = t.last, last == "\n" || last == "\r" || last == "\r\n" { t = t.dropLast() }
        return String(t)
    }

    private static func endsWithEOL(_ s: String) -> Bool {
        guard let last = s.last else { return false }
        return last == "\n" || last == "\r" || last == "\r\n"
    }

    func present(_ original: [String]) throws -> Result {
        guard let line else { throw ModuleError("'line' is required with state=present") }
        var lines = original
        var insertAfter = insertAfter
        if insertAfter == nil && insertBefore == nil { insertAfter = "EOF" }
        let anchorPattern: String? = {
            if let a = insertAfter, a != "BOF", a != "EOF" { return a }
            if let b = insertBefore, b != "BOF" { return b }
            return nil
        }()
        let anchor = try anchorPattern.map(PythonRegex.init)

        var matchIndex = -1
        var insertIndex = -1
        var match: (NSTextCheckingResult, String)?
        var searchMatched = false
        var exactLineMatch = false

        if let regexp {
            for (i, cur) in lines.enumerated() {
                if let m = regexp.search(cur) {
                    matchIndex = i
                    match = (m, cur)
                    if firstMatch { break }
                }
            }
        }
        if let searchString {
            for (i, cur) in lines.enumerated() where cur.contains(searchString) {
                matchIndex = i
                searchMatched = true
                if firstMatch { break }
            }
        }
        if match == nil && !searchMatched {
            for (i, cur) in lines.enumerated() {
                if Self.stripEOL(cur) == line {
                    matchIndex = i
                    exactLineMatch = true
                } else if let anchor, anchor.search(cur) != nil {
                    if insertAfter != nil { insertIndex = i + 1; if firstMatch { break } }
                    if insertBefore != nil { insertIndex = i; if firstMatch { break } }
                }
            }
        }

        func added() -> Result { Result(lines: lines, changed: true, message: "line added") }
        let unchanged = Result(lines: lines, changed: false, message: "")

        if matchIndex != -1 {
            var newLine = line
            if backrefs, let (m, text) = match, let regexp { newLine = regexp.expand(line, match: m, in: text) }
            if !Self.endsWithEOL(newLine) { newLine += "\n" }
            if regexp == nil && searchString == nil && !exactLineMatch {
                return unchanged
            }
            if lines[matchIndex] != newLine {
                lines[matchIndex] = newLine
                return Result(lines: lines, changed: true, message: "line replaced")
            }
            return unchanged
        }
        if backrefs { return unchanged }
        if insertBefore == "BOF" || insertAfter == "BOF" {
            lines.insert(line + "\n", at: 0)
            return added()
        }
        if insertAfter == "EOF" || insertIndex == -1 {
            if let last = lines.last, !Self.endsWithEOL(last) { lines[lines.count - 1] = last + "\n" }
            lines.append(line + "\n")
            return added()
        }
        if insertAfter != nil {
            if lines.count == insertIndex {
                if let last = lines.last, !Self.endsWithEOL(last) { lines[lines.count - 1] = last + "\n" }
                if Self.stripEOL(lines[insertIndex - 1]) == line { return unchanged }
                lines.append(line + "\n")
                return added()
            }
            if Self.stripEOL(lines[insertIndex]) == line { return unchanged }
            lines.insert(line + "\n", at: insertIndex)
            return added()
        }
        // insertbefore matched a line.
        lines.insert(line + "\n", at: insertIndex)
        return added()
    }

    func absent(_ original: [String]) -> Result {
        var kept: [String] = []
        var found = 0
        for cur in original {
            let hit: Bool
            if let regexp { hit = regexp.search(cur) != nil }
            else if let searchString { hit = cur.contains(searchString) }
            else { hit = Self.stripEOL(cur) == (line ?? "") }
            if hit { found += 1 } else { kept.append(cur) }
        }
        return Result(lines: kept, changed: found > 0, message: found > 0 ? "\(found) line(s) removed" : "",
                      found: found)
    }
}
