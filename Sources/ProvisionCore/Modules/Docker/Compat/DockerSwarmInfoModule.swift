import Foundation

/// `docker_swarm_info` (`community.docker.docker_swarm_info`): the swarm as a manager sees it.
/// Returns `can_talk_to_docker`, `docker_swarm_active`, `docker_swarm_manager`, and on a
/// manager `swarm_facts` plus the `nodes`, `services` and `tasks` lists asked for (each entry
/// the collection's summary, or the whole inspect output with `verbose_output`), and
/// `swarm_unlock_key` with `unlock_key`. Never changes anything.
public struct DockerSwarmInfoModule: Module {
    public static let name = "docker_swarm_info"
    public static let aliases = ["community.docker.docker_swarm_info"]
    public static let argumentSpec = ArgumentSpec([
        .init("nodes", .bool, default: false),
        .init("nodes_filters", .dict),
        .init("services", .bool, default: false),
        .init("services_filters", .dict),
        .init("tasks", .bool, default: false),
        .init("tasks_filters", .dict),
        .init("unlock_key", .bool, default: false),
        .init("verbose_output", .bool, default: false),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    var lists: [(kind: String, filters: [String: String])] = []
    var unlockKey: Bool
    var verbose: Bool

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        for kind in ["tasks", "services", "nodes"] where try a.bool(kind) == true {
            lists.append((kind, try DockerArgumentChecks.stringMap(a, kind + "_filters") ?? [:]))
        }
        unlockKey = try a.bool("unlock_key") ?? false
        verbose = try a.bool("verbose_output") ?? false
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        var data: [String: Value] = ["can_talk_to_docker": false, "docker_swarm_active": false, "docker_swarm_manager": false]
        let info: SwarmInfo
        do { info = try cli.swarmInfo() } catch let e as ModuleError {
            return .failed("Error connecting to docker: \(e.message)", data: data)
        }
        data["can_talk_to_docker"] = true
        data["docker_swarm_active"] = .bool(info.state == .active)
        data["docker_swarm_manager"] = .bool(info.isLiveManager)
        guard info.isLiveManager else {
            return .failed("Error running docker swarm module: must run on swarm manager node", data: data)
        }
        data["swarm_facts"] = .dict(try DockerSwarmCompatModule.swarmFacts(cli))
        let objects = SwarmObjects(cli: cli)
        var names: [String: String] = [:]
        if lists.contains(where: { $0.kind == "tasks" }) && !verbose {
            for n in try objects.list("nodes") {
                if let id = n["ID"]?.stringValue { names[id] = n["Description"]?["Hostname"]?.stringValue }
            }
        }
        for (kind, filters) in lists {
            let items = try objects.list(kind, filters: filters)
            data[kind] = .list(verbose ? items : items.map { SwarmObjects.summary(kind, $0, all: items, nodeNames: names) })
        }
        if unlockKey {
            let key = try cli.run(["swarm", "unlock-key", "-q"]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            data["swarm_unlock_key"] = key.isEmpty ? .null : .string(key)
        }
        return .ok(data)
    }
}
