/// Unified diff text (`diff -u` style) of a `FileDiff`, what `--diff` shows for a content change.
///
/// Headers read `--- before: PATH` / `+++ after: PATH` as Ansible prints them; a last line
/// without a newline is followed by `\ No newline at end of file`, so a change that only adds
/// the final newline is still visible. Equal texts render as the empty string.
public enum UnifiedDiff {
    public static func render(_ diff: FileDiff, context: Int = 3) -> String {
        render(before: diff.before, after: diff.after, beforeLabel: "before: \(diff.path)",
               afterLabel: "after: \(diff.path)", context: context)
    }

    public static func render(before: String, after: String, beforeLabel: String, afterLabel: String,
                              context: Int = 3) -> String {
        if before == after { return "" }
        let a = splitLines(before), b = splitLines(after)
        let ops = LineDiff.ops(a.keys, b.keys)
        var out = "--- \(beforeLabel)\n+++ \(afterLabel)\n"
        for hunk in hunks(ops, context: context) {
            out += header(hunk, ops)
            for op in ops[hunk] {
                switch op {
                case .equal(let i, _): out += line(" ", a, i)
                case .delete(let i): out += line("-", a, i)
                case .insert(let j): out += line("+", b, j)
                }
            }
        }
        return out
    }

    /// Lines without their terminators, and whether the text ended with one.
    struct Lines {
        var lines: [String]
        var endsWithNewline: Bool
        /// What is compared: the lines, the last one marked when it has no newline, so adding
        /// or removing the final newline is a change.
        var keys: [String] {
            guard !endsWithNewline, let last = lines.last else { return lines }
            return lines.dropLast() + [last + "\u{0}no-newline"]
        }
    }

    static func splitLines(_ s: String) -> Lines {
        if s.isEmpty { return Lines(lines: [], endsWithNewline: true) }
        var parts = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ends = s.hasSuffix("\n")
        if ends { parts.removeLast() }
        return Lines(lines: parts, endsWithNewline: ends)
    }

    private static func line(_ sign: String, _ text: Lines, _ i: Int) -> String {
        var s = sign + text.lines[i] + "\n"
        if i == text.lines.count - 1, !text.endsWithNewline { s += "\\ No newline at end of file\n" }
        return s
    }

    /// Ranges of `ops` to print: every change with up to `context` equal lines around it,
    /// merged when their contexts touch.
    static func hunks(_ ops: [LineDiff.Op], context: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = 0
        while i < ops.count {
            if case .equal = ops[i] { i += 1; continue }
            var end = i
            while end < ops.count, !isEqual(ops[end]) { end += 1 }
            let lo = max(0, i - context), hi = min(ops.count, end + context)
            if let last = ranges.last, last.upperBound >= lo {
                ranges[ranges.count - 1] = last.lowerBound..<hi
            } else {
                ranges.append(lo..<hi)
            }
            i = end
        }
        return ranges
    }

    private static func isEqual(_ op: LineDiff.Op) -> Bool {
        if case .equal = op { return true }
        return false
    }

    private static func header(_ hunk: Range<Int>, _ ops: [LineDiff.Op]) -> String {
        var aStart: Int?, bStart: Int?, aCount = 0, bCount = 0
        // Lines before the hunk, for the start position of an empty side.
        var aBefore = 0, bBefore = 0
        for op in ops[..<hunk.lowerBound] {
            switch op {
            case .equal: aBefore += 1; bBefore += 1
            case .delete: aBefore += 1
            case .insert: bBefore += 1
            }
        }
        for op in ops[hunk] {
            switch op {
            case .equal(let i, let j):
                aStart = aStart ?? i; bStart = bStart ?? j; aCount += 1; bCount += 1
            case .delete(let i): aStart = aStart ?? i; aCount += 1
            case .insert(let j): bStart = bStart ?? j; bCount += 1
            }
        }
        // diff -u numbers an empty side by the line before it (0 at the top of the file).
        let aPos = aCount == 0 ? aBefore : (aStart ?? 0) + 1
        let bPos = bCount == 0 ? bBefore : (bStart ?? 0) + 1
        return "@@ -\(range(aPos, aCount)) +\(range(bPos, bCount)) @@\n"
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(start),\(count)"
    }
}
