import Foundation

/// A Python regular expression rewritten as a POSIX extended regular expression, for the
/// tools a module runs on the host (`grep -E`, `sed -E`, `awk`).
///
/// Every module that sends a playbook's regex to the host goes through this one translation,
/// so `\d`, `(?:…)`, `{,n}` or `(?i)` mean there what they mean to Ansible. What ERE cannot
/// express (lookarounds, backreferences, lazy quantifiers where they change the match, verbose
/// mode, matches across lines) is refused with an error naming the construct, never silently
/// changed.
struct POSIXExtendedRegex: Equatable {
    /// The ERE text.
    var pattern: String
    /// `(?i)` was given: run the tool case-insensitively (`grep -i`).
    var caseInsensitive: Bool

    /// What the caller does with the regex: a yes/no search (where `*?` finds a match exactly
    /// when `*` does) or something that uses the matched text (a substitution).
    enum Use { case search, substitution }

    /// Translates `python` (Python's `re` syntax) for a line-oriented tool.
    init(python: String, use: Use = .search) throws {
        var t = Translator(Array(python), original: python, use: use)
        try t.translate()
        pattern = t.out
        caseInsensitive = t.caseInsensitive
    }

    /// Builds the ERE directly (tests, fixed patterns).
    init(pattern: String, caseInsensitive: Bool = false) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
    }
}

private struct Translator {
    let s: [Character]
    let original: String
    let use: POSIXExtendedRegex.Use
    var i = 0
    var out = ""
    var caseInsensitive = false
    /// True right after something a quantifier can apply to.
    var quantifiable = false

    init(_ s: [Character], original: String, use: POSIXExtendedRegex.Use) {
        self.s = s
        self.original = original
        self.use = use
    }

    func fail(_ what: String) -> ModuleError {
        ModuleError("regular expression '\(original)' uses \(what), which the host's grep/sed (POSIX extended regular expressions) cannot express; rewrite it without")
    }

    static let specials: Set<Character> = [".", "[", "]", "(", ")", "*", "+", "?", "{", "}", "|", "^", "$", "\\"]

    /// A literal character as ERE text.
    static func literal(_ c: Character) -> String {
        if c == "\n" || c == "\r" { return String(c) }
        return specials.contains(c) ? "\\" + String(c) : String(c)
    }

    mutating func translate() throws {
        try leadingFlags()
        while i < s.count {
            let c = s[i]
            switch c {
            case "\\": try escape()
            case "[": try bracket()
            case "(": try group()
            case ")": out += ")"; i += 1; quantifiable = true
            case "*", "+", "?": i += 1; try quantifier(String(c))
            case "{":
                if let q = braceQuantifier() { try quantifier(q) } else { out += "\\{"; i += 1; quantifiable = true }
            case "}": out += "\\}"; i += 1; quantifiable = true
            case "|": out += "|"; i += 1; quantifiable = false
            case "^", "$": out.append(c); i += 1; quantifiable = false
            case "\n": throw fail("a newline (a match across lines)")
            default: out.append(c); i += 1; quantifiable = true
            }
        }
    }

    /// `(?imsx)` at the very start; other positions are handled in `group`.
    mutating func leadingFlags() throws {
        while i + 2 < s.count, s[i] == "(", s[i + 1] == "?", s[i + 2].isLetter {
            var j = i + 2
            var flags = ""
            while j < s.count, s[j].isLetter { flags.append(s[j]); j += 1 }
            guard j < s.count, s[j] == ")" else { return }
            try apply(flags)
            i = j + 1
        }
    }

    mutating func apply(_ flags: String) throws {
        for f in flags {
            switch f {
            case "i": caseInsensitive = true
            case "m", "s", "u", "a", "L": break // line-oriented tools: ^/$ already work per line
            case "x": throw fail("verbose mode (?x)")
            default: throw fail("the flag (?\(f))")
            }
        }
    }

