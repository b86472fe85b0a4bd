import Foundation

/// `docker_image_remove` (`community.docker.docker_image_remove`): removes `name:tag` (or an
/// image ID) with `docker image rm` (`force`; `prune: false` keeps untagged parents). Returns
/// `image` (as it was), `deleted` and `untagged` (the engine's report).
public struct DockerImageRemoveModule: Module {
    public static let name = "docker_image_remove"
    public static let aliases = ["community.docker.docker_image_remove"]
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true), .init("tag", default: "latest"),
        .init("force", .bool, default: false), .init("prune", .bool, default: true),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    var name, tag: String
    var force, prune: Bool

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        (name, tag) = DockerImageModule.split(name: try a.requiredString("name"), tag: try a.string("tag") ?? "latest")
        force = try a.bool("force") ?? false
        prune = try a.bool("prune") ?? true
    }

    var reference: String {
        DockerImageModule.isID(name) ? name : (tag.hasPrefix("sha256:") ? "\(name)@\(tag)" : "\(name):\(tag)")
    }

    /// The parts of an image the diff shows.
    static func summary(_ image: Value?) -> Value {
        guard let i = image else { return .dict(["exists": false]) }
        return .dict(["exists": true, "id": i["Id"] ?? .null, "tags": i["RepoTags"] ?? .list([]),
                      "digests": i["RepoDigests"] ?? .list([])])
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        let image = try cli.inspect("image", reference)
        var deleted: [Value] = [], untagged: [Value] = []
        var after: Value = .dict(["exists": false])
        if let image {
            let tags = image["RepoTags"]?.listValue ?? []
            if context.checkMode {
                // What the engine will do: drop the one name while others remain, else the image.
                if !DockerImageModule.isID(name) && tags.count > 1 {
                    untagged = [.string(reference)]
                    var rest = image
                    if case .dict(var d) = image { d["RepoTags"] = .list(tags.filter { $0.stringValue != reference }); rest = .dict(d) }
                    after = Self.summary(rest)
                } else {
                    untagged = tags + (image["RepoDigests"]?.listValue ?? [])
                    deleted = [image["Id"] ?? .null]
                }
            } else {
                let out = try cli.must(["image", "rm"] + (force ? ["--force"] : []) + (prune ? [] : ["--no-prune"]) + [reference],
                                       what: "Error removing image \(reference)")
                for line in out.split(whereSeparator: \.isNewline) {
                    if line.hasPrefix("Untagged: ") { untagged.append(.string(String(line.dropFirst(10)))) }
                    if line.hasPrefix("Deleted: ") { deleted.append(.string(String(line.dropFirst(9)))) }
                }
                after = Self.summary(try image["Id"]?.stringValue.flatMap { try cli.inspect("image", $0) })
            }
        }
        var data: [String: Value] = ["image": image ?? .dict([:]), "deleted": .list(deleted), "untagged": .list(untagged)]
        if context.diffMode { data["diff"] = .dict(["before": Self.summary(image), "after": after]) }
        let changed = image != nil
        return ModuleResult(changed: changed, message: changed ? "Removed image \(reference)" : nil, data: data)
    }
}
