import Foundation
import Yams

/// Module arguments: a mapping, or free-form text (`command: ls -l`, `copy: src=a dest=b`).
extension PlaybookReader {
    func readArguments(_ node: Node, file: String, type: any Module.Type, key: String) -> [String: Value]? {
        switch value(node, file) {
        case .null: return [:]
        case .dict(let d): return [String: Value](d)
        case .string(let s):
            if type.argumentSpec.freeForm { return ["_raw_params": .string(s)] }
            switch Self.keyValueArguments(s) {
            case .success(let d): return d
            case .failure(let why):
                error("'\(key)' takes key=value arguments here: \(why)", location(node, file),
                      hint: "write them as a mapping, e.g. \(key): {dest: /etc/motd, content: hi}")
                return nil
            }
        case .int, .bool, .double:
            if type.argumentSpec.freeForm { return ["_raw_params": .string(value(node, file).renderedString)] }
            error("'\(key)' needs its arguments as a mapping", location(node, file))
            return nil
        case .list, .tuple:
            error("'\(key)' needs its arguments as a mapping, not a list", location(node, file))
            return nil
        }
    }

    /// Records where each argument's value starts, as `args.NAME`.
    func argumentLocations(_ node: Node, file: String, into locs: inout [String: SourceLocation]) {
        guard let map = node.mapping else {
            locs["args"] = location(node, file)
            return
        }
        for (k, v) in map {
            if let key = k.scalar?.string { locs["args.\(key)"] = location(v, file); locs["argkey.\(key)"] = location(k, file) }
        }
    }

    /// Ansible's `key=value key2="quoted value"` form. Values keep `{{ }}` intact (spaces
    /// inside a template do not split it).
    static func keyValueArguments(_ text: String) -> Result<[String: Value], KeyValueError> {
        var out: [String: Value] = [:]
        var words: [String] = []
        var cur = ""
        var quote: Character?
        var depth = 0
        var chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                // Escapes are decoded as Ansible's parse_kv does (`content="a\nb"`).
                if c == "\\", i + 1 < chars.count, depth == 0,
                   let decoded = ["n": "\n", "t": "\t", "r": "\r", "\\": "\\", "\"": "\"", "'": "'"][chars[i + 1]] {
                    cur.append(decoded); i += 2; continue
                }
                if c == q { quote = nil }
                cur.append(c)
            } else if c == "\"" || c == "'" {
                if depth == 0 { quote = c }
                cur.append(c)
            } else if c == "{", i + 1 < chars.count, chars[i + 1] == "{" || chars[i + 1] == "%" {
                depth += 1; cur.append(c); cur.append(chars[i + 1]); i += 2; continue
            } else if (c == "}" || c == "%"), i + 1 < chars.count, chars[i + 1] == "}", depth > 0 {
                depth -= 1; cur.append(c); cur.append(chars[i + 1]); i += 2; continue
            } else if c.isWhitespace && depth == 0 {
                if !cur.isEmpty { words.append(cur); cur = "" }
            } else {
                cur.append(c)
            }
            i += 1
        }
        chars = []
        if quote != nil { return .failure(KeyValueError("an unclosed quote")) }
        if !cur.isEmpty { words.append(cur) }
        for w in words {
            guard let eq = w.firstIndex(of: "="), eq != w.startIndex else {
                return .failure(KeyValueError("'\(w)' is not key=value"))
            }
            // parse_kv unquotes a value only when it is quoted whole: `k="a b"` is `a b`,
            // `k={"a":1}` keeps its quotes.
            var value = Substring(w[w.index(after: eq)...])
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = value.dropFirst().dropLast()
            }
            out[String(w[..<eq])] = .string(String(value))
        }
        return .success(out)
    }

    struct KeyValueError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// The module's spec check, then (when no argument is templated) the module's own checks.
    /// Warnings, not errors: Ansible checks a module's arguments on the host, when a task runs,
    /// so a task that is never reached (another system's branch, a handler not notified) may
    /// hold arguments this module refuses. The task that is reached fails with the same
    /// message; `--strict` refuses the playbook instead.
    func checkArguments(_ task: Task, file: String) {
        let type = task.action.type
        let args = task.action.arguments
        let problems = type.argumentSpec.problems(in: args)
        let hint = "Ansible fails this task on the host that reaches it, and so does provision"
        for p in problems {
            let at = p.key.flatMap { task.fieldLocations["argkey.\($0)"] ?? task.fieldLocations["args.\($0)"] }
                ?? task.fieldLocations["action"] ?? task.location
            warn("\(task.action.key): \(p.message)", at, hint: hint)
        }
        guard problems.isEmpty, !Self.hasTemplate(.dict(args)) else { return }
        do {
            _ = try type.init(arguments: ModuleArguments(args, spec: type.argumentSpec))
        } catch let e as ModuleError {
            warn("\(task.action.key): \(e.message)", task.fieldLocations["action"] ?? task.location, hint: hint)
        } catch {
            warn("\(task.action.key): \(error)", task.fieldLocations["action"] ?? task.location, hint: hint)
        }
    }

    static func hasTemplate(_ v: Value) -> Bool {
        switch v {
        case .string(let s): return Templating.containsTemplate(s)
        case .list(let l): return l.contains(where: hasTemplate)
        case .dict(let d): return d.contains { Templating.containsTemplate($0.key) || hasTemplate($0.value) }
        default: return false
        }
    }
}
