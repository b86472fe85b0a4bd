import Crypto
import Foundation
import Yams

extension FilterLibrary {
    static let encodingFilters: [String: Filter] = [
        "to_json": plain { call in try toJSON(call) },
        "to_nice_json": plain { call in
            .string(prettyJSON(try call.value(), indent: try call.args.int(0, "indent") ?? 4, level: 0))
        },
        "from_json": plain { call in
            let text = try call.text()
            guard let v = Value(jsonText: text) else { throw call.fail("not valid JSON") }
            return v
        },
        // to_yaml is PyYAML's dump with default_flow_style=None (a collection of scalars only
        // is written in flow style: `x: [3, 1]`); to_nice_yaml writes block style throughout.
        "to_yaml": plain { try yaml(try $0.value(), indent: try $0.args.int(0, "indent") ?? 2, flowLeaves: true, call: $0) },
        "to_nice_yaml": plain { try yaml(try $0.value(), indent: try $0.args.int(0, "indent") ?? 4, flowLeaves: false, call: $0) },
        "b64encode": plain { call in .string(Data(try encodedBytes(try call.text(), call: call)).base64EncodedString()) },
        "from_yaml": plain { call in
            do {
                guard let node = try YAMLFile.parse(try call.text(), file: "<from_yaml>") else { return .null }
                return try YAMLFile.value(of: node, file: "<from_yaml>")
            } catch let error as LoadError {
                throw call.fail(error.diagnostics.first?.message ?? "not valid YAML")
            }
        },
        "b64decode": plain { call in
            if let enc = try call.args.string(0, "encoding"), !["utf-8", "utf8"].contains(enc.lowercased()) {
                throw call.fail("the encoding '\(enc)' is not supported by provision")
            }
            var text = try call.text().trimmingCharacters(in: .whitespacesAndNewlines)
            while text.count % 4 != 0 { text += "=" }
            guard let data = Data(base64Encoded: text) else { throw call.fail("not valid base64") }
            guard let s = String(data: data, encoding: .utf8) else { throw call.fail("the decoded bytes are not UTF-8 text") }
            return .string(s)
        },
        "hash": plain { call in .string(try digest(try call.text(), algorithm: try call.args.string(0, "hashtype") ?? "sha1", call: call)) },
        "checksum": plain { .string(try digest(try $0.text(), algorithm: "sha1", call: $0)) },
        "sha1": plain { .string(try digest(try $0.text(), algorithm: "sha1", call: $0)) },
        "md5": plain { .string(try digest(try $0.text(), algorithm: "md5", call: $0)) },
    ]