    /// Emits quantifier `q`; `i` is already past it.
    mutating func quantifier(_ q: String) throws {
        guard quantifiable else {
            // Python refuses "nothing to repeat" too.
            throw ModuleError("invalid regular expression '\(original)': nothing to repeat before '\(q)'")
        }
        out += q
        if i < s.count, s[i] == "?" {
            // A yes/no search finds a match with the greedy form exactly when with the lazy one.
            if use == .substitution { throw fail("a lazy quantifier (\(q)?)") }
            i += 1
        } else if i < s.count, s[i] == "+" {
            throw fail("a possessive quantifier (\(q)+)")
        }
        quantifiable = false
    }

    /// `{n}`, `{n,}`, `{n,m}`, `{,m}` starting at `i`; advances past it. nil: a literal `{`.
    mutating func braceQuantifier() -> String? {
        var j = i + 1
        var lo = "", hi = "", comma = false
        while j < s.count, s[j] != "}" {
            if s[j] == "," { if comma { return nil }; comma = true } else if s[j].isASCII && s[j].isNumber {
                if comma { hi.append(s[j]) } else { lo.append(s[j]) }
            } else { return nil }
            j += 1
        }
        guard j < s.count, !(lo.isEmpty && hi.isEmpty) else { return nil }
        i = j + 1
        if !comma { return "{\(lo)}" }
        return "{\(lo.isEmpty ? "0" : lo),\(hi)}"
    }

    mutating func escape() throws {
        guard i + 1 < s.count else { throw ModuleError("invalid regular expression '\(original)': trailing backslash") }
        let e = s[i + 1]
        i += 2
        quantifiable = true
        switch e {
        case "d": out += "[0-9]"
        case "D": out += "[^0-9]"
        case "w": out += "[[:alnum:]_]"
        case "W": out += "[^[:alnum:]_]"
        case "s": out += "[[:space:]]"
        case "S": out += "[^[:space:]]"
        case "b", "B": out += "\\" + String(e); quantifiable = false // GNU and busybox grep both know these
        case "A": out += "^"; quantifiable = false
        case "Z", "z": out += "$"; quantifiable = false
        case "t": out += "\t"
        case "n", "r": throw fail("\\\(e) (a match across lines)")
        case "f", "v", "a": out += String(Self.control(e))
        case "x": out += Self.literal(try hexEscape(2))
        case "u": out += Self.literal(try hexEscape(4))
        case "0": out += Self.literal("\0")
        case "1"..."9": throw fail("a backreference (\\\(e))")
        case "g": throw fail("a named backreference (\\g)")
        default:
            if e.isLetter { throw ModuleError("invalid regular expression '\(original)': bad escape \\\(e)") }
            out += Self.literal(e)
        }
    }

    static func control(_ e: Character) -> Character {
        switch e {
        case "f": return "\u{0C}"
        case "v": return "\u{0B}"
        default: return "\u{07}"
        }
    }

    mutating func hexEscape(_ n: Int) throws -> Character {
        guard i + n <= s.count, let v = UInt32(String(s[i..<(i + n)]), radix: 16), let u = Unicode.Scalar(v) else {
            throw ModuleError("invalid regular expression '\(original)': bad hex escape")
        }
        i += n
        return Character(u)
    }

    mutating func group() throws {
        quantifiable = false
        guard i + 1 < s.count, s[i + 1] == "?" else { out += "("; i += 1; return }
        let rest = String(s[(i + 2)...])
        if rest.hasPrefix(":") { out += "("; i += 3; return }
        if rest.hasPrefix("P<") || (rest.hasPrefix("<") && !rest.hasPrefix("<=") && !rest.hasPrefix("<!")) {
            guard let close = s[i...].firstIndex(of: ">") else {
                throw ModuleError("invalid regular expression '\(original)': unterminated group name")
            }
            out += "("; i = close + 1; return
        }
        if rest.hasPrefix("=") || rest.hasPrefix("!") || rest.hasPrefix("<=") || rest.hasPrefix("<!") {
            throw fail("a lookahead or lookbehind (?\(rest.prefix(rest.hasPrefix("<") ? 2 : 1))…)")
        }
        if rest.hasPrefix("P=") { throw fail("a named backreference (?P=…)") }
        if rest.hasPrefix(">") { throw fail("an atomic group (?>…)") }
        if rest.hasPrefix("(") { throw fail("a conditional group (?(…)…)") }
        if rest.hasPrefix("#") {
            guard let close = s[i...].firstIndex(of: ")") else {
                throw ModuleError("invalid regular expression '\(original)': unterminated comment")
            }
            i = close + 1; quantifiable = true; return
        }
        throw fail("inline flags in the middle of the expression (?\(rest.prefix(3))…)")
    }

