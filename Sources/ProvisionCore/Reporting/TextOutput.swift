import Foundation

/// Where a reporter writes text: standard output, standard error, or a buffer in tests.
///
/// Reporters write only from the reporter queue, so writes never interleave.
public final class TextOutput: @unchecked Sendable {
    private let sink: (String) -> Void

    public init(_ sink: @escaping (String) -> Void) { self.sink = sink }

    public func write(_ text: String) { sink(text) }

    public static func fileHandle(_ handle: FileHandle) -> TextOutput {
        TextOutput { handle.write(Data($0.utf8)) }
    }

    public static var standardOutput: TextOutput { fileHandle(.standardOutput) }
    public static var standardError: TextOutput { fileHandle(.standardError) }
}

/// A `TextOutput` that keeps what is written, for tests and for callers that print later.
public final class TextBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    public init() {}

    public var output: TextOutput { TextOutput { s in self.lock.withLock { self.text += s } } }
    public var contents: String { lock.withLock { text } }
}
