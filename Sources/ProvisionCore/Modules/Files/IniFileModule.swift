import Foundation

/// `ini_file` (community.general): sets, adds or removes `option = value` lines in a
/// section of an INI file on the host (see `IniFileEdit` for the exact edit). The file is
/// read and written in one round trip each, the edit runs on the controller.
public struct IniFileModule: Module {
    public static let name = "ini_file"
    public static let aliases = ["community.general.ini_file"]
    public static let argumentSpec = ArgumentSpec(
        [
            .init("path", required: true, aliases: ["dest"]), .init("section"), .init("option"),
            .init("value"), .init("values", .list), .init("backup", .bool, default: false),
            .init("state", choices: ["absent", "present"], default: "present"),
            .init("exclusive", .bool, default: true), .init("no_extra_spaces", .bool, default: false),
            .init("allow_no_value", .bool, default: false), .init("create", .bool, default: true),
        ] + FileAttributes.fields,
        mutuallyExclusive: [["value", "values"]]
    )

    public var path: String
    var edit: IniFileEdit
    public var backup: Bool
    public var create: Bool
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        let present = try args.choice("state", ["absent", "present"]) != "absent"
        let allowNoValue = try args.bool("allow_no_value") ?? false
        let value = try args.string("value")
        let values = try args.stringList("values")
        if present && !allowNoValue && value == nil && (values ?? []).isEmpty {
            throw ModuleError("Parameter 'value(s)' must be defined if state=present and allow_no_value=False.")
        }
        edit = IniFileEdit(section: try args.string("section"), option: try args.string("option"),
                           values: value.map { [$0] } ?? values ?? [], present: present,
                           exclusive: try args.bool("exclusive") ?? true,
                           noExtraSpaces: try args.bool("no_extra_spaces") ?? false, allowNoValue: allowNoValue)
        backup = try args.bool("backup") ?? false
        create = try args.bool("create") ?? true
        attributes = try FileAttributes(args)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let runner = TextFileEdit(path: path, attributes: attributes, backup: backup, validate: nil,
                                  create: create, removing: false, backupKey: "backup_file")
        var message = "OK"
        var result = try runner.run(in: context) { original in
            var text = original ?? ""
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() } // read as utf-8-sig, as Ansible does
            let r = edit.apply(LineInFileEdit.lines(text))
            message = r.message
            return .init(text: r.lines.joined(), changed: r.changed, message: r.message)
        }
        if !result.failed { result.message = message }
        return result
    }
}
