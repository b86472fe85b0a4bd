import Foundation

/// `json_query`, `human_readable`/`human_to_bytes`, `urlencode` and `urlsplit`, with
/// Ansible's (and Jinja's, Python's urllib's) rules.
extension FilterLibrary {
    static let unitFilters: [String: Filter] = [
        "json_query": plain { call in try jsonQuery(call) },
        "community.general.json_query": plain { call in try jsonQuery(call) },
        "human_readable": plain { call in
            let v = try call.value()
            // Python compares the size with numbers: a string fails.
            guard v.stringValue == nil, let n = v.lenientNumber else {
                throw call.fail("can't interpret following string: \(v.renderedString)")
            }
            let isbits = try call.args.bool(0, "isbits") ?? false
            let unit = try call.args.string(1, "unit")
            let size = n.double
            var chosen = ("B", 1.0)
            for (suffix, limit) in sizeRanges {
                if (unit == nil && size >= limit) || unit?.uppercased().first == suffix.first {
                    chosen = (suffix, limit)
                    break
                }
                chosen = (suffix, limit)
            }
            let base = isbits ? "bits" : "Bytes"
            let suffix = chosen.1 != 1 ? chosen.0 + String(base.prefix(1)) : base
            return .string(String(format: "%.2f %@", size / chosen.1, suffix))
        },
        "human_to_bytes": plain { call in
            let input = try call.value()
            let text = PythonRepr.str(input)
            let defaultUnit = try call.args.string(0, "default_unit")
            let isbits = try call.args.bool(1, "isbits") ?? false
            guard let m = try? NSRegularExpression(pattern: #"^\s*(\d*\.?\d*)\s*([A-Za-z]+)?"#)
                .firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let numRange = Range(m.range(at: 1), in: text), let num = Double(text[numRange]) else {
                throw call.fail("can't interpret following string: \(text)")
            }
            let unit = Range(m.range(at: 2), in: text).map { String(text[$0]) } ?? defaultUnit
            func integer(_ d: Double) throws -> Value {
                guard d.isFinite, abs(d) < 9.2e18 else {
                    throw call.fail("\(text) does not fit in 64 bits: Python's integers have no limit, provision's do")
                }
                return .int(Int(d))
            }
            guard let unit else { return try integer(pythonRound(num)) }
            let key = String(unit.prefix(1)).uppercased()
            guard let limit = sizeRanges.first(where: { $0.0 == key })?.1 else {
                throw call.fail("can't interpret following string: \(text)")
            }
            if unit.count > 1 {
                let unitClass: Character = isbits ? "b" : "B"
                let name = isbits ? "bit" : "byte"
                if !unit.lowercased().contains(name), Array(unit)[1] != unitClass {
                    throw call.fail("can't interpret following string: \(text)")
                }
            }
            return try integer(pythonRound(num * limit))
        },
        "urlencode": plain { call in
            switch try call.value() {
            case .dict(let d):
                return .string(d.map { urlQuote($0.key, query: true) + "=" + urlQuote(PythonRepr.str($0.value), query: true) }
                    .joined(separator: "&"))
            case .list(let pairs):
                return .string(try pairs.map { pair in
                    guard let kv = pair.listValue, kv.count == 2 else { throw call.fail("needs a list of (key, value) pairs") }
                    return urlQuote(PythonRepr.str(kv[0]), query: true) + "=" + urlQuote(PythonRepr.str(kv[1]), query: true)
                }.joined(separator: "&"))
            case let v:
                return .string(urlQuote(PythonRepr.str(v), query: false))
            }
        },
        "urlsplit": plain { call in
            let parts = try URLParts(try call.text(), call: call)
            guard let query = try call.args.string(0, "query"), !query.isEmpty else { return .dict(parts.dict) }
            guard let v = parts.dict[query] else { throw call.fail("unknown URL component: \(query)") }
            return v
        },
    ]

    private static func jsonQuery(_ call: FilterCall) throws -> Value {
        let expression = try call.args.requiredString(0, "expr")
        do {
            return try JMESPath.search(expression, in: try call.value().tuplesAsLists)
        } catch let e as JMESPath.Failure {
            throw call.fail("'\(expression)': \(e.message)")
        }
    }

    static let sizeRanges: [(String, Double)] = [("Y", 0x1p80), ("Z", 0x1p70), ("E", 0x1p60), ("P", 0x1p50), ("T", 0x1p40),
                                                  ("G", 0x1p30), ("M", 0x1p20), ("K", 0x1p10), ("B", 1)]

    /// Python's round(): half to even.
    static func pythonRound(_ x: Double) -> Double { x.rounded(.toNearestOrEven) }

    /// Jinja's url_quote: UTF-8, letters, digits and `_.-~` kept, `/` too outside a query; in a
    /// query a space is `+`.
    static func urlQuote(_ s: String, query: Bool) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "_.-~".contains(c) || (!query && c == "/") {
                out.append(c)
            } else if query, b == 0x20 {
                out.append("+")
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }
}
