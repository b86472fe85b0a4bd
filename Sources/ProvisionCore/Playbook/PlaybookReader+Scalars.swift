import Yams

/// Typed reads of keyword values; a wrong type is a diagnostic at the value, and nil.
extension PlaybookReader {
    func bool(_ node: Node, _ file: String, _ key: String) -> Bool? {
        switch value(node, file) {
        case .bool(let b): return b
        case .string(let s):
            if let b = ModuleArguments.parseBool(s), !s.isEmpty { return b }
        case .int(let i) where i == 0 || i == 1: return i == 1
        default: break
        }
        error("'\(key)' must be true or false", location(node, file))
        return nil
    }

    func string(_ node: Node, _ file: String, _ key: String) -> String? {
        switch value(node, file) {
        case .string(let s): return s
        case .int, .double, .bool: return value(node, file).renderedString
        default:
            error("'\(key)' must be a string", location(node, file))
            return nil
        }
    }

    func int(_ node: Node, _ file: String, _ key: String) -> Int? {
        switch value(node, file) {
        case .int(let i) where i >= 0: return i
        case .string(let s): if let i = Int(s), i >= 0 { return i }
        default: break
        }
        error("'\(key)' must be a whole number, 0 or more", location(node, file))
        return nil
    }

    func number(_ node: Node, _ file: String, _ key: String) -> Double? {
        switch value(node, file) {
        case .int(let i) where i >= 0: return Double(i)
        case .double(let d) where d >= 0: return d
        case .string(let s): if let d = Double(s), d >= 0 { return d }
        default: break
        }
        error("'\(key)' must be a number of seconds, 0 or more", location(node, file))
        return nil
    }

    func dict(_ node: Node, _ file: String, _ key: String) -> [String: Value]? {
        if case .null = value(node, file) { return [:] }
        guard node.mapping != nil, case .dict(let d) = value(node, file) else {
            error("'\(key)' must be a mapping of names to values", location(node, file))
            return nil
        }
        for (k, _) in d where k.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) == nil {
            error("'\(k)' is not a valid variable name (letters, digits and _, not starting with a digit)",
                  location(node, file))
        }
        return [String: Value](d)
    }

    /// A list of strings, or one string split on commas (`tags: a,b`).
    func stringList(_ node: Node, _ file: String, _ key: String) -> [String] {
        switch value(node, file) {
        case .null: return []
        case .string(let s):
            return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .int, .bool, .double: return [value(node, file).renderedString]
        case .list(let items):
            var out: [String] = []
            for item in items {
                switch item {
                case .string, .int, .bool, .double: out.append(item.renderedString)
                default: error("'\(key)' must list strings", location(node, file))
                }
            }
            return out
        case .dict:
            error("'\(key)' must be a string or a list of strings", location(node, file))
            return []
        }
    }
}

import Foundation
