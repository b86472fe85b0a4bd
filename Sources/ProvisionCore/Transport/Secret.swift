/// A value that must never be printed: passwords, passphrases, join tokens.
///
/// Its `description` and `debugDescription` are a fixed mask, so string interpolation, `dump`
/// and error messages cannot leak it by accident; `reveal()` is the one way to the text.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The secret's text, for the one place that must hand it to a peer (sudo's stdin, libssh2).
    public func reveal() -> String { value }

    public var isEmpty: Bool { value.isEmpty }
    public var description: String { "********" }
    public var debugDescription: String { "Secret(********)" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
