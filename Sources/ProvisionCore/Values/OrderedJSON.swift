import Foundation

/// A JSON reader that keeps object keys in the order the text gives them, as Python's
/// `json.loads` does (Foundation's `JSONSerialization` returns unordered dictionaries, which
/// would reorder module results, facts and `from_json` output). Integers stay `.int`, numbers
/// with a fraction or exponent become `.double`, as Python reads them.
public struct OrderedJSON {
    private let bytes: [UInt8]
    private var i = 0
    private var exactIntegers = false

    /// Parses `text`; throws `OrderedJSON.Failure` naming the offset on malformed input.
    /// `exactIntegers`: an integer past 64 bits is an error (Python keeps it exact; a double
    /// would print a different number) instead of the nearest double.
    public static func parse(_ text: String, exactIntegers: Bool = false) throws -> Value {
        var reader = OrderedJSON(bytes: Array(text.utf8))
        reader.exactIntegers = exactIntegers
        reader.skipSpace()
        let v = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.i == reader.bytes.count else { throw Failure(message: "extra data", offset: reader.i) }
        return v
    }

    /// Why a text is not JSON, and where.
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public let offset: Int
        public var description: String { "invalid JSON at offset \(offset): \(message)" }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private func fail(_ message: String) -> Failure { Failure(message: message, offset: i) }

    private mutating func value(depth: Int) throws -> Value {
        guard depth < 512 else { throw fail("nested too deeply") }
        guard i < bytes.count else { throw fail("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var out = ValueDict()
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .dict(out) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                let key = try string()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                skipSpace()
                out[key] = try value(depth: depth + 1)
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .dict(out) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var out: [Value] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .list(out) }
            while true {
                skipSpace()
                out.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(out) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        case UInt8(ascii: "N"): try word("NaN"); return .double(.nan)
        case UInt8(ascii: "I"): try word("Infinity"); return .double(.infinity)
        default: return try number()
        }
    }

    private mutating func word(_ w: String) throws {
        let u = Array(w.utf8)
        guard i + u.count <= bytes.count, Array(bytes[i..<(i + u.count)]) == u else { throw fail("unexpected character") }
        i += u.count
    }

    private mutating func number() throws -> Value {
        let start = i
        var isFloat = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "I") { try word("Infinity"); return .double(-.infinity) }
        }
        while i < bytes.count {
            let c = bytes[i]
            if c >= 0x30 && c <= 0x39 { i += 1 }
            else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+")
                        || (c == UInt8(ascii: "-") && i > start) { isFloat = true; i += 1 }
            else { break }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard !text.isEmpty else { throw fail("unexpected character") }
        if !isFloat, let n = Int(text) { return .int(n) }
        if !isFloat, exactIntegers { throw fail("the integer \(text) is past 64 bits, which provision does not hold exactly") }
        guard let d = Double(text) else { throw fail("bad number '\(text)'") }
        return .double(d)
    }

    private mutating func string() throws -> String {
        i += 1
        var out = [UInt8]()
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
                   bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: out.append(e)
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16)
        else { throw fail("bad \\u escape") }
        i += 4
        return v
    }
}
