import Foundation

/// Python's `str.format` (`'{}-{}'.format(a, b)`, `'{0:>5}'`, `'{name:02d}'`): fields by
/// position, index or keyword, `[key]` lookups, `!s`/`!r`, and the format-spec mini-language
/// for strings, ints and floats. Nested fields and attribute access are refused.
enum PythonStrFormat {
    static func format(_ pattern: String, positional: [Value], keyword: [String: Value], at offset: Int) throws -> String {
        func fail(_ m: String) -> TemplateError { TemplateError.evaluation("str.format(): \(m)", at: offset) }
        let chars = Array(pattern)
        var out = ""
        var i = 0
        var auto = 0
        while i < chars.count {
            let c = chars[i]
            if c == "}" {
                guard i + 1 < chars.count, chars[i + 1] == "}" else { throw fail("Single '}' encountered in format string") }
                out.append("}"); i += 2; continue
            }
            guard c == "{" else { out.append(c); i += 1; continue }
            if i + 1 < chars.count, chars[i + 1] == "{" { out.append("{"); i += 2; continue }
            guard let close = chars[(i + 1)...].firstIndex(of: "}") else { throw fail("Single '{' encountered in format string") }
            let field = String(chars[(i + 1)..<close])
            i = close + 1
            if field.contains("{") { throw fail("nested format fields are not supported") }
            var head = field, spec = "", conversion: Character?
            if let colon = head.firstIndex(of: ":") { spec = String(head[head.index(after: colon)...]); head = String(head[..<colon]) }
            if let bang = head.firstIndex(of: "!") {
                let conv = head[head.index(after: bang)...]
                guard conv.count == 1, let cv = conv.first, cv == "s" || cv == "r" else { throw fail("unsupported conversion '!\(conv)'") }
                conversion = cv
                head = String(head[..<bang])
            }
            // The argument name, then `[key]` parts.
            var name = head, keys: [String] = []
            if let bracket = head.firstIndex(of: "[") {
                name = String(head[..<bracket])
                var rest = head[bracket...]
                while rest.first == "[" {
                    guard let end = rest.firstIndex(of: "]") else { throw fail("Missing ']' in format string") }
                    keys.append(String(rest[rest.index(after: rest.startIndex)..<end]))
                    rest = rest[rest.index(after: end)...]
                }
                if !rest.isEmpty { throw fail("only '[key]' is supported after a field name") }
            }
            if name.contains(".") { throw fail("attribute access in a field ('\(name)') is not supported") }
            var value: Value
            if name.isEmpty {
                guard auto < positional.count else { throw fail("Replacement index \(auto) out of range for positional args tuple") }
                value = positional[auto]; auto += 1
            } else if let n = Int(name) {
                guard n < positional.count else { throw fail("Replacement index \(n) out of range for positional args tuple") }
                value = positional[n]
            } else {
                guard let v = keyword[name] else { throw fail("KeyError: '\(name)'") }
                value = v
            }
            for k in keys {
                switch value {
                case .list(let l):
                    guard let n = Int(k), l.indices.contains(n) else { throw fail("list index out of range") }
                    value = l[n]
                case .dict(let d):
                    guard let v = d[k] else { throw fail("KeyError: '\(k)'") }
                    value = v
                default: throw fail("'\(value.typeName)' object is not subscriptable")
                }
            }
            if let conversion { value = .string(conversion == "r" ? PythonRepr.repr(value) : PythonRepr.str(value)) }
            out += try formatValue(value, spec: spec, fail: fail)
        }
        return out
    }

