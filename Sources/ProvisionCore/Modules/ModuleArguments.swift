/// A module's rendered arguments, with typed accessors that apply the spec's defaults and
/// aliases. Accessors throw `ModuleError` naming the argument when a value has the wrong type.
public struct ModuleArguments: Sendable {
    public let values: [String: Value]
    public let spec: ArgumentSpec

    /// Normalises aliases to each field's name and fills in defaults.
    public init(_ raw: [String: Value], spec: ArgumentSpec) {
        var v: [String: Value] = [:]
        for (key, value) in raw {
            let name = spec.field(named: key)?.name ?? key
            v[name] = value
        }
        for f in spec.fields where v[f.name] == nil {
            if let d = f.defaultValue { v[f.name] = d }
        }
        self.values = v
        self.spec = spec
    }

    public func has(_ key: String) -> Bool {
        if let v = values[key], !v.isNull { return true }
        return false
    }

    public func string(_ key: String) throws -> String? {
        guard let v = values[key], !v.isNull else { return nil }
        switch v {
        case .string(let s): return s
        case .int, .double, .bool: return v.renderedString
        default: throw ModuleError("'\(key)' must be a string")
        }
    }

    public func requiredString(_ key: String) throws -> String {
        guard let s = try string(key) else { throw ModuleError("missing required argument '\(key)'") }
        return s
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let v = values[key], !v.isNull else { return nil }
        switch v {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .string(let s):
            guard let b = Self.parseBool(s) else { throw ModuleError("'\(key)' must be a boolean (got '\(s)')") }
            return b
        default: throw ModuleError("'\(key)' must be a boolean")
        }
    }

    public func int(_ key: String) throws -> Int? {
        guard let v = values[key], !v.isNull else { return nil }
        switch v {
        case .int(let i): return i
        case .double(let d): return Int(d)
        case .string(let s):
            guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else { throw ModuleError("'\(key)' must be an integer (got '\(s)')") }
            return i
        default: throw ModuleError("'\(key)' must be an integer")
        }
    }

    public func double(_ key: String) throws -> Double? {
        guard let v = values[key], !v.isNull else { return nil }
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s):
            guard let d = Double(s) else { throw ModuleError("'\(key)' must be a number (got '\(s)')") }
            return d
        default: throw ModuleError("'\(key)' must be a number")
        }
    }

    /// A list argument; a string is split on commas (Ansible accepts `name: a,b`).
    public func stringList(_ key: String) throws -> [String]? {
        guard let v = values[key], !v.isNull else { return nil }
        switch v {
        case .list(let items): return items.map(\.renderedString)
        case .string(let s):
            return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        default: return [v.renderedString]
        }
    }

    public func dict(_ key: String) throws -> [String: Value]? {
        guard let v = values[key], !v.isNull else { return nil }
        guard case .dict(let d) = v else { throw ModuleError("'\(key)' must be a mapping") }
        return [String: Value](d)
    }

    /// A string argument restricted to `choices`.
    public func choice(_ key: String, _ choices: [String]) throws -> String? {
        guard let s = try string(key) else { return nil }
        guard choices.contains(s) else {
            throw ModuleError("value of \(key) must be one of: \(choices.joined(separator: ", ")), got: \(s)")
        }
        return s
    }

    /// YAML 1.1 / Ansible boolean spellings.
    public static func parseBool(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "true", "yes", "on", "1", "y", "t": return true
        case "false", "no", "off", "0", "n", "f", "": return false
        default: return nil
        }
    }
}

import Foundation
