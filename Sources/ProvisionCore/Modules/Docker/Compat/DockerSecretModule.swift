import Foundation

/// `docker_secret` (`community.docker.docker_secret`): a swarm secret made with
/// `docker secret create` (the data on stdin, never in argv or output). Returns `secret_id` and
/// `secret_name`. See `SwarmDataObject` for how changes are found.
public struct DockerSecretModule: Module {
    public static let name = "docker_secret"
    public static let aliases = ["community.docker.docker_secret"]
    public static let argumentSpec = ArgumentSpec(SwarmDataObject.fields(templateDriver: false))

    let object: SwarmDataObject

    public init(arguments a: ModuleArguments) throws {
        object = try SwarmDataObject(kind: "secret", arguments: a)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        try object.run(in: context)
    }
}
