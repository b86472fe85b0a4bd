import Foundation

/// `docker_volume_info` (`community.docker.docker_volume_info`): `exists` and `volume` (the
/// inspect output, or null).
public struct DockerVolumeInfoModule: Module {
    public static let name = "docker_volume_info"
    public static let aliases = ["community.docker.docker_volume_info"]
    public static let argumentSpec = ArgumentSpec([.init("name", required: true, aliases: ["volume_name"])] + DockerConnection.fields)

    let lookup: DockerObjectLookup

    public init(arguments a: ModuleArguments) throws {
        lookup = try DockerObjectLookup(a)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        try lookup.run(in: context, object: "volume")
    }
}
