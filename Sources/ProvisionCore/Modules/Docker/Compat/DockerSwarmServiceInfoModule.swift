import Foundation

/// `docker_swarm_service_info` (`community.docker.docker_swarm_service_info`): `exists` and
/// `service` (the `docker service inspect` output, or null), on a swarm manager.
public struct DockerSwarmServiceInfoModule: Module {
    public static let name = "docker_swarm_service_info"
    public static let aliases = ["community.docker.docker_swarm_service_info"]
    public static let argumentSpec = ArgumentSpec([.init("name", required: true)] + DockerConnection.fields)

    let lookup: DockerObjectLookup

    public init(arguments a: ModuleArguments) throws {
        lookup = try DockerObjectLookup(a)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: lookup.connection)
        do { try cli.requireManager() } catch let e as ModuleError { return .failed(e.message) }
        return try lookup.run(in: context, object: "service")
    }
}
