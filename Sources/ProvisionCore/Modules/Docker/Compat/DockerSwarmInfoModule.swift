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

/// Reads swarm objects whole (`docker node|service inspect`, `docker inspect --type task`) and
/// turns them into the collection's summaries.
struct SwarmObjects {
    let cli: DockerCLI

    /// Every object of `kind` (`nodes`, `services`, `tasks`) matching `filters`, inspected.
    func list(_ kind: String, filters: [String: String] = [:]) throws -> [Value] {
        let f = filters.sorted { $0.key < $1.key }.flatMap { ["--filter", "\($0.key)=\($0.value)"] }
        let fq = f.map(Shell.quote).joined(separator: " ")
        let body: String
        switch kind {
        case "nodes": body = #"ids=$($DOCKER node ls -q \#(fq)) || exit 1; [ -z "$ids" ] && echo '[]' || $DOCKER node inspect $ids"#
        case "services": body = #"ids=$($DOCKER service ls -q \#(fq)) || exit 1; [ -z "$ids" ] && echo '[]' || $DOCKER service inspect $ids"#
        default:
            body = #"""
            svcs=$($DOCKER service ls -q) || exit 1
            ids=$([ -n "$svcs" ] && $DOCKER service ps -q --no-trunc \#(fq) $svcs) || exit 1
            [ -z "$ids" ] && echo '[]' || $DOCKER inspect --type task $ids
            """#
        }
        let r = try cli.script(body)
        guard r.succeeded, case .list(let items)? = Value(jsonText: r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ModuleError("Error inspecting docker swarm for object '\(kind)': \(SwarmInfo.excerpt(r.stderrText))")
        }
        return items
    }

    /// The collection's non-verbose entry for one object.
    static func summary(_ kind: String, _ item: Value, all: [Value], nodeNames: [String: String] = [:]) -> Value {
        switch kind {
        case "nodes": return nodeSummary(item)
        case "services":
            var d: [String: Value] = ["ID": item["ID"] ?? .null, "Name": item["Spec"]?["Name"] ?? .null]
            if let r = item["Spec"]?["Mode"]?["Replicated"] {
                d["Mode"] = "Replicated"
                d["Replicas"] = r["Replicas"] ?? .null
            } else {
                d["Mode"] = "Global"
                d["Replicas"] = .int(all.count)
            }
            d["Image"] = item["Spec"]?["TaskTemplate"]?["ContainerSpec"]?["Image"] ?? .null
            d["Ports"] = item["Spec"]?["EndpointSpec"]?["Ports"] ?? .list([])
            return .dict(d)
        default:
            return .dict([
                "ID": item["ID"] ?? .null,
                "ContainerID": item["Status"]?["ContainerStatus"]?["ContainerID"] ?? .null,
                "Image": item["Spec"]?["ContainerSpec"]?["Image"] ?? .null,
                "Node": item["NodeID"]?.stringValue.flatMap { nodeNames[$0] }.map(Value.string) ?? item["NodeID"] ?? .null,
                "DesiredState": item["DesiredState"] ?? .null,
                "CurrentState": item["Status"]?["State"] ?? .null,
                "Error": item["Status"]?["Err"] ?? .null,
            ])
        }
    }

    static func nodeSummary(_ item: Value) -> Value {
        var manager: Value = .null
        if let m = item["ManagerStatus"] {
            manager = m["Leader"] == .bool(true) ? "Leader" : (m["Reachability"] ?? .null)
        }
        return .dict([
            "ID": item["ID"] ?? .null,
            "Hostname": item["Description"]?["Hostname"] ?? .null,
            "Status": item["Status"]?["State"] ?? .null,
            "Availability": item["Spec"]?["Availability"] ?? .null,
            "ManagerStatus": manager,
            "EngineVersion": item["Description"]?["Engine"]?["EngineVersion"] ?? .null,
        ])
    }
}