    /// A `[...]` class: Python's escapes inside it become POSIX classes or literals, and the
    /// members are laid out so `]`, `^` and `-` keep their literal meaning in POSIX brackets.
    mutating func bracket() throws {
        var j = i + 1
        var negated = false
        if j < s.count, s[j] == "^" { negated = true; j += 1 }
        var items: [String] = []
        var hasClose = false, hasDash = false, hasCaret = false
        var first = true
        func add(_ c: Character) {
            switch c {
            case "]": hasClose = true
            case "-": hasDash = true
            case "^": hasCaret = true
            default: items.append(String(c))
            }
        }
        func member(at k: inout Int) throws -> (Character?, String?) {
            // (literal char, or a class text such as "[:digit:]")
            let c = s[k]
            if c == "\\" {
                guard k + 1 < s.count else { throw ModuleError("invalid regular expression '\(original)': unterminated [") }
                let e = s[k + 1]
                k += 2
                switch e {
                case "d": return (nil, "0-9")
                case "w": return (nil, "[:alnum:]_")
                case "s": return (nil, "[:space:]")
                case "D", "W", "S": throw fail("a negated class \\\(e) inside [...]")
                case "t": return ("\t", nil)
                case "n", "r": throw fail("\\\(e) inside [...] (a match across lines)")
                case "x": i = k; let ch = try hexEscape(2); k = i; return (ch, nil)
                case "u": i = k; let ch = try hexEscape(4); k = i; return (ch, nil)
                default:
                    if e.isLetter || e.isNumber { throw ModuleError("invalid regular expression '\(original)': bad escape \\\(e) in [...]") }
                    return (e, nil)
                }
            }
            if c == "[", k + 1 < s.count, [":", ".", "="].contains(s[k + 1]) {
                // Python reads "[:" as two literal characters; POSIX as the start of a class name.
                throw fail("'[\(s[k + 1])' inside [...] (Python reads it literally, POSIX as a class name)")
            }
            k += 1
            return (c, nil)
        }
        while true {
            guard j < s.count else { throw ModuleError("invalid regular expression '\(original)': unterminated [") }
            if s[j] == "]" && !first { break }
            first = false
            let (c, cls) = try member(at: &j)
            if let cls { items.append(cls); continue }
            guard let lo = c else { continue }
            // A range a-b (a '-' before ']' is literal).
            if j + 1 < s.count, s[j] == "-", s[j + 1] != "]" {
                var k = j + 1
                let (hc, hcls) = try member(at: &k)
                guard let hi = hc, hcls == nil else { throw fail("a range ending in a class inside [...]") }
                guard lo <= hi else { throw ModuleError("invalid regular expression '\(original)': bad range \(lo)-\(hi)") }
                if lo == "]" || hi == "]" || lo == "^" || lo == "-" || hi == "-" {
                    throw fail("a range starting or ending with ], ^ or - inside [...]")
                }
                items.append("\(lo)-\(hi)")
                j = k
                continue
            }
            add(lo)
        }
        i = j + 1
        if !negated && !hasClose && items.isEmpty && hasCaret {
            // A caret first would negate: "[-^]" when there is a dash, else just a literal ^.
            out += hasDash ? "[-^]" : "\\^"
            quantifiable = true
            return
        }
        var text = "["
        if negated { text += "^" }
        if hasClose { text += "]" }
        text += items.joined()
        if hasCaret { text += "^" }
        if hasDash { text += "-" }
        text += "]"
        out += text
        quantifiable = true
    }
}
