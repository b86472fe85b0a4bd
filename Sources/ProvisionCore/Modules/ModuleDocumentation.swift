/// What `provision doc MODULE` shows beyond the argument specification: a summary, the
/// arguments' descriptions, the registered return values and an example task. The argument
/// names, kinds, defaults, choices and aliases always come from `argumentSpec`, the same
/// specification the loader checks, so the page cannot drift from what is accepted.
public struct ModuleDocumentation: Sendable {
    public var summary: String
    /// Argument name → one-line description.
    public var arguments: [String: String]
    /// Registered keys → description, in the order shown.
    public var returns: [(key: String, description: String)]
    /// YAML of one or more example tasks.
    public var example: String

    public init(summary: String, arguments: [String: String] = [:], returns: [(key: String, description: String)] = [],
                example: String = "") {
        self.summary = summary
        self.arguments = arguments
        self.returns = returns
        self.example = example
    }
}

/// Modules that document themselves for `provision doc`.
public protocol DocumentedModule: Module {
    static var documentation: ModuleDocumentation { get }
}

/// Renders a module's page for `provision doc` (the role of `ansible-doc`).
public enum ModuleDocRenderer {
    /// The page for `type`, as plain text.
    public static func page(for type: any Module.Type) -> String {
        let doc = (type as? any DocumentedModule.Type)?.documentation
        let spec = type.argumentSpec
        var out = "\(type.name)"
        if !type.aliases.isEmpty { out += " (also: \(type.aliases.joined(separator: ", ")))" }
        out += "\n"
        if let doc { out += "  " + doc.summary + "\n" }
        out += "\nARGUMENTS\n"
        for f in spec.fields.sorted(by: { $0.name < $1.name }) where !f.name.hasPrefix("_") {
            var facts = [f.kind.rawValue]
            if f.required { facts.append("required") }
            if let d = f.defaultValue { facts.append("default: \(d.isNull ? "null" : d.jsonString)") }
            if let c = f.choices { facts.append("choices: \(c.joined(separator: ", "))") }
            if !f.aliases.isEmpty { facts.append("aliases: \(f.aliases.joined(separator: ", "))") }
            out += "  \(f.name)  (\(facts.joined(separator: "; ")))\n"
            if let text = doc?.arguments[f.name] { out += "      \(text)\n" }
        }
        if spec.freeForm { out += "  (free form: the text after the module name)\n" }
        for g in spec.requiredOneOf { out += "  one of these is required: \(g.joined(separator: ", "))\n" }
        for g in spec.mutuallyExclusive { out += "  mutually exclusive: \(g.joined(separator: ", "))\n" }
        out += "\nCHECK MODE\n  " + (type.supportsCheckMode ? "supported" : "not supported: the task is skipped in check mode") + "\n"
        if let doc, !doc.returns.isEmpty {
            out += "\nRETURN VALUES\n"
            for r in doc.returns { out += "  \(r.key)\n      \(r.description)\n" }
        }
        if let doc, !doc.example.isEmpty {
            out += "\nEXAMPLE\n" + doc.example.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// One line per module: name and summary.
    public static func list() -> String {
        ModuleRegistry.builtins.sorted { $0.name < $1.name }.map { t in
            let summary = (t as? any DocumentedModule.Type)?.documentation.summary ?? ""
            return t.name.padding(toLength: 26, withPad: " ", startingAt: 0) + summary
        }.joined(separator: "\n") + "\n"
    }
}
