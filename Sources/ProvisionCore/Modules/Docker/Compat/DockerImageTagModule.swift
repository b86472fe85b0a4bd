import Foundation

/// `docker_image_tag` (`community.docker.docker_image_tag`): gives the image `name:tag` each
/// name of `repository` (a name without a tag gets `tag`). A name already on that image is left
/// alone; one on another image is moved (`existing_images: overwrite`, the default) or kept
/// (`keep`). Returns `image` and `tagged_images`.
public struct DockerImageTagModule: Module {
    public static let name = "docker_image_tag"
    public static let aliases = ["community.docker.docker_image_tag"]
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true), .init("tag", default: "latest"), .init("repository", .list, required: true),
        .init("existing_images", choices: ["keep", "overwrite"], default: "overwrite"),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    var name, tag, existing: String
    var repositories: [String]

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        (name, tag) = DockerImageModule.split(name: try a.requiredString("name"), tag: try a.string("tag") ?? "latest")
        repositories = try a.stringList("repository") ?? []
        existing = try a.string("existing_images") ?? "overwrite"
        for r in repositories where DockerImageModule.isID(r) {
            throw ModuleError("repository must not be an image ID; got: \(r)")
        }
    }

    var reference: String {
        DockerImageModule.isID(name) ? name : (tag.hasPrefix("sha256:") ? "\(name)@\(tag)" : "\(name):\(tag)")
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        guard let image = try cli.inspect("image", reference) else {
            return .failed("Cannot find image \(reference)")
        }
        let id = image["Id"]
        var tagged: [Value] = [], before: [String: Value] = [:], after: [String: Value] = [:]
        for r in repositories {
            let (repo, rtag) = DockerImageModule.split(name: r, tag: tag)
            let target = "\(repo):\(rtag)"
            let current = try cli.inspect("image", target)
            if current?["Id"] == id { continue }
            if current != nil && existing == "keep" { continue }
            before[target] = current?["Id"] ?? .null
            after[target] = id ?? .null
            if !context.checkMode { try cli.must(["image", "tag", reference, target], what: "Error: failed to tag image") }
            tagged.append(.string(target))
        }
        var data: [String: Value] = ["image": image, "tagged_images": .list(tagged)]
        if context.diffMode { data["diff"] = .dict(["before": .dict(before), "after": .dict(after)]) }
        return ModuleResult(changed: !tagged.isEmpty, message: nil, data: data)
    }
}
