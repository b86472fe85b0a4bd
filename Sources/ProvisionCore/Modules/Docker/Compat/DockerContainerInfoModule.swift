import Foundation

/// `docker_container_info` (`community.docker.docker_container_info`): `exists` and `container`
/// (the inspect output, or null).
public struct DockerContainerInfoModule: Module {
    public static let name = "docker_container_info"
    public static let aliases = ["community.docker.docker_container_info"]
    public static let argumentSpec = ArgumentSpec([.init("name", required: true)] + DockerConnection.fields)

    let lookup: DockerObjectLookup

    public init(arguments a: ModuleArguments) throws {
        lookup = try DockerObjectLookup(a)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        try lookup.run(in: context, object: "container")
    }
}