    /// Hex digest of the UTF-8 text with swift-crypto.
    static func digest(_ text: String, algorithm: String, call: FilterCall) throws -> String {
        let data = Data(text.utf8)
        let bytes: [UInt8]
        switch algorithm.lowercased() {
        case "md5": bytes = Array(Insecure.MD5.hash(data: data))
        case "sha1": bytes = Array(Insecure.SHA1.hash(data: data))
        case "sha256": bytes = Array(SHA256.hash(data: data))
        case "sha384": bytes = Array(SHA384.hash(data: data))
        case "sha512": bytes = Array(SHA512.hash(data: data))
        case "blake2b": bytes = BLAKE2b.hash(Array(data))
        default: throw call.fail("unsupported hash type '\(algorithm)' (md5, sha1, sha256, sha384, sha512, blake2b)")
        }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Python's `json.dumps(v)`: `, ` and `: ` separators, non-ASCII escaped as `\uXXXX`
    /// (ensure_ascii), keys in the dict's order unless `sortKeys`.
    static func pythonJSON(_ v: Value, sortKeys: Bool) -> String {
        switch v {
        case .string(let s): return asciiJSONQuote(s)
        case .list(let items), .tuple(let items): return "[" + items.map { pythonJSON($0, sortKeys: sortKeys) }.joined(separator: ", ") + "]"
        case .dict(let d):
            let keys = sortKeys ? d.sortedKeys : Array(d.keys)
            return "{" + keys.map { asciiJSONQuote($0) + ": " + pythonJSON(d[$0] ?? .null, sortKeys: sortKeys) }
                .joined(separator: ", ") + "}"
        case .double(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
            return PythonRepr.float(d)
        default: return v.jsonString
        }
    }

    /// A JSON string literal with everything outside ASCII as `\uXXXX` (surrogate pairs above
    /// the BMP), as Python's json module writes by default.
    static func asciiJSONQuote(_ s: String) -> String {
        var out = ""
        for u in Value.jsonQuote(s).unicodeScalars {
            if u.isASCII { out.unicodeScalars.append(u); continue }
            for unit in String(u).utf16 { out += String(format: "\\u%04x", unit) }
        }
        return out
    }

    /// Python's `json.dumps(v, indent=n, sort_keys=True, separators=(',', ': '))`.
    static func prettyJSON(_ v: Value, indent: Int, level: Int) -> String {
        let pad = String(repeating: " ", count: indent * (level + 1))
        let closePad = String(repeating: " ", count: indent * level)
        switch v {
        case .list(let items) where !items.isEmpty, .tuple(let items) where !items.isEmpty:
            return "[\n" + items.map { pad + prettyJSON($0, indent: indent, level: level + 1) }.joined(separator: ",\n")
                + "\n" + closePad + "]"
        case .dict(let d) where !d.isEmpty:
            return "{\n" + d.sortedKeys.map {
                pad + asciiJSONQuote($0) + ": " + prettyJSON(d[$0] ?? .null, indent: indent, level: level + 1)
            }.joined(separator: ",\n") + "\n" + closePad + "}"
        case .list: return "[]"
        case .dict: return "{}"
        default: return pythonJSON(v, sortKeys: true)
        }
    }

    /// YAML text via Yams, block style, keys sorted by `yamlNode` in Python's order; strings that would read back as another
    /// type are quoted by the emitter.
    static func yaml(_ v: Value, indent: Int, flowLeaves: Bool, call: FilterCall) throws -> Value {
        // PyYAML's dump options beyond indent and width would change the text: refused.
        if let other = call.args.keyword.keys.first(where: { $0 != "indent" && $0 != "width" }) {
            throw call.fail("the yaml.dump option '\(other)' is not supported by provision")
        }
        let width = try call.args.int(-1, "width") ?? 80
        do {
            return .string(try Yams.serialize(node: yamlNode(v, flowLeaves: flowLeaves), indent: indent, width: width,
                                              allowUnicode: true, sortKeys: false))
        } catch {
            throw call.fail("cannot write YAML: \(error)")
        }
    }

    private static func yamlNode(_ v: Value, flowLeaves: Bool) -> Node {
        switch v {
        case .null: return Node("null", Tag(.null))
        case .bool(let b): return Node(b ? "true" : "false", Tag(.bool))
        case .int(let i): return Node(String(i), Tag(.int))
        case .double(let d): return Node(String(d), Tag(.float))
        case .string(let s): return (try? s.represented()) ?? Node(s, Tag(.str))
        case .list(let l), .tuple(let l):
            let flow = flowLeaves && !l.isEmpty && l.allSatisfy(\.isScalar)
            return Node(l.map { yamlNode($0, flowLeaves: flowLeaves) }, Tag(.seq), flow ? .flow : .block)
        case .dict(let d):
            let flow = flowLeaves && !d.isEmpty && d.values.allSatisfy(\.isScalar)
            return Node(d.sortedKeys.map { key in
                let keyNode = d.hasNonStringKeys ? yamlNode(d.typedKey(key), flowLeaves: false) : Node(key, Tag(.str))
                return (keyNode, yamlNode(d[key] ?? .null, flowLeaves: flowLeaves))
            },
                        Tag(.map), flow ? .flow : .block)
        }
    }

    /// The text's bytes in a Python codec name `b64encode(encoding=…)` takes.
    static func encodedBytes(_ text: String, call: FilterCall) throws -> [UInt8] {
        let encoding = (try call.args.string(0, "encoding") ?? "utf-8").lowercased().replacingOccurrences(of: "_", with: "-")
        func utf16(_ big: Bool) -> [UInt8] {
            text.utf16.flatMap { big ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        }
        switch encoding {
        case "utf-8", "utf8": return Array(text.utf8)
        case "utf-16-le", "utf-16le": return utf16(false)
        case "utf-16-be", "utf-16be": return utf16(true)
        case "utf-16", "utf16": return [0xFF, 0xFE] + utf16(false)
        case "ascii", "latin-1", "latin1", "iso-8859-1":
            let limit: UInt32 = encoding == "ascii" ? 0x7F : 0xFF
            return try text.unicodeScalars.map { u in
                guard u.value <= limit else { throw call.fail("'\(encoding)' codec can't encode character '\(u)'") }
                return UInt8(u.value)
            }
        default: throw call.fail("the encoding '\(encoding)' is not supported by provision")
        }
    }
}

