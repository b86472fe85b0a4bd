import Crypto
import Foundation
import Yams

extension FilterLibrary {
    static let encodingFilters: [String: Filter] = [
        "to_json": plain { call in try toJSON(call) },
        // Ansible's to_nice_json(indent=4, sort_keys=True); json.dumps' other options are refused.
        "to_nice_json": plain { call in
            if let other = call.args.keyword.keys.first(where: { $0 != "indent" && $0 != "sort_keys" }) {
                throw call.fail("the to_nice_json option '\(other)' is not supported by provision")
            }
            return .string(prettyJSON(try call.value(), indent: try PythonString.width(try call.args.int(0, "indent") ?? 4, "indent"),
                                      level: 0, sortKeys: try call.args.bool(1, "sort_keys") ?? true))
        },
        "from_json": plain { call in
            let text = try call.text()
            do { return try OrderedJSON.parse(text, exactIntegers: true) } catch let e as OrderedJSON.Failure where e.message.hasPrefix("the integer") {
                throw call.fail(e.message)
            } catch { throw call.fail("not valid JSON") }
        },
        // to_yaml is PyYAML's dump with default_flow_style=None (a collection of scalars only
        // is written in flow style: `x: [3, 1]`); to_nice_yaml writes block style throughout.
        // Ansible's to_yaml(a, *args, **kw) drops positional arguments: `to_yaml(4)` is indent 2.
        "to_yaml": plain { try yaml(try $0.value(), indent: try $0.args.int(-1, "indent") ?? 2, nice: false, call: $0) },
        "to_nice_yaml": plain { try yaml(try $0.value(), indent: try $0.args.int(0, "indent") ?? 4, nice: true, call: $0) },
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

    /// Python's `json.dumps(v, indent=n, sort_keys=sortKeys, separators=(',', ': '))`.
    static func prettyJSON(_ v: Value, indent: Int, level: Int, sortKeys: Bool = true) -> String {
        let pad = String(repeating: " ", count: indent * (level + 1))
        let closePad = String(repeating: " ", count: indent * level)
        switch v {
        case .list(let items) where !items.isEmpty, .tuple(let items) where !items.isEmpty:
            return "[\n" + items.map { pad + prettyJSON($0, indent: indent, level: level + 1, sortKeys: sortKeys) }.joined(separator: ",\n")
                + "\n" + closePad + "]"
        case .dict(let d) where !d.isEmpty:
            return "{\n" + (sortKeys ? d.sortedKeys : Array(d.keys)).map {
                pad + asciiJSONQuote($0) + ": " + prettyJSON(d[$0] ?? .null, indent: indent, level: level + 1, sortKeys: sortKeys)
            }.joined(separator: ",\n") + "\n" + closePad + "}"
        case .list: return "[]"
        case .dict: return "{}"
        default: return pythonJSON(v, sortKeys: sortKeys)
        }
    }

    /// Python's `yaml.dump` as Ansible calls it, via Yams (libyaml's emitter, which PyYAML's
    /// mirrors): keys sorted unless `sort_keys=False`; `to_yaml` writes collections of scalars
    /// in flow style (`default_flow_style=None`) unless told True/False, `to_nice_yaml` passes
    /// False itself (so giving it again fails, as in Python); strings that would read back as
    /// another type are quoted by the emitter.
    static func yaml(_ v: Value, indent: Int, nice: Bool, call: FilterCall) throws -> Value {
        let fixed: Set<String> = nice ? ["indent", "allow_unicode", "default_flow_style"] : ["allow_unicode"]
        for key in call.args.keyword.keys where fixed.contains(key) && !(key == "indent" && nice) {
            throw call.fail("yaml.dump() got multiple values for keyword argument '\(key)'")
        }
        let known: Set<String> = ["indent", "width", "explicit_start", "explicit_end", "sort_keys", "default_flow_style"]
        if let other = call.args.keyword.keys.first(where: { !known.contains($0) }) {
            throw call.fail("the yaml.dump option '\(other)' is not supported by provision")
        }
        // libyaml's (and PyYAML's) emitter: an indent outside 2...9 is 2; a width past what a
        // 32-bit int holds is no limit.
        let width = try call.args.int(-1, "width").map { min(Int(Int32.max), max(-1, $0)) } ?? 80
        let indent = (2...9).contains(indent) ? indent : 2
        var style = nice ? FlowStyle.block : .leaves
        switch try call.args.value(-1, "default_flow_style") {
        case nil, .null?: break
        case let flag?: style = flag.isTruthy ? .flow : .block
        }
        let sortKeys = try call.args.value(-1, "sort_keys").map(\.isTruthy) ?? true
        do {
            return .string(try Yams.serialize(node: yamlNode(v, style: style, sortKeys: sortKeys), indent: indent,
                                              width: width, allowUnicode: true,
                                              explicitStart: try call.args.value(-1, "explicit_start")?.isTruthy ?? false,
                                              explicitEnd: try call.args.value(-1, "explicit_end")?.isTruthy ?? false,
                                              sortKeys: false))
        } catch {
            throw call.fail("cannot write YAML: \(error)")
        }
    }

    /// PyYAML's `default_flow_style`: None (flow for a collection of scalars), True, False.
    enum FlowStyle { case leaves, flow, block }

    private static func yamlNode(_ v: Value, style: FlowStyle, sortKeys: Bool) -> Node {
        switch v {
        case .null: return Node("null", Tag(.null))
        case .bool(let b): return Node(b ? "true" : "false", Tag(.bool))
        case .int(let i): return Node(String(i), Tag(.int))
        case .double(let d): return Node(String(d), Tag(.float))
        case .string(let s): return (try? s.represented()) ?? Node(s, Tag(.str))
        case .list(let l), .tuple(let l):
            let flow = style == .flow || (style == .leaves && !l.isEmpty && l.allSatisfy(\.isScalar))
            return Node(l.map { yamlNode($0, style: style, sortKeys: sortKeys) }, Tag(.seq), flow ? .flow : .block)
        case .dict(let d):
            let flow = style == .flow || (style == .leaves && !d.isEmpty && d.values.allSatisfy(\.isScalar))
            return Node((sortKeys ? d.sortedKeys : d.keys).map { key in
                let keyNode = d.hasNonStringKeys ? yamlNode(d.typedKey(key), style: .block, sortKeys: sortKeys)
                    : (try? key.represented()) ?? Node(key, Tag(.str))
                return (keyNode, yamlNode(d[key] ?? .null, style: style, sortKeys: sortKeys))
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

