import Foundation

/// `docker_volume` (`community.docker.docker_volume`): a named volume in `state` `present` or
/// `absent`. An existing volume whose driver, driver options or labels differ from the task is
/// left alone unless `recreate: options-changed` (then it is removed and made again; its data
/// is lost, as the collection warns); `recreate: always` always makes it anew. Labels compare
/// as "these at least", so a volume with more labels is not a difference. Returns `volume`.
public struct DockerVolumeModule: Module {
    public static let name = "docker_volume"
    public static let aliases = ["community.docker.docker_volume"]
    public static let argumentSpec = ArgumentSpec([
        .init("volume_name", required: true, aliases: ["name"]),
        .init("driver", default: "local"),
        .init("driver_options", .dict),
        .init("labels", .dict),
        .init("recreate", choices: ["always", "never", "options-changed"], default: "never"),
        .init("state", choices: ["absent", "present"], default: "present"),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    var volumeName, driver, recreate, state: String
    var driverOptions: [String: String]
    var labels: [String: String]?

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        volumeName = try a.requiredString("volume_name")
        driver = try a.string("driver") ?? "local"
        driverOptions = try DockerArgumentChecks.stringMap(a, "driver_options") ?? [:]
        labels = try DockerArgumentChecks.labelMap(a, "labels")
        recreate = try a.string("recreate") ?? "never"
        state = try a.string("state") ?? "present"
    }

    /// What differs between the task and an existing volume (its inspect output).
    func differences(_ v: Value) -> [String] {
        var out: [String] = []
        if v["Driver"]?.stringValue != driver { out.append("driver") }
        let opts = (v["Options"]?.dictValue ?? [:]).mapValues(\.renderedString)
        for (k, want) in driverOptions where opts[k] != want { out.append("driver_options.\(k)") }
        let have = (v["Labels"]?.dictValue ?? [:]).mapValues(\.renderedString)
        for (k, want) in labels ?? [:] where have[k] != want { out.append("labels.\(k)") }
        return out.sorted()
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        let check = context.checkMode
        let existing = try cli.inspect("volume", volumeName)
        var actions: [String] = []
        var after: Value = .null
        if state == "absent" {
            if existing != nil {
                if !check { try cli.must(["volume", "rm", "--", volumeName], what: "Error removing volume \(volumeName)") }
                actions.append("Removed volume \(volumeName)")
            }
        } else {
            var create = existing == nil
            if let v = existing {
                let diffs = differences(v)
                if recreate == "always" || (recreate == "options-changed" && !diffs.isEmpty) {
                    if !check { try cli.must(["volume", "rm", "--", volumeName], what: "Error removing volume \(volumeName)") }
                    actions.append("Removed volume \(volumeName)")
                    create = true
                }
            }
            if create {
                var args = ["volume", "create", "--driver", driver]
                for (k, v) in driverOptions.sorted(by: { $0.key < $1.key }) { args += ["--opt", "\(k)=\(v)"] }
                for (k, v) in (labels ?? [:]).sorted(by: { $0.key < $1.key }) { args += ["--label", "\(k)=\(v)"] }
                if !check { try cli.must(args + ["--", volumeName], what: "Error creating volume \(volumeName)") }
                actions.append("Created volume \(volumeName) with driver \(driver)")
            }
            after = check ? (create ? .dict(["Name": .string(volumeName), "Driver": .string(driver)]) : existing ?? .null)
                : (try cli.inspect("volume", volumeName) ?? .null)
        }
        var data: [String: Value] = ["actions": .list(actions.map(Value.string))]
        if state == "present" { data["volume"] = after }
        if context.diffMode {
            data["diff"] = .dict(["before": existing.map(Self.summary) ?? .dict([:]),
                                  "after": state == "absent" ? .dict([:]) : Self.summary(after)])
        }
        return ModuleResult(changed: !actions.isEmpty, message: actions.last, data: data)
    }

    /// The parts of a volume the diff shows.
    static func summary(_ v: Value) -> Value {
        .dict(["driver": v["Driver"] ?? .null, "driver_options": v["Options"] ?? .dict([:]), "labels": v["Labels"] ?? .dict([:])])
    }
}
