import Foundation

/// `docker_network_info` (`community.docker.docker_network_info`): `exists` and `network`
/// (the inspect output, or null).
public struct DockerNetworkInfoModule: Module {
    public static let name = "docker_network_info"
    public static let aliases = ["community.docker.docker_network_info"]
    public static let argumentSpec = ArgumentSpec([.init("name", required: true)] + DockerConnection.fields)

    let lookup: DockerObjectLookup

    public init(arguments a: ModuleArguments) throws {
        lookup = try DockerObjectLookup(a)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        try lookup.run(in: context, object: "network")
    }
}
