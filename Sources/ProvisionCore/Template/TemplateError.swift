/// A template or expression that could not be parsed or evaluated.
///
/// Carries the text it came from and, when known, the offset (in Unicode scalars from the start
/// of that text) of the part at fault; the caller knows the file and adds `file:line:col`.
public struct TemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, so callers can treat undefined variables apart from syntax errors.
    public enum Kind: Hashable, Sendable {
        /// The text is not a valid template or expression.
        case syntax
        /// A variable (or a path into one, such as `result.stdout`) has no value.
        case undefined(String)
        /// A value had the wrong type for an operator, filter, test or call.
        case type
        /// Anything else raised while evaluating (a failing filter, `mandatory`, a bad regex).
        case evaluation
        /// A filter or test name provision does not have. Ansible only fails when it renders
        /// the template, so a playbook that holds one still loads (with a warning).
        case unknownName
    }

    public var kind: Kind
    public var message: String
    /// The template or expression text.
    public var source: String
    /// Offset of the fault in `source`, in Unicode scalars; nil when unknown.
    public var offset: Int?

    public init(_ kind: Kind, _ message: String, source: String = "", offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.source = source
        self.offset = offset
    }

    /// The name or path that was undefined, for `.undefined` errors.
    public var undefinedVariable: String? {
        if case .undefined(let name) = kind { return name }
        return nil
    }

    public var description: String {
        var s = message
        // A template file's whole text is no help in a message: name the line instead.
        if source.contains("\n") || source.unicodeScalars.count > 200 {
            if let (line, column, text) = position {
                let shown = text.count > 160 ? String(text.prefix(160)) + "…" : text
                return s + " at line \(line), column \(column) of the template: '\(shown)'"
            }
            return s + " in a template of \(source.split(separator: "\n", omittingEmptySubsequences: false).count) lines"
        }
        if !source.isEmpty { s += " in '\(source)'" }
        if let offset { s += " at offset \(offset)" }
        return s
    }

    /// Line and column (from 1) of `offset` in `source`, and that line's text.
    public var position: (line: Int, column: Int, text: String)? {
        guard let offset else { return nil }
        var line = 1, column = 1, lineStart = source.unicodeScalars.startIndex
        var i = source.unicodeScalars.startIndex, n = 0
        while i < source.unicodeScalars.endIndex && n < offset {
            if source.unicodeScalars[i] == "\n" {
                line += 1; column = 1
                lineStart = source.unicodeScalars.index(after: i)
            } else { column += 1 }
            i = source.unicodeScalars.index(after: i)
            n += 1
        }
        let rest = source.unicodeScalars[lineStart...]
        let end = rest.firstIndex(of: "\n") ?? rest.endIndex
        return (line, column, String(String.UnicodeScalarView(rest[..<end])))
    }

    static func syntax(_ message: String, at offset: Int?) -> TemplateError {
        TemplateError(.syntax, message, offset: offset)
    }

    static func undefined(_ path: String, at offset: Int? = nil) -> TemplateError {
        TemplateError(.undefined(path), "'\(path)' is undefined", offset: offset)
    }

    static func type(_ message: String, at offset: Int? = nil) -> TemplateError {
        TemplateError(.type, message, offset: offset)
    }

    static func evaluation(_ message: String, at offset: Int? = nil) -> TemplateError {
        TemplateError(.evaluation, message, offset: offset)
    }

    /// This error with `source` filled in when the thrower did not know it.
    func inSource(_ text: String) -> TemplateError {
        var copy = self
        if copy.source.isEmpty { copy.source = text }
        return copy
    }
}
