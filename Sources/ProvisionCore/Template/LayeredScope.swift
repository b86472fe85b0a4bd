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
