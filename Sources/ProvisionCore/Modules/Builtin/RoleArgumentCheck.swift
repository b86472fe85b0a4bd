/// Ansible's role argument validation (`ArgumentSpecValidator` with
/// `validate_role_argument_spec`), as ansible-core 2.14 reports it: required arguments first,
/// then each option's type (and list elements) in spec order, then `choices`. Defaults are
/// not set: 2.14 validates, the role's tasks still see only what was given.
struct RoleArgumentCheck {
    /// The spec's `options`, in file order.
    var options: ValueDict

    /// The error messages for `values` (the spec'd names that have a value), none when valid.
    /// `rendered`: names whose value came out of a template (Python's `str`, not the YAML
    /// loader's string class, in the messages).
    func errors(_ values: [String: Value], rendered: Set<String> = []) -> [String] {
        var out: [String] = []
        let missing = options.compactMap { name, spec -> String? in
            guard Self.flag(spec, "required"), values[name] == nil else { return nil }
            return name
        }.sorted()
        if !missing.isEmpty { out.append("missing required arguments: " + missing.joined(separator: ", ")) }
        var converted: [String: Value] = [:]
        for (name, spec) in options {
            guard let v = values[name] else { continue }
            let type = spec.dictValue?["type"]?.stringValue ?? "str"
            do {
                var c = try Self.convert(v, to: type)
                if type == "list", let element = spec.dictValue?["elements"]?.stringValue, case .list(let items) = c {
                    var done: [Value] = []
                    for item in items {
                        do { done.append(try Self.convert(item, to: element)) } catch let e as Problem {
                            out.append("Elements value for option '\(name)' is of type \(Self.pythonType(item)) and we were unable to convert to \(element): \(e.text)")
                        }
                    }
                    c = .list(done)
                }
                converted[name] = c
            } catch let e as Problem {
                let text = rendered.contains(name) ? e.text.replacingOccurrences(of: Self.yamlString, with: "str") : e.text
                out.append("argument '\(name)' is of type \(Self.pythonType(v, rendered: rendered.contains(name))) and we were unable to convert to \(type): \(text)")
            } catch {}
        }
        for (name, spec) in options {
            guard let v = converted[name], case .list(let choices)? = spec.dictValue?["choices"] else { continue }
            let shown = choices.map(\.renderedString).joined(separator: ", ")
            if case .list(let items) = v {
                let bad = items.filter { i in !choices.contains { $0.renderedString == i.renderedString } }
                if !bad.isEmpty {
                    out.append("value of \(name) must be one or more of: \(shown). Got no match for: \(bad.map(\.renderedString).joined(separator: ", "))")
                }
            } else if !choices.contains(where: { $0.renderedString == v.renderedString }) {
                out.append("value of \(name) must be one of: \(shown), got: \(v.renderedString)")
            }
        }
        return out
    }

    struct Problem: Error { var text: String }

    static func flag(_ spec: Value, _ key: String) -> Bool {
        guard let v = spec.dictValue?[key] else { return false }
        if case .bool(let b) = v { return b }
        return ["yes", "true", "1", "on"].contains(v.renderedString.lowercased())
    }

    /// The class name Python would print for the value (YAML strings are Ansible's own class).
    static let yamlString = "ansible.parsing.yaml.objects.AnsibleUnicode"

    static func pythonType(_ v: Value, rendered: Bool = false) -> String {
        switch v {
        case .string: return rendered ? "<class 'str'>" : "<class '\(yamlString)'>"
        case .int: return "<class 'int'>"
        case .double: return "<class 'float'>"
        case .bool: return "<class 'bool'>"
        case .list: return "<class 'list'>"
        case .dict: return "<class 'dict'>"
        case .null: return "<class 'NoneType'>"
        default: return "<class 'str'>"
        }
    }

    static let truthy: Set<String> = ["y", "yes", "on", "1", "true", "t"]
    static let falsy: Set<String> = ["n", "no", "off", "0", "false", "f"]

    /// Ansible's `check_type_*` conversions.
    static func convert(_ v: Value, to type: String) throws -> Value {
        let cannot = Problem(text: "\(pythonType(v)) cannot be converted to \(type == "int" ? "an int" : "a \(type)")")
        switch type {
        case "str", "path", "raw", "jsonarg", "json", "bytes", "bits": return v
        case "int":
            switch v {
            case .int: return v
            case .bool(let b): return .int(b ? 1 : 0)
            case .string(let s): if let i = Int(s.trimmingCharacters(in: .whitespaces)) { return .int(i) }; throw cannot
            default: throw cannot
            }
        case "float":
            switch v {
            case .double: return v
            case .int(let i): return .double(Double(i))
            case .string(let s): if let d = Double(s.trimmingCharacters(in: .whitespaces)) { return .double(d) }; throw cannot
            default: throw cannot
            }
        case "bool":
            switch v {
            case .bool: return v
            case .string, .int, .double:
                let s = v.renderedString.lowercased()
                if truthy.contains(s) || s == "1.0" { return .bool(true) }
                if falsy.contains(s) || s == "0.0" { return .bool(false) }
                throw Problem(text: "The value \(pythonRepr(v)) is not a valid boolean.  Valid booleans include: "
                              + "0, 1, 'n', '1', 'true', 'f', 't', 'y', 'yes', 'on', '0', 'off', 'no', 'false'")
            default: throw cannot
            }
        case "list":
            switch v {
            case .list: return v
            case .string(let s): return .list(s.split(separator: ",", omittingEmptySubsequences: false).map { .string(String($0)) })
            case .int, .double: return .list([.string(v.renderedString)])
            default: throw cannot
            }
        case "dict":
            switch v {
            case .dict: return v
            case .string(let s):
                if s.hasPrefix("{") {
                    guard let d = Value(jsonText: s), case .dict = d else { throw Problem(text: "unable to evaluate string as dictionary") }
                    return d
                }
                if s.contains("=") {
                    var out: [String: Value] = [:]
                    for field in s.split(whereSeparator: { $0 == "," || $0 == " " }) {
                        let kv = field.split(separator: "=", maxSplits: 1)
                        guard kv.count == 2 else { throw Problem(text: "dictionary requested, could not parse JSON or key=value") }
                        out[String(kv[0]).trimmingCharacters(in: .whitespaces)] = .string(String(kv[1]))
                    }
                    return .dict(out)
                }
                throw Problem(text: "dictionary requested, could not parse JSON or key=value")
            default: throw cannot
            }
        default: return v
        }
    }

    static func pythonRepr(_ v: Value) -> String {
        if case .string(let s) = v { return "'\(s)'" }
        return v.renderedString
    }
}
