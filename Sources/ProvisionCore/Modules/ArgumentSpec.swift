/// The arguments a module accepts, checked at load time (Ansible's `argument_spec`).
public struct ArgumentSpec: Sendable {
    public enum Kind: String, Sendable {
        case string, bool, int, number, list, dict, any
        /// A file mode: an octal string (`"0644"`), an int written in octal, or symbolic (`u+x`).
        case mode
    }

    public struct Field: Sendable {
        public var name: String
        public var kind: Kind
        public var required: Bool
        /// Allowed values for a string field (checked when the value is not templated).
        public var choices: [String]?
        public var aliases: [String]
        public var defaultValue: Value?

        public init(_ name: String, _ kind: Kind = .string, required: Bool = false,
                    choices: [String]? = nil, aliases: [String] = [], default defaultValue: Value? = nil) {
            self.name = name
            self.kind = kind
            self.required = required
            self.choices = choices
            self.aliases = aliases
            self.defaultValue = defaultValue
        }
    }

    public var fields: [Field]
    /// The module takes a free-form string (`command: ls -l`), stored as `_raw_params`.
    public var freeForm: Bool
    /// Each group needs at least one of its fields.
    public var requiredOneOf: [[String]]
    /// In each group at most one field may be given.
    public var mutuallyExclusive: [[String]]
    /// Keys not in `fields` are accepted as they are (`set_fact`'s variable names).
    public var acceptsAnyKey: Bool

    public init(_ fields: [Field], freeForm: Bool = false, requiredOneOf: [[String]] = [],
                mutuallyExclusive: [[String]] = [], acceptsAnyKey: Bool = false) {
        self.fields = fields
        self.freeForm = freeForm
        self.requiredOneOf = requiredOneOf
        self.mutuallyExclusive = mutuallyExclusive
        self.acceptsAnyKey = acceptsAnyKey
    }

    /// The field a key names, directly or by alias.
    public func field(named key: String) -> Field? {
        fields.first { $0.name == key || $0.aliases.contains(key) }
    }

    /// True when a value still holds template syntax, so its type can only be checked once
    /// rendered on a host.
    public static func isTemplated(_ value: Value) -> Bool {
        if case .string(let s) = value { return s.contains("{{") || s.contains("{%") }
        return false
    }

    /// Problems with `arguments` (keys as written, each with its value): unknown keys,
    /// missing required ones, literal values of the wrong kind or outside `choices`.
    /// Returned as messages keyed by the argument they concern (nil: the module as a whole).
    public func problems(in arguments: [String: Value]) -> [(key: String?, message: String)] {
        var out: [(String?, String)] = []
        for (key, value) in arguments.sorted(by: { $0.key < $1.key }) {
            if key == "_raw_params" {
                if !freeForm { out.append((nil, "this module takes no free-form argument")) }
                continue
            }
            guard let f = field(named: key) else {
                if acceptsAnyKey { continue }
                let known = fields.map(\.name).sorted().joined(separator: ", ")
                out.append((key, "unknown argument '\(key)'; this module accepts: \(known)"))
                continue
            }
            if Self.isTemplated(value) || value.isNull { continue }
            if let msg = kindProblem(f, value) { out.append((key, msg)) }
        }
        // Ansible's own wording, one message for all of them (tests compare it exactly).
        let missing = fields.filter { f in
            f.required && !(freeForm && f.name == "_raw_params") && !([f.name] + f.aliases).contains { arguments[$0] != nil }
        }
        if !missing.isEmpty {
            out.append((nil, "missing required arguments: \(missing.map(\.name).joined(separator: ", "))"))
        }
        for group in requiredOneOf where !group.contains(where: { name in
            guard let f = field(named: name) else { return arguments[name] != nil }
            return ([f.name] + f.aliases).contains { arguments[$0] != nil }
        }) {
            out.append((nil, "one of these arguments is required: \(group.joined(separator: ", "))"))
        }
        for group in mutuallyExclusive {
            let given = group.filter { name in
                guard let f = field(named: name) else { return arguments[name] != nil }
                return ([f.name] + f.aliases).contains { arguments[$0] != nil }
            }
            if given.count > 1 {
                out.append((nil, "these arguments are mutually exclusive: \(given.joined(separator: ", "))"))
            }
        }
        return out
    }

    private func kindProblem(_ f: Field, _ value: Value) -> String? {
        switch (f.kind, value) {
        case (.any, _): return nil
        case (.string, .string(let s)):
            if let choices = f.choices, !choices.contains(s) {
                // Ansible's wording (tests of published collections compare it).
                return "value of \(f.name) must be one of: \(choices.joined(separator: ", ")), got: \(s)"
            }
            return nil
        case (.string, .int), (.string, .double), (.string, .bool):
            if let choices = f.choices, !choices.contains(value.renderedString.lowercased()) {
                return "value of \(f.name) must be one of: \(choices.joined(separator: ", ")), got: \(value.renderedString)"
            }
            return nil
        case (.bool, .bool): return nil
        case (.bool, .string(let s)):
            return ModuleArguments.parseBool(s) == nil ? "'\(f.name)' must be a boolean (got '\(s)')" : nil
        case (.int, .int), (.number, .int), (.number, .double): return nil
        case (.int, .string(let s)):
            return Int(s) == nil ? "'\(f.name)' must be an integer (got '\(s)')" : nil
        case (.number, .string(let s)):
            return Double(s) == nil ? "'\(f.name)' must be a number (got '\(s)')" : nil
        case (.list, .list), (.list, .string): return nil
        case (.dict, .dict): return nil
        case (.mode, .int), (.mode, .string): return nil
        default:
            return "'\(f.name)' must be a \(f.kind.rawValue)"
        }
    }
}
