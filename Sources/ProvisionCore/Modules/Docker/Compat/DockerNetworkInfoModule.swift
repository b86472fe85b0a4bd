import Foundation

/// `docker_network_info` (`community.docker.docker_network_info`): `exists` and `network`
/// (the inspect output, or null).
public struct DockerNetworkInfoModule: Module {
    public static let name = "docker_network_info"
    public static let aliases = ["community.docker.docker_network_info"]
    public static let argumentSpec = ArgumentSpec([.init("name", required: true)] + DockerConnection.fields)

    var connection: DockerConnection
    var name: String

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        name = try a.requiredString("name")
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let net = try DockerCLI(context: context, connection: connection).inspect("network", name)
        return .ok(["exists": .bool(net != nil), "network": net ?? .null])
    }
}
