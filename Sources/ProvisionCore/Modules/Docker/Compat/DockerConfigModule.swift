import Foundation

/// `docker_config` (`community.docker.docker_config`): a swarm config made with
/// `docker config create` (the data on stdin), optionally a Go template
/// (`template_driver: golang`). Returns `config_id` and `config_name`. See `SwarmDataObject`
/// for how changes are found.
public struct DockerConfigModule: Module {
    public static let name = "docker_config"
    public static let aliases = ["community.docker.docker_config"]
    public static let argumentSpec = ArgumentSpec(SwarmDataObject.fields(templateDriver: true))

    let object: SwarmDataObject

    public init(arguments a: ModuleArguments) throws {
        object = try SwarmDataObject(kind: "config", arguments: a)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        try object.run(in: context)
    }
}
