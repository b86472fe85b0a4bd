/// A dict-like variable whose members are computed on demand. Templates read single members
/// (`hostvars[item].ansible_host`) without building the rest; using the whole mapping as a
/// value (`hostvars | to_json`) materialises every member.
public protocol LazyMapping {
    /// The member `key`, or nil when there is none.
    func member(_ key: String) -> ScopeEntry?
    /// Every key, for iteration, `in`, `length` and materialisation.
    var memberNames: [String] { get }
}

extension LazyMapping {
    /// Every member as one dict value.
    public var materialized: Value {
        var out = ValueDict()
        for key in memberNames { if let entry = member(key) { out[key] = entry.materialized } }
        return .dict(out)
    }
}
