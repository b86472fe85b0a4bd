import Foundation

/// `docker_node_info` (`community.docker.docker_node_info`): the inspect output of the named
/// nodes (`name`), of this node (`self: true`), or of every node, as `nodes`.
public struct DockerNodeInfoModule: Module {
    public static let name = "docker_node_info"
    public static let aliases = ["community.docker.docker_node_info"]
    public static let argumentSpec = ArgumentSpec([
        .init("name", .list),
        .init("self", .bool, default: false),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    var names: [String]
    var ownNode: Bool

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        names = try a.stringList("name") ?? []
        ownNode = try a.bool("self") ?? false
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        do { try cli.requireManager() } catch let e as ModuleError { return .failed(e.message) }
        var wanted = names
        if ownNode { wanted = [try cli.swarmInfo().nodeID] }
        let nodes: [Value]
        if wanted.isEmpty {
            nodes = try SwarmObjects(cli: cli).list("nodes")
        } else {
            nodes = try wanted.compactMap { try cli.inspect("node", $0) }
        }
        return .ok(["nodes": .list(nodes)])
    }
}
