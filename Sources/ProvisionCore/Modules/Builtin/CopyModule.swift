import Foundation

/// `copy`: puts a controller file (`src`) or literal text (`content`) at `dest` on the host.
///
/// Sends nothing when the remote SHA-256 already matches; a directory `dest` (or one ending in
/// `/`) receives `dest/basename(src)`. A directory `src` is copied recursively (see
/// `DirectoryCopy`): `src: dir` makes `dest/dir`, `src: dir/` fills `dest` with its contents.
public struct CopyModule: Module {
    public static let name = "copy"
    public static let controllerSubdirectory: String? = "files"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("src"), .init("content", .any), .init("dest", required: true),
            .init("backup", .bool, default: false), .init("force", .bool, aliases: ["thirsty"], default: true),
            .init("validate"), .init("remote_src", .bool, default: false), .init("directory_mode", .mode),
        ] + FileAttributes.fields,
        requiredOneOf: [["src", "content"]],
        mutuallyExclusive: [["src", "content"]]
    )

    public var src: String?
    public var content: String?
    public var dest: String
    var attributes: FileAttributes
    public var backup: Bool
    public var force: Bool
    public var validate: String?
    public var remoteSrc: Bool
    var directoryMode: String?

    public init(arguments args: ModuleArguments) throws {
        src = try args.string("src")
        if let v = args.values["content"], !v.isNull {
            // A dict or list given as content is written as JSON, as Ansible does.
            switch v {
            case .list, .dict: content = v.jsonString
            default: content = v.renderedString
            }
        }
        dest = try args.requiredString("dest")
        attributes = try FileAttributes(args)
        backup = try args.bool("backup") ?? false
        force = try args.bool("force") ?? true
        validate = try args.string("validate")
        remoteSrc = try args.bool("remote_src") ?? false
        directoryMode = try FileAttributes.mode(args.values["directory_mode"])
        if src == nil && content == nil { throw ModuleError("one of 'src' or 'content' is required") }
        if let validate, !validate.contains("%s") { throw ModuleError("'validate' must contain %s (got '\(validate)')") }
        if remoteSrc && src == nil { throw ModuleError("'remote_src' needs 'src' (a file on the host)") }
        if remoteSrc && validate != nil {
            throw ModuleError("'validate' together with 'remote_src' is not supported yet; validate the file in a separate task")
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let bytes: Data
        var name: String?
        if remoteSrc, let src {
            return try RemoteCopy(src: src, dest: dest, attributes: attributes, backup: backup, force: force).run(in: context)
        }
        if let content {
            bytes = Data(content.utf8)
        } else if let src {
            let path = context.controllerFile(src, in: "files")
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                return .failed("source \(path) not found on the controller")
            }
            if isDir.boolValue {
                let copy = DirectoryCopy(source: path, dest: dest, contentsOnly: src.hasSuffix("/"), attributes: attributes,
                                         directoryMode: directoryMode, force: force, backup: backup)
                return try copy.run(in: context)
            }
            guard let d = FileManager.default.contents(atPath: path) else {
                return .failed("cannot read source \(path) on the controller")
            }
            bytes = d
            name = (path as NSString).lastPathComponent
        } else {
            return .failed("one of 'src' or 'content' is required")
        }
        let deployment = ContentDeployment(dest: dest, content: bytes, sourceName: name, attributes: attributes,
                                           backup: backup, force: force, validate: validate)
        return try deployment.run(in: context)
    }
}
