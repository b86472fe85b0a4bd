import Foundation

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
