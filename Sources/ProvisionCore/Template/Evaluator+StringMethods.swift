import Foundation

extension Evaluator {
    /// The `str` methods beyond the common ones in `stringMethod`.
    func moreStringMethod(_ method: String, _ s: String, _ args: CallArguments) throws -> Value {
        switch method {
        case "format":
            var keyword: [String: Value] = [:]
            for (k, v) in args.keyword { keyword[k] = try v.value(at: args.offset) }
            return .string(try PythonStrFormat.format(s, positional: try args.positional.map { try $0.value(at: args.offset) },
                                                      keyword: keyword, at: args.offset))
        case "index", "rindex", "rfind":
            let sub = try args.requiredString(0, "sub")
            guard args.positional.count == 1 else { throw TemplateError.evaluation("str.\(method)() with start/end is not supported", at: args.offset) }
            if let found = PythonString.find(s, sub, last: method != "index") { return .int(found) }
            if method == "rfind" { return .int(-1) }
            throw TemplateError.evaluation("substring not found", at: args.offset)
        case "partition", "rpartition":
            let sep = try args.requiredString(0, "sep")
            guard !sep.isEmpty else { throw TemplateError.evaluation("empty separator", at: args.offset) }
            let r = method == "partition" ? s.range(of: sep) : s.range(of: sep, options: .backwards)
            guard let r else {
                return .tuple(method == "partition" ? [.string(s), "", ""] : ["", "", .string(s)])
            }
            return .tuple([.string(String(s[..<r.lowerBound])), .string(sep), .string(String(s[r.upperBound...]))])
        case "expandtabs":
            let size = try PythonString.width(try args.int(0, "tabsize") ?? 8, "tabsize")
            var out = "", column = 0
            for c in s {
                if c == "\t" {
                    let n = size > 0 ? size - column % size : 0
                    out += String(repeating: " ", count: n); column += n
                } else {
                    out.append(c)
                    column = (c == "\n" || c == "\r") ? 0 : column + 1
                }
            }
            return .string(out)
        case "isalnum": return .bool(!s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber })
        case "isdecimal", "isnumeric": return .bool(!s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber })
        case "istitle": return .bool(s.contains { $0.isLetter } && PythonString.title(s) == s)
        case "casefold": return .string(s.lowercased())
        case "removeprefix":
            let p = try args.requiredString(0, "prefix")
            return .string(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
        case "removesuffix":
            let p = try args.requiredString(0, "suffix")
            return .string(!p.isEmpty && s.hasSuffix(p) ? String(s.dropLast(p.count)) : s)
        default:
            throw TemplateError.type("'str' object has no method '\(method)' (or provision does not support it)", at: args.offset)
        }
    }
}
