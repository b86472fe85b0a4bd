import Foundation

/// `docker_image_info` (`community.docker.docker_image_info`): `images`, the inspect output of
/// each named image that exists on the node (names without a tag mean `latest`; IDs work too),
/// or of every image when no `name` is given. A missing image is left out, not an error.
public struct DockerImageInfoModule: Module {
    public static let name = "docker_image_info"
    public static let aliases = ["community.docker.docker_image_info"]
    public static let argumentSpec = ArgumentSpec([.init("name", .list)] + DockerConnection.fields)

    var connection: DockerConnection
    var names: [String]?

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        names = try a.stringList("name")
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        var wanted = names ?? []
        if names == nil {
            let ids = try cli.must(["image", "ls", "--quiet", "--no-trunc"], what: "Error listing images")
            var seen: Set<String> = []
            wanted = ids.split(whereSeparator: \.isNewline).map(String.init).filter { seen.insert($0).inserted }
        }
        let images = try wanted.compactMap { try cli.inspect("image", $0) }
        return .ok(["images": .list(images)])
    }
}
