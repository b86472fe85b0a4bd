import Foundation

/// Facts about a host's Docker engine, parsed from `docker info --format '{{json .}}'`.
///
/// A pure parser: tests feed it output recorded on lab nodes. `value` is what playbooks see as
/// `docker_facts`.
public struct DockerFacts: Sendable, Equatable {
    /// The command that produces the input, run as root (the socket is root's).
    public static let command = "docker info --format '{{json .}}'"

    public var serverVersion: String
    public var storageDriver: String
    public var cgroupDriver: String
    public var operatingSystem: String
    public var architecture: String
    /// The engine's hostname: the `Hostname` the swarm lists for this node.
    public var name: String
    public var swarm: SwarmInfo

    public init(json text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let v = Value(jsonText: trimmed), case .dict(let d) = v else {
            throw ModuleError("docker info did not print JSON: \(SwarmInfo.excerpt(text))")
        }
        // `docker info` prints a JSON object even when the daemon is down, with the reason in
        // ServerErrors (newer CLIs) and no server fields.
        if let errors = d["ServerErrors"]?.listValue, !errors.isEmpty {
            throw ModuleError("dockerd does not answer: " + errors.map(\.renderedString).joined(separator: "; "))
        }
        guard let version = d["ServerVersion"]?.stringValue, !version.isEmpty else {
            throw ModuleError("docker info printed no ServerVersion: is dockerd running?")
        }
        serverVersion = version
        storageDriver = d["Driver"]?.stringValue ?? ""
        cgroupDriver = d["CgroupDriver"]?.stringValue ?? ""
        operatingSystem = d["OperatingSystem"]?.stringValue ?? ""
        architecture = d["Architecture"]?.stringValue ?? ""
        name = d["Name"]?.stringValue ?? ""
        swarm = try SwarmInfo(value: d["Swarm"] ?? .dict([:]))
    }

    /// The facts as a Value: `version`, `storage_driver`, `cgroup_driver`, `os`, `arch`,
    /// `hostname` and `swarm` (state, node_id, control_available, cluster_id, …).
    public var value: Value {
        .dict([
            "version": .string(serverVersion),
            "storage_driver": .string(storageDriver),
            "cgroup_driver": .string(cgroupDriver),
            "os": .string(operatingSystem),
            "arch": .string(architecture),
            "hostname": .string(name),
            "swarm": swarm.value,
        ])
    }
}
