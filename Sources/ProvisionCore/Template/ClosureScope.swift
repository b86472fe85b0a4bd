/// A scope answered by a closure, for callers that keep variables their own way.
public struct ClosureScope: TemplateScope {
    private let body: (String) -> ScopeEntry?
    public init(_ body: @escaping (String) -> ScopeEntry?) { self.body = body }
    public func lookup(_ name: String) -> ScopeEntry? { body(name) }
}
