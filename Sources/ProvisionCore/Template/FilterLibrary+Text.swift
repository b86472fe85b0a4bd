import Foundation
import Yams

/// Jinja's text filters `wordwrap`, `filesizeformat`, `striptags`, `xmlattr`, and Ansible's
/// `urldecode`, `realpath`, `relpath`, `strftime`, `expandvars`, `from_yaml_all`, with
/// Python's rules (textwrap, posixpath, time.strftime).
extension FilterLibrary {
    static let textFilters: [String: Filter] = [
        "wordwrap": plain { call in try wordwrap(call) },
        "urlize": plain { call in try urlize(call) },
        "filesizeformat": plain { call in
            let v = try call.value()
            let bytes: Double
            switch v {
            case .int(let i): bytes = Double(i)
            case .double(let d): bytes = d
            case .bool(let b): bytes = b ? 1 : 0
            case .string(let s):
                guard let d = Double(s.trimmingCharacters(in: .whitespaces)) else { throw call.fail("could not convert string to float: '\(s)'") }
                bytes = d
            default: throw call.fail("float() argument must be a string or a number, not '\(v.typeName)'")
            }
            let binary = try call.args.bool(0, "binary") ?? false
            let base = binary ? 1024.0 : 1000.0
            let prefixes = binary ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"] : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
            if bytes == 1 { return "1 Byte" }
            if bytes < base { return .string("\(Int(bytes)) Bytes") }
            var unit = base
            for (i, prefix) in prefixes.enumerated() {
                unit = pow(base, Double(i + 2))
                if bytes < unit || i == prefixes.count - 1 { return .string(String(format: "%.1f %@", base * bytes / unit, prefix)) }
            }
            return .null
        },
        "striptags": plain { call in
            let s = try call.text()
            let stripped = try NSRegularExpression(pattern: "(<!--.*?-->|<[^>]*>)", options: [.dotMatchesLineSeparators])
                .stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "")
            return .string(try htmlUnescape(PythonString.split(stripped, separator: nil).joined(separator: " "), call: call))
        },
        "xmlattr": plain { call in
            let d = try call.dict()
            let autospace = try call.args.bool(0, "autospace") ?? true
            let items = d.compactMap { key, value -> String? in
                value.isNull ? nil : "\(htmlEscape(key))=\"\(htmlEscape(PythonRepr.str(value)))\""
            }
            let text = items.joined(separator: " ")
            return .string(autospace && !text.isEmpty ? " " + text : text)
        },
        "urldecode": plain { call in
            // urllib's unquote_plus: '+' is a space; bad UTF-8 becomes U+FFFD.
            let bytes = Array(try call.text().replacingOccurrences(of: "+", with: " ").utf8)
            var out: [UInt8] = []
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
                   let h = UInt8(String(decoding: bytes[i + 1...i + 2], as: UTF8.self), radix: 16) {
                    out.append(h); i += 3
                } else { out.append(bytes[i]); i += 1 }
            }
            return .string(String(decoding: out, as: UTF8.self))
        },
        "realpath": plain { call in .string(realpath(try call.text())) },
        "relpath": plain { call in
            let path = try call.text()
            let start = try call.args.string(0, "start") ?? "."
            guard !path.isEmpty else { throw call.fail("no path specified") }
            let p = absolutePath(path).split(separator: "/"), s = absolutePath(start).split(separator: "/")
            var common = 0
            while common < min(p.count, s.count), p[common] == s[common] { common += 1 }
            let parts = Array(repeating: "..", count: s.count - common) + p[common...].map(String.init)
            return .string(parts.isEmpty ? "." : parts.joined(separator: "/"))
        },
        "strftime": plain { call in
            let format = try call.text()
            let utc = try call.args.bool(1, "utc") ?? false
            var date = Date()
            if let second = try call.args.value(0, "second"), !second.isNull {
                let n: Double?
                switch second {
                case .int(let i): n = Double(i)
                case .double(let d): n = d
                case .string(let s): n = Double(s.trimmingCharacters(in: .whitespaces))
                default: n = nil
                }
                guard let n else { throw call.fail("Invalid value for epoch value (\(PythonRepr.str(second)))") }
                date = Date(timeIntervalSince1970: n.rounded(.down))
            }
            return .string(PythonDateTime.strftime(format, date, utc: utc))
        },
        "expandvars": plain { call in
            let s = try call.text()
            let env = ProcessInfo.processInfo.environment
            let re = try NSRegularExpression(pattern: "\\$(\\w+|\\{[^}]*\\})")
            var out = "", last = s.startIndex
            for m in re.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
                guard let whole = Range(m.range, in: s), let nameRange = Range(m.range(at: 1), in: s) else { continue }
                var name = String(s[nameRange])
                if name.hasPrefix("{") { name = String(name.dropFirst().dropLast()) }
                out += s[last..<whole.lowerBound]
                out += env[name] ?? String(s[whole])
                last = whole.upperBound
            }
            return .string(out + s[last...])
        },
        "from_yaml_all": plain { call in
            do {
                // The parser directly: compose_all's sequence stops silently at a syntax error.
                let parser = try Parser(yaml: try call.text())
                var docs: [Value] = []
                while let node = try parser.nextRoot() {
                    guard docs.count < 10_000 else { throw call.fail("more than 10000 YAML documents") }
                    docs.append(try YAMLFile.value(of: node, file: "<from_yaml_all>"))
                }
                return .list(docs)
            } catch let error as LoadError {
                throw call.fail(error.diagnostics.first?.message ?? "not valid YAML")
            } catch let error as TemplateError {
                throw error
            } catch {
                throw call.fail("not valid YAML: \(error)")
            }
        },
    ]

    /// posixpath.abspath: the path made absolute against the working directory, normalised.
    static func absolutePath(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// os.path.realpath: symlinks resolved where the path exists, `..` applied after them.
    static func realpath(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var resolved = ""
        var pending = full.split(separator: "/").map(String.init)
        var hops = 0
        while !pending.isEmpty {
            let part = pending.removeFirst()
            if part == "." || part.isEmpty { continue }
            if part == ".." {
                if let slash = resolved.lastIndex(of: "/") { resolved = String(resolved[..<slash]) }
                continue
            }
            let candidate = resolved + "/" + part
            if hops < 40, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: candidate) {
                hops += 1
                if target.hasPrefix("/") { resolved = "" }
                pending = target.split(separator: "/").map(String.init) + pending
                continue
            }
            resolved = candidate
        }
        return resolved.isEmpty ? "/" : resolved
    }

    /// html.unescape for the entities markupsafe's striptags leaves: numeric ones and HTML 4's named
    /// ones; another named entity, or one without its `;`, is refused.
    static func htmlUnescape(_ s: String, call: FilterCall) throws -> String {
        guard s.contains("&") else { return s }
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}"]
        let re = try NSRegularExpression(pattern: "&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
        var out = "", last = s.startIndex
        for m in re.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
            guard let whole = Range(m.range, in: s), let body = Range(m.range(at: 1), in: s) else { continue }
            let name = String(s[body])
            let replacement: String
            if name.hasPrefix("#") {
                let digits = name.dropFirst()
                let code = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                guard let code, let u = Unicode.Scalar(code), code != 0 else { throw call.fail("the character reference &\(name); is not supported by provision") }
                replacement = String(Character(u))
            } else {
                guard s[whole].hasSuffix(";"), let r = named[name] ?? HTMLEntities.codePoints[name].flatMap(Unicode.Scalar.init).map({ String(Character($0)) }) else {
                    throw call.fail("the HTML entity &\(name); is not supported by provision")
                }
                replacement = r
            }
            out += s[last..<whole.lowerBound] + replacement
            last = whole.upperBound
        }
        return out + s[last...]
    }
}
