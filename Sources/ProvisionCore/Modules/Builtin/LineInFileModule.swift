/// `lineinfile`: makes sure one line is in a file (or that matching lines are not), with
/// Ansible's semantics (see `LineInFileEdit`).
public struct LineInFileModule: Module {
    public static let name = "lineinfile"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("path", required: true, aliases: ["dest", "destfile", "name"]),
            .init("state", choices: ["present", "absent"], default: "present"),
            .init("regexp", aliases: ["regex"]), .init("search_string"), .init("line", aliases: ["value"]),
            .init("insertafter"), .init("insertbefore"),
            .init("backrefs", .bool, default: false), .init("create", .bool, default: false),
            .init("backup", .bool, default: false), .init("firstmatch", .bool, default: false),
            .init("validate"),
        ] + FileAttributes.fields,
        mutuallyExclusive: [["insertbefore", "insertafter"], ["regexp", "search_string"], ["backrefs", "search_string"]]
    )

    public var path: String
    public var present: Bool
    var edit: LineInFileEdit
    public var create: Bool
    public var backup: Bool
    public var validate: String?
    var attributes: FileAttributes
    /// Warnings found while reading the arguments (an empty regexp matches every line).
    public var warnings: [String] = []

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        let regexp = try args.string("regexp")
        edit = LineInFileEdit(line: try args.string("line"), regexp: try regexp.map(PythonRegex.init),
                              searchString: try args.string("search_string"),
                              insertAfter: try args.string("insertafter"), insertBefore: try args.string("insertbefore"),
                              backrefs: try args.bool("backrefs") ?? false, firstMatch: try args.bool("firstmatch") ?? false)
        create = try args.bool("create") ?? false
        backup = try args.bool("backup") ?? false
        validate = try args.string("validate")
        attributes = try FileAttributes(args)
        if present {
            if edit.line == nil { throw ModuleError("'line' is required with state=present") }
            if edit.backrefs && regexp == nil { throw ModuleError("'regexp' is required with backrefs=true") }
        } else if edit.line == nil && regexp == nil && edit.searchString == nil {
            throw ModuleError("one of 'line', 'search_string' or 'regexp' is required with state=absent")
        }
        if regexp == "" || edit.searchString == "" {
            warnings.append("an empty regexp or search_string matches every line of the file; use '^' if that is meant")
        }
        if let validate, !validate.contains("%s") { throw ModuleError("'validate' must contain %s (got '\(validate)')") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let runner = TextFileEdit(path: path, attributes: attributes, backup: backup, validate: validate,
                                  create: create, removing: !present)
        var result = try runner.run(in: context) { original in
            let lines = LineInFileEdit.lines(original ?? "")
            if present {
                let r = try edit.present(lines)
                return .init(text: r.lines.joined(), changed: r.changed, message: r.message)
            }
            let r = edit.absent(lines)
            return .init(text: r.lines.joined(), changed: r.changed, message: r.message, data: ["found": .int(r.found)])
        }
        result.warnings += warnings
        return result
    }
}
