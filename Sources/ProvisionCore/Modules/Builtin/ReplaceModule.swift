/// `replace`: replaces every match of a regular expression in a file (optionally only between
/// `after` and `before`), with Ansible's semantics (see `ReplaceEdit`). Edits
/// `/boot/firmware/cmdline.txt`-style one-line files that lineinfile cannot.
public struct ReplaceModule: Module {
    public static let name = "replace"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("path", required: true, aliases: ["dest", "destfile", "name"]),
            .init("regexp", required: true), .init("replace", default: ""),
            .init("after"), .init("before"), .init("backup", .bool, default: false), .init("validate"),
        ] + FileAttributes.fields
    )

    public var path: String
    var edit: ReplaceEdit
    public var backup: Bool
    public var validate: String?
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        edit = ReplaceEdit(regexp: try args.requiredString("regexp"), replacement: try args.string("replace") ?? "",
                           after: try args.string("after"), before: try args.string("before"))
        backup = try args.bool("backup") ?? false
        validate = try args.string("validate")
        attributes = try FileAttributes(args)
        _ = try PythonRegex(edit.regexp)
        if let validate, !validate.contains("%s") { throw ModuleError("'validate' must contain %s (got '\(validate)')") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let runner = TextFileEdit(path: path, attributes: attributes, backup: backup, validate: validate,
                                  create: false, removing: false, backupKey: "backup_file")
        return try runner.run(in: context) { original in
            let r = try edit.apply(original ?? "")
            var e = TextFileEdit.Edit(text: r.text, changed: r.changed, message: r.message)
            if !r.changed && !r.message.isEmpty { e.data["msg"] = .string(r.message) }
            return e
        }
    }
}
