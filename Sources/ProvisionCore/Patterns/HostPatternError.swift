/// A host pattern that cannot be used: a syntax error, an unreadable `@FILE`, or a part that
/// matches no host. The message names the pattern; the hint lists the groups that exist.
public struct HostPatternError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var hint: String?
    /// Set when the problem is a line of an `@FILE`.
    public var location: SourceLocation?

    public init(_ message: String, hint: String? = nil, location: SourceLocation? = nil) {
        self.message = message
        self.hint = hint
        self.location = location
    }

    public var description: String {
        var s = location.map { "\($0): error: " } ?? "error: "
        s += message
        if let hint { s += "\n  hint: \(hint)" }
        return s
    }
}
