import Foundation

/// One problem found while reading a user's file, with where it is and what to do.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    /// What the user should do about it, when there is something specific to say.
    public var hint: String?

    public init(_ message: String, at location: SourceLocation, hint: String? = nil) {
        self.message = message
        self.location = location
        self.hint = hint
    }

    public var description: String {
        var s = "\(location): error: \(message)"
        if let hint { s += "\n  hint: \(hint)" }
        return s
    }

    /// The message with the offending source line and a caret under the column, when the file
    /// can be read.
    public func rendered() -> String {
        var s = description
        guard location.line > 0,
              let text = try? String(contentsOfFile: location.file, encoding: .utf8)
        else { return s }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard location.line <= lines.count else { return s }
        let src = String(lines[location.line - 1])
        s += "\n  \(src)"
        if location.column > 0 {
            s += "\n  " + String(repeating: " ", count: max(0, location.column - 1)) + "^"
        }
        return s
    }
}

/// Every problem found in one load, reported together before any host is contacted.
public struct LoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }

    public var description: String { diagnostics.map { $0.rendered() }.joined(separator: "\n") }
}

/// Collects diagnostics while a loader walks a file, so all of them are reported at once.
public struct DiagnosticCollector: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []
    public init() {}
    public mutating func add(_ d: Diagnostic) { diagnostics.append(d) }
    public mutating func add(_ message: String, at location: SourceLocation, hint: String? = nil) {
        diagnostics.append(Diagnostic(message, at: location, hint: hint))
    }
    public var isEmpty: Bool { diagnostics.isEmpty }
    /// Throws a `LoadError` holding everything collected, if anything was.
    public func throwIfAny() throws {
        if !diagnostics.isEmpty { throw LoadError(diagnostics) }
    }
}
