import Foundation

/// `docker_stack_info` (`community.docker.docker_stack_info`): the node's stacks
/// (`docker stack ls`) as `results`.
public struct DockerStackInfoModule: Module {
    public static let name = "docker_stack_info"
    public static let aliases = ["community.docker.docker_stack_info"]
    public static let argumentSpec = ArgumentSpec([])

    public init(arguments a: ModuleArguments) throws {}

    public func run(in context: HostContext) throws -> ModuleResult {
        try DockerStackListing.run(["stack", "ls"], in: context)
    }
}
