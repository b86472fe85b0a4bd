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
        if !source.isEmpty { s += " in '\(source)'" }
        if let offset { s += " at offset \(offset)" }
        return s
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
