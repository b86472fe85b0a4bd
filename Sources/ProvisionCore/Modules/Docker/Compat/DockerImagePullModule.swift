import Foundation

/// `docker_image_pull` (`community.docker.docker_image_pull`): pulls `name:tag` (`pull: always`,
/// the default) or only when it is missing (`not_present`). Changed when the image ID is new;
/// in check mode `always` reports a change only for a missing image, as the collection cannot
/// know either. Returns `image` (inspect output) and a diff of the ID.
public struct DockerImagePullModule: Module {
    public static let name = "docker_image_pull"
    public static let aliases = ["community.docker.docker_image_pull"]
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true), .init("tag", default: "latest"), .init("platform"),
        .init("pull", choices: ["always", "not_present"], default: "always"),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    var name, tag, pull: String
    var platform: String?

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        (name, tag) = DockerImageModule.split(name: try a.requiredString("name"), tag: try a.string("tag") ?? "latest")
        if DockerImageModule.isID(name) { throw ModuleError("Cannot pull an image by ID") }
        guard DockerImageModule.isValidTag(tag) else { throw ModuleError("\"\(tag)\" is not a valid docker tag!") }
        pull = try a.string("pull") ?? "always"
        platform = try a.string("platform")
    }

    var reference: String { tag.hasPrefix("sha256:") ? "\(name)@\(tag)" : "\(name):\(tag)" }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        let before = try cli.inspect("image", reference)
        var after = before
        var actions: [String] = []
        if before == nil || pull == "always" {
            if context.checkMode {
                if before == nil { actions.append("Pulled image \(reference)") }
            } else {
                try cli.must(["image", "pull", "--quiet"] + (platform.map { ["--platform", $0] } ?? []) + [reference],
                             what: "Error pulling image \(reference)")
                after = try cli.inspect("image", reference)
                if after?["Id"] != before?["Id"] { actions.append("Pulled image \(reference)") }
            }
        }
        var data: [String: Value] = ["image": after ?? .dict([:]), "actions": .list(actions.map(Value.string))]
        if context.diffMode {
            data["diff"] = .dict(["before": .dict(["id": before?["Id"] ?? .null]), "after": .dict(["id": after?["Id"] ?? .string("unknown")])])
        }
        return ModuleResult(changed: !actions.isEmpty, message: actions.last, data: data)
    }
}
