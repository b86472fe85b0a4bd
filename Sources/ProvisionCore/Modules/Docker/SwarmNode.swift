/// One line of a manager's `docker node ls --format '{{json .}}'`: the manager's view of a node.
public struct SwarmNode: Sendable, Equatable {
    public var id: String
    public var hostname: String
    /// `Ready`, `Down`, `Unknown`, `Disconnected`.
    public var status: String
    /// `Active`, `Pause`, `Drain`.
    public var availability: String
    /// Empty for workers; `Leader`, `Reachable` or `Unreachable` for managers.
    public var managerStatus: String
    public var engineVersion: String

    public init(id: String, hostname: String, status: String = "Ready", availability: String = "Active",
                managerStatus: String = "", engineVersion: String = "") {
        self.id = id
        self.hostname = hostname
        self.status = status
        self.availability = availability
        self.managerStatus = managerStatus
        self.engineVersion = engineVersion
    }

    public var isManager: Bool { !managerStatus.isEmpty }
    /// A manager that counts towards quorum right now.
    public var isReachableManager: Bool { managerStatus == "Leader" || managerStatus == "Reachable" }
    public var isDown: Bool { status == "Down" }

    /// Parses `docker node ls --format '{{json .}}'` (one JSON object per line). Lines that are
    /// not such objects are an error: they mean the command failed or is not a manager's.
    public static func parseList(_ text: String) throws -> [SwarmNode] {
        var out: [SwarmNode] = []
        for line in text.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            guard let v = Value(jsonText: String(line)), case .dict(let d) = v,
                  let id = d["ID"]?.stringValue, !id.isEmpty
            else { throw ModuleError("docker node ls printed something unexpected: \(SwarmInfo.excerpt(String(line)))") }
            out.append(SwarmNode(
                id: id.hasSuffix(" *") ? String(id.dropLast(2)) : id,
                hostname: d["Hostname"]?.stringValue ?? "",
                status: d["Status"]?.stringValue ?? "",
                availability: d["Availability"]?.stringValue ?? "",
                managerStatus: d["ManagerStatus"]?.stringValue ?? "",
                engineVersion: d["EngineVersion"]?.stringValue ?? ""))
        }
        return out
    }
}
