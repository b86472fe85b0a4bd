import Foundation

/// `template`: renders a controller-side template with the host's variables (through
/// `HostContext.renderTemplate`, on the controller) and puts the text at `dest` as `copy` does.
public struct TemplateModule: Module {
    public static let name = "template"
    public static let controllerSubdirectory: String? = "templates"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("src", required: true), .init("dest", required: true),
            .init("backup", .bool, default: false), .init("force", .bool, default: true),
            .init("validate"), // Written as escapes in YAML ('\n'), as Ansible takes them.
            // Escaped ('\n' in YAML) or the characters themselves, as Ansible's action takes both.
            .init("newline_sequence", choices: ["\\n", "\\r", "\\r\\n", "\n", "\r", "\r\n"], default: "\\n"),
            .init("trim_blocks", .bool, default: true), .init("lstrip_blocks", .bool, default: false),
            .init("output_encoding", default: "utf-8"),
        ] + TemplateDelimiters.optionNames.map { .init($0) } + FileAttributes.fields
    )

    public var src: String
    public var dest: String
    var attributes: FileAttributes
    public var backup: Bool
    public var force: Bool
    public var validate: String?
    public var newlineSequence: String
    /// Jinja's `trim_blocks` and `lstrip_blocks` for this file; the template's own `#jinja2:`
    /// line overrides them, as in Ansible (its header is read after the action's settings).
    public var trimBlocks: Bool
    public var lstripBlocks: Bool
    /// The encoding the rendered text is written in (`output_encoding`).
    var outputEncoding: String.Encoding
    /// `variable_start_string` and the other delimiter options given, as `#jinja2:` options.
    var delimiterOptions: [String] = []

    public init(arguments args: ModuleArguments) throws {
        src = try args.requiredString("src")
        dest = try args.requiredString("dest")
        attributes = try FileAttributes(args)
        backup = try args.bool("backup") ?? false
        force = try args.bool("force") ?? true
        validate = try args.string("validate")
        let escaped = try args.choice("newline_sequence", ["\\n", "\\r", "\\r\\n", "\n", "\r", "\r\n"]) ?? "\\n"
        newlineSequence = escaped.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\r", with: "\r")
        trimBlocks = try args.bool("trim_blocks") ?? true
        lstripBlocks = try args.bool("lstrip_blocks") ?? false
        let encodingName = try args.string("output_encoding") ?? "utf-8"
        guard let enc = Self.encoding(named: encodingName) else {
            throw ModuleError("'output_encoding' \(encodingName) is not supported; use utf-8, utf-16, utf-32, latin-1 (iso-8859-1), ascii or cp1252")
        }
        outputEncoding = enc
        delimiterOptions = try TemplateOptions.delimiterHeaderOptions { try args.string($0) }
        if let validate, !validate.contains("%s") { throw ModuleError("'validate' must contain %s (got '\(validate)')") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let path = context.controllerFile(src, in: "templates")
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failed("template \(path) not found or not readable on the controller")
        }
        guard let source = String(data: data, encoding: .utf8) else {
            return .failed("template \(path) is not UTF-8 text")
        }
        var rendered: String
        do {
            if let renderFile = context.renderTemplateFile {
                // Ansible's template vars: src as written, the file found for it, dest as written.
                let fileVars = try TemplateFileVariables.make(path: src, fullPath: path, destPath: dest,
                                                              managed: context.ansibleManaged)
                rendered = try renderFile(withOptions(source), fileVars)
            } else {
                rendered = try context.renderTemplate(withOptions(source))
            }
        } catch {
            return .failed("rendering \(path) failed: \(error)")
        }
        if newlineSequence != "\n" { rendered = rendered.replacingOccurrences(of: "\n", with: newlineSequence) }
        // A template whose name ends in .j2 names its destination without it, when dest is a dir.
        var name = (path as NSString).lastPathComponent
        if name.hasSuffix(".j2") { name = String(name.dropLast(3)) }
        guard let bytes = rendered.data(using: outputEncoding) else {
            return .failed("the rendered template cannot be written in \(outputEncoding)")
        }
        let deployment = ContentDeployment(dest: dest, content: bytes, sourceName: name,
                                           attributes: attributes, backup: backup, force: force, validate: validate)
        return try deployment.run(in: context)
    }

    /// The source with the module's Jinja options in its `#jinja2:` line, ahead of any the file
    /// sets itself, so that the file's own win. Nothing is added for Ansible's defaults.
    func withOptions(_ source: String) -> String {
        var options: [String] = []
        if !trimBlocks { options.append("trim_blocks: False") }
        if lstripBlocks { options.append("lstrip_blocks: True") }
        return TemplateOptions.withHeader(source, options: options + delimiterOptions)
    }

    /// Python codec names as `output_encoding` takes them.
    static func encoding(named name: String) -> String.Encoding? {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": return .utf8
        case "utf-16", "utf16": return .utf16
        case "utf-32", "utf32": return .utf32
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1": return .isoLatin1
        case "ascii", "us-ascii": return .ascii
        case "cp1252", "windows-1252": return .windowsCP1252
        default: return nil
        }
    }
}
