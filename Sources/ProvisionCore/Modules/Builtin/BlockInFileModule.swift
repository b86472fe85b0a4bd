/// `blockinfile`: a block of lines between marker lines, inserted, updated or removed, with
/// Ansible's semantics (see `BlockInFileEdit`).
public struct BlockInFileModule: Module {
    public static let name = "blockinfile"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("path", required: true, aliases: ["dest", "destfile", "name"]),
            .init("state", choices: ["present", "absent"], default: "present"),
            .init("marker", default: "# {mark} ANSIBLE MANAGED BLOCK"),
            .init("block", aliases: ["content"], default: ""),
            .init("insertafter"), .init("insertbefore"),
            .init("create", .bool, default: false), .init("backup", .bool, default: false),
            .init("marker_begin", default: "BEGIN"), .init("marker_end", default: "END"),
            .init("append_newline", .bool, default: false), .init("prepend_newline", .bool, default: false),
            .init("validate"),
        ] + FileAttributes.fields,
        mutuallyExclusive: [["insertbefore", "insertafter"]]
    )

    public var path: String
    var edit: BlockInFileEdit
    public var create: Bool
    public var backup: Bool
    public var validate: String?
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        let present = try args.choice("state", ["present", "absent"]) != "absent"
        edit = BlockInFileEdit(block: try args.string("block") ?? "",
                               marker: try args.string("marker") ?? "# {mark} ANSIBLE MANAGED BLOCK",
                               markerBegin: try args.string("marker_begin") ?? "BEGIN",
                               markerEnd: try args.string("marker_end") ?? "END",
                               insertAfter: try args.string("insertafter"), insertBefore: try args.string("insertbefore"),
                               present: present, appendNewline: try args.bool("append_newline") ?? false,
                               prependNewline: try args.bool("prepend_newline") ?? false)
        create = try args.bool("create") ?? false
        backup = try args.bool("backup") ?? false
        validate = try args.string("validate")
        attributes = try FileAttributes(args)
        if !edit.marker.contains("{mark}") {
            throw ModuleError("'marker' must contain {mark} so the begin and end lines differ (got '\(edit.marker)')")
        }
        if let insertAfter = edit.insertAfter, insertAfter != "EOF" { _ = try PythonRegex(insertAfter) }
        if let insertBefore = edit.insertBefore, insertBefore != "BOF" { _ = try PythonRegex(insertBefore) }
        if let validate, !validate.contains("%s") { throw ModuleError("'validate' must contain %s (got '\(validate)')") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let runner = TextFileEdit(path: path, attributes: attributes, backup: backup, validate: validate,
                                  create: create, removing: !edit.present, backupKey: "backup_file")
        return try runner.run(in: context) { original in
            let r = try edit.apply(original)
            return .init(text: r.text, changed: r.changed, message: r.message)
        }
    }
}
