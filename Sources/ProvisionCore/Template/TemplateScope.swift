/// Where templates find variables: the executor supplies one per host and task, layering extra
/// vars, task vars, registered results and facts, play vars, host vars and group vars in its
/// own storage, and answering lookups by name without copying them into one dictionary.
///
/// A scope is used from one thread at a time (the host's queue); it need not be `Sendable`.
public protocol TemplateScope {
    /// The variable `name`, or nil when it is not defined.
    func lookup(_ name: String) -> ScopeEntry?
}

/// A variable found in a scope: a plain value, or a mapping resolved member by member
/// (`hostvars`, whose entries for other hosts are built only when a template reads them).
public enum ScopeEntry {
    case value(Value)
    case mapping(any LazyMapping)
}

/// A dict-like variable whose members are computed on demand. Templates read single members
/// (`hostvars[item].ansible_host`) without building the rest; using the whole mapping as a
/// value (`hostvars | to_json`) materialises every member.
public protocol LazyMapping {
    /// The member `key`, or nil when there is none.
    func member(_ key: String) -> ScopeEntry?
    /// Every key, for iteration, `in`, `length` and materialisation.
    var memberNames: [String] { get }
}

extension ScopeEntry {
    /// The entry as a plain value, materialising lazy mappings.
    public var materialized: Value {
        switch self {
        case .value(let v): return v
        case .mapping(let m): return m.materialized
        }
    }
}

extension LazyMapping {
    /// Every member as one dict value.
    public var materialized: Value {
        var out: [String: Value] = [:]
        for key in memberNames { if let entry = member(key) { out[key] = entry.materialized } }
        return .dict(out)
    }
}

/// A scope made of dictionaries searched in order (the first that has a name wins), plus
/// lazy mappings, plus an optional fallback scope. Dictionaries are copy-on-write, so building
/// one per task shares storage with the layers it came from.
public struct LayeredScope: TemplateScope {
    public var layers: [[String: Value]]
    public var mappings: [String: any LazyMapping]
    public var fallback: (any TemplateScope)?

    /// `layers` in precedence order: the first wins (extra vars first, group vars last).
    public init(_ layers: [[String: Value]], mappings: [String: any LazyMapping] = [:],
                fallback: (any TemplateScope)? = nil) {
        self.layers = layers
        self.mappings = mappings
        self.fallback = fallback
    }

    public func lookup(_ name: String) -> ScopeEntry? {
        for layer in layers { if let v = layer[name] { return .value(v) } }
        if let m = mappings[name] { return .mapping(m) }
        return fallback?.lookup(name)
    }
}

/// A scope answered by a closure, for callers that keep variables their own way.
public struct ClosureScope: TemplateScope {
    private let body: (String) -> ScopeEntry?
    public init(_ body: @escaping (String) -> ScopeEntry?) { self.body = body }
    public func lookup(_ name: String) -> ScopeEntry? { body(name) }
}

/// A lazy mapping answered by closures (for `hostvars`: host names, and one host's merged vars).
public struct ClosureMapping: LazyMapping {
    private let keys: () -> [String]
    private let body: (String) -> ScopeEntry?
    public init(keys: @escaping () -> [String], member: @escaping (String) -> ScopeEntry?) {
        self.keys = keys
        self.body = member
    }
    public func member(_ key: String) -> ScopeEntry? { body(key) }
    public var memberNames: [String] { keys() }
}