    /// Python's `format(value, spec)`.
    static func formatValue(_ value: Value, spec: String, fail: (String) -> TemplateError) throws -> String {
        if spec.isEmpty { return PythonRepr.str(value) }
        do { try PythonString.checkSpecNumbers(spec) } catch let e as TemplateError { throw fail(e.message) }
        var s = Array(spec)
        var fill: Character = " ", align: Character?
        if s.count >= 2, "<>^=".contains(s[1]) { fill = s[0]; align = s[1]; s.removeFirst(2) }
        else if let f = s.first, "<>^=".contains(f) { align = f; s.removeFirst() }
        var sign: Character = "-"
        if let f = s.first, "+- ".contains(f) { sign = f; s.removeFirst() }
        var alternate = false
        if s.first == "#" { alternate = true; s.removeFirst() }
        if s.first == "0" {
            s.removeFirst()
            if align == nil { fill = "0"; align = "=" }
        }
        var widthText = ""
        while let f = s.first, f.isASCII, f.isNumber { widthText.append(f); s.removeFirst() }
        var grouping: Character?
        if let f = s.first, f == "," || f == "_" { grouping = f; s.removeFirst() }
        var precision: Int?
        if s.first == "." {
            s.removeFirst()
            var p = ""
            while let f = s.first, f.isASCII, f.isNumber { p.append(f); s.removeFirst() }
            guard let n = Int(p) else { throw fail("Format specifier missing precision") }
            precision = n
        }
        let type: Character? = s.first
        if s.count > 1 { throw fail("Invalid format specifier '\(spec)'") }
        let width = Int(widthText) ?? 0

        var body: String
        var negative = false
        var prefix = ""
        switch value {
        case .string(let str):
            guard type == nil || type == "s" else { throw fail("Unknown format code '\(type!)' for object of type 'str'") }
            guard sign == "-", !alternate, grouping == nil, align != "=" else { throw fail("Invalid format specifier '\(spec)' for object of type 'str'") }
            body = precision.map { PythonString.string(str.unicodeScalars.prefix($0)) } ?? str
            return pad(body, fill: fill, align: align ?? "<", width: width)
        case .int, .bool:
            var n = 0
            if case .int(let i) = value { n = i } else if case .bool(let b) = value { n = b ? 1 : 0 }
            if type == nil, case .bool(let b) = value {
                return pad(b ? "True" : "False", fill: fill, align: align ?? "<", width: width)
            }
            switch type {
            case nil, "d", "n":
                guard precision == nil else { throw fail("Precision not allowed in integer format specifier") }
                negative = n < 0
                body = String(n.magnitude)
                if let grouping { body = group(body, grouping) }
            case "x", "X", "o", "b":
                negative = n < 0
                let radix = type == "o" ? 8 : (type == "b" ? 2 : 16)
                body = String(n.magnitude, radix: radix, uppercase: type == "X")
                if alternate { prefix = type == "o" ? "0o" : (type == "b" ? "0b" : (type == "X" ? "0X" : "0x")) }
            case "f", "F", "e", "E", "g", "G", "%":
                return try formatValue(.double(Double(n)), spec: spec, fail: fail)
            case "c", "s":
                throw fail("format code '\(type!)' for an integer is not supported")
            default:
                throw fail("Unknown format code '\(type!)' for object of type 'int'")
            }
        case .double(let d):
            guard d.isFinite else { throw fail("formatting inf/nan is not supported") }
            negative = d < 0 || (d == 0 && d.sign == .minus)
            let m = abs(d)
            switch type {
            case "f", "F":
                body = String(format: "%.\(precision ?? 6)f", m)
            case "e", "E":
                body = String(format: "%.\(precision ?? 6)\(type!)", m)
            case "%":
                body = String(format: "%.\(precision ?? 6)f", m * 100) + "%"
            case "g", "G":
                guard !alternate else { throw fail("'#' with 'g' is not supported") }
                body = String(format: "%.\(precision ?? 6)\(type!)", m)
            case nil:
                guard precision == nil else { throw fail("a float with a precision and no type is not supported") }
                body = PythonRepr.str(.double(m))
            default:
                throw fail("Unknown format code '\(type!)' for object of type 'float'")
            }
            if let grouping {
                let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts[0].allSatisfy(\.isNumber) else { throw fail("grouping with this format is not supported") }
                body = group(String(parts[0]), grouping) + (parts.count > 1 ? "." + parts[1] : "")
            }
        default:
            throw fail("unsupported format string passed to \(value.typeName).__format__")
        }
        let signText = negative ? "-" : (sign == "+" ? "+" : (sign == " " ? " " : ""))
        if (align ?? ">") == "=" {
            let lead = signText + prefix
            return lead + String(repeating: fill, count: max(0, width - lead.unicodeScalars.count - body.unicodeScalars.count)) + body
        }
        return pad(signText + prefix + body, fill: fill, align: align ?? ">", width: width)
    }

    private static func pad(_ text: String, fill: Character, align: Character, width: Int) -> String {
        let n = max(0, width - text.unicodeScalars.count)
        let f = String(fill)
        switch align {
        case "<": return text + String(repeating: f, count: n)
        case "^": return String(repeating: f, count: n / 2) + text + String(repeating: f, count: n - n / 2)
        default: return String(repeating: f, count: n) + text
        }
    }

    private static func group(_ digits: String, _ separator: Character) -> String {
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(separator) }
            out.append(c)
        }
        return out
    }
}
