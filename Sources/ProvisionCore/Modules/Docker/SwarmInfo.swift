import Foundation

/// A node's own view of its swarm membership: `docker info --format '{{json .Swarm}}'`.
public struct SwarmInfo: Sendable, Equatable {
    /// dockerd's `LocalNodeState`.
    public enum LocalNodeState: String, Sendable {
        case inactive, pending, active, error, locked
    }

    /// A manager this node knows how to reach.
    public struct RemoteManager: Sendable, Equatable {
        public var nodeID: String
        /// `host:port`, usually port 2377.
        public var address: String
    }

    public var state: LocalNodeState
    /// Empty when the node is in no swarm.
    public var nodeID: String
    public var nodeAddress: String
    /// True on managers: this node can answer `docker node ls`.
    public var controlAvailable: Bool
    /// The swarm's ID. Only managers see it.
    public var clusterID: String?
    public var error: String
    public var remoteManagers: [RemoteManager]
    /// Counts a manager reports (nil on workers).
    public var nodeCount: Int?
    public var managerCount: Int?

    /// True for a manager that can act for the swarm.
    public var isLiveManager: Bool { state == .active && controlAvailable }

    /// Parses the JSON of `{{json .Swarm}}`, or of `{{json .}}` (whose `Swarm` key it reads).
    public init(json text: String) throws {
        guard let whole = Value(jsonText: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              case .dict(let top) = whole
        else { throw ModuleError("docker info did not print JSON: \(Self.excerpt(text))") }
        try self.init(value: top["Swarm"] ?? whole)
    }

    /// Reads the `Swarm` object once decoded.
    public init(value: Value) throws {
        guard case .dict(let d) = value else { throw ModuleError("docker info's Swarm is not an object") }
        let raw = d["LocalNodeState"]?.stringValue ?? ""
        guard let state = LocalNodeState(rawValue: raw) else {
            throw ModuleError("docker info reports an unknown swarm state '\(raw)'")
        }
        self.state = state
        nodeID = d["NodeID"]?.stringValue ?? ""
        nodeAddress = d["NodeAddr"]?.stringValue ?? ""
        controlAvailable = Self.bool(d["ControlAvailable"])
        clusterID = d["Cluster"]?["ID"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        error = d["Error"]?.stringValue ?? ""
        remoteManagers = (d["RemoteManagers"]?.listValue ?? []).compactMap { m in
            guard let id = m["NodeID"]?.stringValue, let addr = m["Addr"]?.stringValue else { return nil }
            return RemoteManager(nodeID: id, address: addr)
        }
        nodeCount = Self.int(d["Nodes"])
        managerCount = Self.int(d["Managers"])
    }

    /// The facts form (`docker_swarm` in `docker_facts`), with snake_case keys.
    public var value: Value {
        var d: [String: Value] = [
            "state": .string(state.rawValue),
            "node_id": .string(nodeID),
            "node_addr": .string(nodeAddress),
            "control_available": .bool(controlAvailable),
            "is_manager": .bool(isLiveManager),
            "remote_managers": .list(remoteManagers.map { ["node_id": .string($0.nodeID), "addr": .string($0.address)] }),
        ]
        d["cluster_id"] = clusterID.map(Value.string) ?? .null
        if !error.isEmpty { d["error"] = .string(error) }
        if let nodeCount { d["nodes"] = .int(nodeCount) }
        if let managerCount { d["managers"] = .int(managerCount) }
        return .dict(d)
    }

    static func bool(_ v: Value?) -> Bool {
        switch v {
        case .bool(let b)?: return b
        case .int(let i)?: return i != 0
        case .string(let s)?: return s == "true"
        default: return false
        }
    }

    static func int(_ v: Value?) -> Int? {
        switch v {
        case .int(let i)?: return i
        case .double(let d)?: return Int(d)
        default: return nil
        }
    }

    static func excerpt(_ s: String, limit: Int = 200) -> String {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.count > limit ? String(t.prefix(limit)) + "…" : (t.isEmpty ? "(nothing)" : t)
    }
}
