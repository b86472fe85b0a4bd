/// Ansible's `_escape_backslashes`: before Jinja reads a task argument or variable (not a
/// template file), every backslash inside a string literal within `{{ … }}` is doubled, so
/// `"{{ x | regex_replace('\\d', '') }}"` passes `\\d` on (a literal backslash) and
/// `'a\tb'` is four characters. Statements (`{% %}`) and text are left alone.
enum BackslashEscaping {
    static func apply(_ text: String) -> String {
        guard text.contains("\\"), text.contains("{{") else { return text }
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        var inVariable = false
        while i < s.count {
            let c = s[i]
            if !inVariable {
                if c == "{", i + 1 < s.count, s[i + 1] == "{" { inVariable = true; out.append(c); out.append(s[i + 1]); i += 2; continue }
                if c == "{", i + 1 < s.count, s[i + 1] == "%" || s[i + 1] == "#" {
                    // Skip the statement or comment to its end, as Jinja's lexer would.
                    let close: Unicode.Scalar = s[i + 1] == "%" ? "%" : "#"
                    out.append(c); out.append(s[i + 1]); i += 2
                    while i < s.count, !(s[i] == close && i + 1 < s.count && s[i + 1] == "}") {
                        if s[i] == "'" || s[i] == "\"" { i = copyString(s, from: i, into: &out, double: false); continue }
                        out.append(s[i]); i += 1
                    }
                    continue
                }
                out.append(c); i += 1
                continue
            }
            if c == "}", i + 1 < s.count, s[i + 1] == "}" { inVariable = false; out.append(c); out.append(s[i + 1]); i += 2; continue }
            if c == "'" || c == "\"" { i = copyString(s, from: i, into: &out, double: true); continue }
            out.append(c); i += 1
        }
        return String(out)
    }

    /// Copies a Jinja string token (`'…'` with `\`-escapes) starting at `start`; returns the
    /// index after it. An unterminated quote is copied as a lone character.
    private static func copyString(_ s: [Unicode.Scalar], from start: Int, into out: inout String.UnicodeScalarView,
                                   double: Bool) -> Int {
        let quote = s[start]
        var j = start + 1
        while j < s.count, s[j] != quote {
            if s[j] == "\\" { j += 1 }
            j += 1
        }
        guard j < s.count else { out.append(quote); return start + 1 }
        for k in start...j {
            out.append(s[k])
            if double, s[k] == "\\" { out.append("\\") }
        }
        return j + 1
    }
}
