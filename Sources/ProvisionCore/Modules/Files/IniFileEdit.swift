import Foundation

/// community.general's `ini_file` edit as a pure function of the file's lines: the same
/// section search, option matching (`[#;]? option =`), exclusive handling, insertion point
/// (after the section's last non-blank, non-comment line) and messages, so files come out
/// byte for byte as Ansible writes them (a new file starts with an empty line, as there).
struct IniFileEdit {
    var section: String?
    var option: String?
    var values: [String]
    var present: Bool
    var exclusive: Bool
    var noExtraSpaces: Bool
    var allowNoValue: Bool

    struct Outcome: Equatable {
        var lines: [String]
        var changed: Bool
        var message: String
    }

    private static let fakeSection = "ad01e11446efb704fcdbdb21f2c43757423d91c5"

    private func match(_ line: String, commented: Bool) -> String? {
        guard let option else { return nil }
        let pattern = (commented ? "[#;]?" : "") + "( |\\t)*(" + NSRegularExpression.escapedPattern(for: option)
            + ")( |\\t)*(=|$)( |\\t)*(.*)"
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: line, options: .anchored, range: NSRange(line.startIndex..., in: line)),
              let r = Range(m.range(at: 6), in: line) else { return nil }
        return String(line[r])
    }

    func apply(_ original: [String]) -> Outcome {
        var lines = original
        var values: [String] = []
        for v in self.values where !values.contains(v) { values.append(v) }
        var changed = false
        if lines.isEmpty { lines.append("\n") }
        if let last = lines.last, last.isEmpty || !last.hasSuffix("\n") {
            lines[lines.count - 1] += "\n"
            changed = true
        }
        lines.insert("[\(Self.fakeSection)]", at: 0)
        lines.append("[")
        let section = (self.section?.isEmpty ?? true) ? Self.fakeSection : self.section ?? Self.fakeSection
        var within = false
        var start = 0, end = 0
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("[\(section)]") { within = true; start = i }
            else if line.hasPrefix("["), within { end = i; break }
        }
        let before = Array(lines[0..<start])
        var sect = Array(lines[start..<end])
        let after = Array(lines[end...])
        var marks = [Bool](repeating: false, count: sect.count)
        var message = "OK"
        let format: (String, String) -> String = { o, v in noExtraSpaces ? "\(o)=\(v)\n" : "\(o) = \(v)\n" }
        var noValuePresent = false
        func update(_ i: Int, _ newline: String) {
            if sect[i] != newline { changed = true; message = "option changed" }
            sect[i] = newline
            marks[i] = true
        }
        if present, let option {
            for i in sect.indices {
                guard let v = match(sect[i], commented: true) else { continue }
                if !values.isEmpty, values.contains(v) {
                    if v.isEmpty && allowNoValue { update(i, "\(option)\n"); noValuePresent = true }
                    else { update(i, format(option, v)) }
                    values.removeAll { $0 == v }
                } else if values.isEmpty && allowNoValue {
                    update(i, "\(option)\n")
                    noValuePresent = true
                    break
                }
            }
        }
        if present && exclusive && !allowNoValue {
            if !values.isEmpty {
                for i in sect.indices where !marks[i] && match(sect[i], commented: true) != nil {
                    update(i, format(option ?? "", values.removeFirst()))
                    if values.isEmpty { break }
                }
            }
            var i = sect.count - 1
            while i > 0 {
                if !marks[i] && match(sect[i], commented: true) != nil {
                    sect.remove(at: i)
                    marks.remove(at: i)
                    changed = true
                    message = "option changed"
                }
                i -= 1
            }
        }
        if present {
            var i = sect.count
            while i > 0 {
                let line = sect[i - 1]
                let blankOrComment = line.range(of: #"^[ \t]*([#;].*)?$"#, options: .regularExpression) != nil
                if !blankOrComment {
                    if let option, !values.isEmpty {
                        for v in values.reversed() { sect.insert(format(option, v), at: i) }
                        message = "option added"
                        changed = true
                    } else if let option, values.isEmpty, allowNoValue, !noValuePresent {
                        sect.insert("\(option)\n", at: i)
                        message = "option added"
                        changed = true
                    }
                    break
                }
                i -= 1
            }
        } else if option != nil {
            let kept: [String]
            if exclusive {
                kept = sect.filter { match($0, commented: false) == nil }
            } else if !values.isEmpty {
                kept = sect.filter { line in match(line, commented: false).map { !values.contains($0) } ?? true }
            } else {
                kept = sect
            }
            if kept != sect { changed = true; message = "option changed"; sect = kept }
        } else if !sect.isEmpty {
            sect = []
            message = "section removed"
            changed = true
        }
        var result = before + sect + after
        result.removeFirst()
        result.removeLast()
        if !within && present {
            result.append("[\(section)]\n")
            message = "section and option added"
            if let option, !values.isEmpty {
                for v in values { result.append(format(option, v)) }
            } else if let option, allowNoValue {
                result.append("\(option)\n")
            } else {
                message = "only section added"
            }
            changed = true
        }
        return Outcome(lines: result, changed: changed, message: message)
    }
}
