/// POSIX-shell-like word splitting for free-form module arguments (Python's `shlex.split`).
enum ShellWords {
    struct Word {
        /// The word as written, quotes included (to rebuild a shell line unchanged).
        var raw: String
        /// The word with quotes and escapes removed (an argv element).
        var value: String
    }

    static func split(_ s: String) throws -> [String] { try words(s).map(\.value) }

    static func words(_ s: String) throws -> [Word] {
        var out: [Word] = []
        var raw = "", value = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in s {
            if escaped {
                // Inside double quotes a backslash escapes only " and \ (shlex's POSIX mode).
                if quote == "\"" && c != "\"" && c != "\\" { value.append("\\") }
                raw.append(c); value.append(c); escaped = false; inWord = true
                continue
            }
            if let q = quote {
                raw.append(c)
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { value.append(c) }
                continue
            }
            switch c {
            case "\\": raw.append(c); escaped = true; inWord = true
            case "'", "\"": raw.append(c); quote = c; inWord = true
            case " ", "\t", "\n":
                if inWord { out.append(Word(raw: raw, value: value)); raw = ""; value = ""; inWord = false }
            default: raw.append(c); value.append(c); inWord = true
            }
        }
        if quote != nil { throw ModuleError("unbalanced quote in '\(s)'") }
        if escaped { value.append("\\") }
        if inWord { out.append(Word(raw: raw, value: value)) }
        return out
    }

    /// Splits Ansible's `key=value` options off a free-form command (`creates=/x ls`): only
    /// the given keys are taken; everything else stays part of the command, as written.
    static func extractOptions(_ s: String, keys: Set<String>) throws -> (command: String, options: [String: String]) {
        var options: [String: String] = [:]
        var rest: [String] = []
        for w in try words(s) {
            if let eq = w.value.firstIndex(of: "="), keys.contains(String(w.value[..<eq])),
               !w.raw.hasPrefix("'"), !w.raw.hasPrefix("\"") {
                options[String(w.value[..<eq])] = String(w.value[w.value.index(after: eq)...])
            } else {
                rest.append(w.raw)
            }
        }
        // Keep the command text as written when no option was taken out (spacing, newlines).
        if options.isEmpty { return (s, options) }
        return (rest.joined(separator: " "), options)
    }

    /// A glob pattern as a shell word: literal parts quoted, `*` and `?` left to the shell.
    /// Brackets are quoted too (taken literally), which Ansible's creates= rarely needs.
    static func quoteGlob(_ pattern: String) -> String {
        var out = ""
        var literal = ""
        for c in pattern {
            if c == "*" || c == "?" {
                if !literal.isEmpty { out += Shell.quote(literal); literal = "" }
                out.append(c)
            } else {
                literal.append(c)
            }
        }
        if !literal.isEmpty { out += Shell.quote(literal) }
        return out
    }
}

extension ShellWords {
    /// One argv element as a shell word that expands `$NAME`, `${NAME}` and a leading `~` on
    /// the host and nothing else (no globbing, no splitting), as Ansible's command module does
    /// (Python's `expandvars`/`expanduser`): a variable that is not set stays as written.
    static func expandingWord(_ arg: String) -> String {
        var out = ""
        var rest = Substring(arg)
        if rest == "~" { return "~" }
        if rest.hasPrefix("~/") { out = "~/"; rest = rest.dropFirst(2) }
        var literal = ""
        func flush() { if !literal.isEmpty { out += Shell.quote(literal); literal = "" } }
        func isStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
        func isBody(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) }
        var i = rest.startIndex
        while i < rest.endIndex {
            let c = rest[i]
            let next = rest.index(after: i)
            if c == "$", next < rest.endIndex {
                if isStart(rest[next]) {
                    var end = next
                    while end < rest.endIndex, isBody(rest[end]) { end = rest.index(after: end) }
                    let name = String(rest[next..<end])
                    flush()
                    out += "\"${\(name)-\\$\(name)}\""
                    i = end
                    continue
                }
                if rest[next] == "{", let close = rest[next...].firstIndex(of: "}") {
                    let name = String(rest[rest.index(after: next)..<close])
                    if let first = name.first, isStart(first), name.allSatisfy(isBody) {
                        flush()
                        out += "\"${\(name)-\\${\(name)\\}}\""
                        i = rest.index(after: close)
                        continue
                    }
                }
            }
            literal.append(c)
            i = next
        }
        flush()
        return out.isEmpty ? "''" : out
    }
}
