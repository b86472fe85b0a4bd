import Foundation

/// `docker_node` (`community.docker.docker_node`): a swarm node's role, availability and
/// labels, changed from a manager with `docker node update`. `labels_state: merge` adds and
/// updates the given labels and drops `labels_to_remove`; `replace` makes the labels exactly
/// `labels` (none when unset). Returns `node` (its inspect output after the change).
public struct DockerNodeModule: Module {
    public static let name = "docker_node"
    public static let aliases = ["community.docker.docker_node"]
    public static let argumentSpec = ArgumentSpec([
        .init("hostname", required: true),
        .init("labels", .dict),
        .init("labels_state", choices: ["merge", "replace"], default: "merge"),
        .init("labels_to_remove", .list),
        .init("availability", choices: ["active", "pause", "drain"]),
        .init("role", choices: ["manager", "worker"]),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    public var hostname: String
    public var labels: [String: String]?
    public var replaceLabels: Bool
    public var labelsToRemove: [String]
    public var availability: String?
    public var role: String?

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        hostname = try a.requiredString("hostname")
        labels = try DockerArgumentChecks.stringMap(a, "labels")
        replaceLabels = try a.choice("labels_state", ["merge", "replace"]) == "replace"
        labelsToRemove = try a.stringList("labels_to_remove") ?? []
        availability = try a.choice("availability", ["active", "pause", "drain"])
        role = try a.choice("role", ["manager", "worker"])
    }

    /// The `docker node update` flags that bring `spec` to what the task asks, with warnings;
    /// no flags when it already matches.
    public func plan(spec: Value) -> (flags: [String], warnings: [String]) {
        var flags: [String] = []
        var warnings: [String] = []
        if let role, spec["Role"]?.stringValue != role { flags += ["--role", role] }
        if let availability, spec["Availability"]?.stringValue != availability { flags += ["--availability", availability] }
        var current: [String: String] = [:]
        if case .dict(let d)? = spec["Labels"] { for (k, v) in d { current[k] = v.renderedString } }
        if replaceLabels {
            let want = labels ?? [:]
            for k in current.keys.sorted() where want[k] == nil { flags += ["--label-rm", k] }
            for (k, v) in want.sorted(by: { $0.key < $1.key }) where current[k] != v { flags += ["--label-add", "\(k)=\(v)"] }
        } else {
            for (k, v) in (labels ?? [:]).sorted(by: { $0.key < $1.key }) where current[k] != v { flags += ["--label-add", "\(k)=\(v)"] }
            for k in labelsToRemove {
                if labels?[k].map({ !$0.isEmpty }) == true {
                    warnings.append("Label '\(k)' listed both in 'labels' and 'labels_to_remove'. Keeping the assigned label value.")
                } else if let v = current[k], !v.isEmpty {
                    flags += ["--label-rm", k]
                }
            }
        }
        return (flags, warnings)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        do { try cli.requireManager() } catch let e as ModuleError { return .failed(e.message) }
        guard let node = try cli.inspect("node", hostname) else { return .failed("This node is not part of a swarm.") }
        if node["Status"]?["State"]?.stringValue == "down" { return .failed("Can not update the node. The node is down.") }
        let (flags, warnings) = plan(spec: node["Spec"] ?? .null)
        guard !flags.isEmpty else { return ModuleResult(data: ["node": node], warnings: warnings) }
        let id = node["ID"]?.stringValue ?? hostname
        var after = node
        if !context.checkMode {
            try cli.must(["node", "update"] + flags + [id], what: "Failed to update node")
            after = try cli.inspect("node", id) ?? node
        }
        var r = ModuleResult(changed: true, data: ["node": after], warnings: warnings)
        if context.diffMode { r.data["diff"] = .dict(["before": node["Spec"] ?? .null, "after": after["Spec"] ?? .null]) }
        return r
    }
}
