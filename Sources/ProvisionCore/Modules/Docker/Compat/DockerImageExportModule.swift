import Foundation

/// `docker_image_export` (`community.docker.docker_image_export`): writes the images `names`
/// (names get `tag` when they have none; IDs work too) into one archive on the node (`path`),
/// with `docker image save`. An archive already there that holds the same image IDs under the
/// same names is left alone unless `force`. Returns `images` (inspect output).
public struct DockerImageExportModule: Module {
    public static let name = "docker_image_export"
    public static let aliases = ["community.docker.docker_image_export"]
    public static let argumentSpec = ArgumentSpec([
        .init("names", .list, required: true, aliases: ["name"]), .init("tag", default: "latest"),
        .init("path", required: true), .init("force", .bool, default: false), .init("platform"),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    var references: [String]
    var path: String
    var force: Bool

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        let tag = try a.string("tag") ?? "latest"
        references = try (a.stringList("names") ?? []).map { n in
            if DockerImageModule.isID(n) { return n }
            let (name, t) = DockerImageModule.split(name: n, tag: tag)
            return t.hasPrefix("sha256:") ? "\(name)@\(t)" : "\(name):\(t)"
        }
        if references.isEmpty { throw ModuleError("names must name at least one image") }
        path = try a.requiredString("path")
        force = try a.bool("force") ?? false
    }

    /// The image IDs and names an archive's `manifest.json` holds.
    static func archiveContents(_ manifest: String) -> (ids: Set<String>, names: Set<String>)? {
        guard let list = Value(jsonText: manifest)?.listValue else { return nil }
        var ids: Set<String> = [], names: Set<String> = []
        for entry in list {
            let config = entry["Config"]?.stringValue ?? ""
            let hex = config.split(separator: "/").last.map { String($0.replacingOccurrences(of: ".json", with: "")) } ?? ""
            ids.insert("sha256:" + hex)
            for t in entry["RepoTags"]?.listValue ?? [] { names.insert(t.renderedString) }
        }
        return (ids, names)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        var images: [Value] = []
        for r in references {
            guard let i = try cli.inspect("image", r) else { return .failed("Cannot find image \(r)") }
            images.append(i)
        }
        let wantIDs = Set(images.compactMap { $0["Id"]?.stringValue })
        let wantNames = Set(references.filter { !DockerImageModule.isID($0) })
        var changed = true
        if !force {
            let m = try context.run("tar -xOf \(Shell.quote(path)) manifest.json 2>/dev/null")
            if m.succeeded, let have = Self.archiveContents(m.stdoutText), have.ids == wantIDs, wantNames.isSubset(of: have.names) {
                changed = false
            }
        }
        if changed && !context.checkMode {
            try cli.must(["image", "save", "--output", path] + references, what: "Error exporting image archive \(path)")
        }
        return ModuleResult(changed: changed, message: changed ? "Exported images to \(path)" : nil, data: ["images": .list(images)])
    }
}
