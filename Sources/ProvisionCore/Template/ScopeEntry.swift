/// A variable found in a scope: a plain value, or a mapping resolved member by member
/// (`hostvars`, whose entries for other hosts are built only when a template reads them).
public enum ScopeEntry {
    case value(Value)
    case mapping(any LazyMapping)
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
