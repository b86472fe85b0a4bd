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
            .init("newline_sequence", choices: ["\\n", "\\r", "\\r\\n"], default: "\\n"),
        ] + FileAttributes.fields
    )

    public var src: String
    public var dest: String
    var attributes: FileAttributes
    public var backup: Bool
    public var force: Bool
    public var validate: String?
    public var newlineSequence: String

    public init(arguments args: ModuleArguments) throws {
        src = try args.requiredString("src")
        dest = try args.requiredString("dest")
        attributes = try FileAttributes(args)
        backup = try args.bool("backup") ?? false
        force = try args.bool("force") ?? true
        validate = try args.string("validate")
        let escaped = try args.choice("newline_sequence", ["\\n", "\\r", "\\r\\n"]) ?? "\\n"
        newlineSequence = escaped.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\r", with: "\r")
        if let validate, !validate.contains("%s") { throw ModuleError("'validate' must contain %s (got '\(validate)')") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let path = context.controllerPath(src)
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failed("template \(path) not found or not readable on the controller")
        }
        guard let source = String(data: data, encoding: .utf8) else {
            return .failed("template \(path) is not UTF-8 text")
        }
        var rendered: String
        do {
            rendered = try context.renderTemplate(source)
        } catch {
            return .failed("rendering \(path) failed: \(error)")
        }
        if newlineSequence != "\n" { rendered = rendered.replacingOccurrences(of: "\n", with: newlineSequence) }
        // A template whose name ends in .j2 names its destination without it, when dest is a dir.
        var name = (path as NSString).lastPathComponent
        if name.hasSuffix(".j2") { name = String(name.dropLast(3)) }
        let deployment = ContentDeployment(dest: dest, content: Data(rendered.utf8), sourceName: name,
                                           attributes: attributes, backup: backup, force: force, validate: validate)
        return try deployment.run(in: context)
    }
}
