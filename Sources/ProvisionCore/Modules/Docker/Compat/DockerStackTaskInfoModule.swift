import Foundation

/// `docker_stack_task_info` (`community.docker.docker_stack_task_info`): the tasks of stack
/// `name` (`docker stack ps`) as `results`.
public struct DockerStackTaskInfoModule: Module {
    public static let name = "docker_stack_task_info"
    public static let aliases = ["community.docker.docker_stack_task_info"]
    public static let argumentSpec = ArgumentSpec([.init("name", required: true)])

    let stack: String

    public init(arguments a: ModuleArguments) throws {
        stack = try a.requiredString("name")
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        try DockerStackListing.run(["stack", "ps", stack], in: context)
    }
}
