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
