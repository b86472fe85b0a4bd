import Foundation

/// `docker_swarm_service` (`community.docker.docker_swarm_service`): a swarm service, created
/// with `docker service create` and changed with `docker service update` (only the options the
/// task gives are compared with the service's spec, as the collection compares them; lists of
/// networks, mounts, secrets, configs, env, labels, hosts, … change with `--*-add`/`--*-rm`).
/// A change of `mode`, or one the CLI cannot make in place (see `ServiceContainerOptions`),
/// removes and creates it (`rebuilt`). Runs on a manager. Images are used as given
/// (`resolve_image: false` by default, so no registry is needed); `env_files` are read on the
/// node. Returns `swarm_service` (the service as the task describes it, in the collection's
/// fact names), `changes` (the options that changed) and `rebuilt`.
public struct DockerSwarmServiceModule: Module {
    public static let name = "docker_swarm_service"
    public static let aliases = ["community.docker.docker_swarm_service"]
    static let supported: [ArgumentSpec.Field] = [
        .init("name", required: true),
        .init("image"),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("mode", choices: ["replicated", "global", "replicated-job"], default: "replicated"),
        .init("replicas", .int, default: -1),
        .init("args", .list),
        .init("command", .any),
        .init("env", .any),
        .init("labels", .dict),
        .init("container_labels", .dict),
        .init("networks", .list),
        .init("publish", .list),
        .init("mounts", .list),
        .init("placement", .dict),
        .init("restart_config", .dict),
        .init("update_config", .dict),
        .init("limits", .dict),
        .init("reservations", .dict),
        .init("hostname"),
        .init("user"),
        .init("working_dir"),
        .init("endpoint_mode", choices: ["vip", "dnsrr"]),
        .init("force_update", .bool, default: false),
        .init("resolve_image", .bool, default: false),
        .init("read_only", .bool),
        .init("tty", .bool),
        .init("init", .bool),
        .init("stop_signal"),
        .init("stop_grace_period"),
        .init("configs", .list),
        .init("secrets", .list),
        .init("dns", .list),
        .init("dns_search", .list),
        .init("dns_options", .list),
        .init("env_files", .list),
        .init("groups", .list),
        .init("healthcheck", .dict),
        .init("hosts", .dict),
        .init("logging", .dict),
        .init("rollback_config", .dict),
        .init("cap_add", .list),
        .init("cap_drop", .list),
        .init("sysctls", .dict),
    ]
    public static let argumentSpec = ArgumentSpec(supported + DockerConnection.fields)

    var connection: DockerConnection
    public var serviceName: String
    public var want: ServiceSpec
    public var present: Bool
    var forceUpdate: Bool
    var arguments: ModuleArguments

    public init(arguments a: ModuleArguments) throws {
        try DockerArgumentChecks.requiredIf(a, [("state", "present", ["image"])])
        connection = try DockerConnection(arguments: a)
        serviceName = try a.requiredString("name")
        present = try a.string("state") != "absent"
        forceUpdate = try a.bool("force_update") ?? false
        want = try ServiceSpec(arguments: a)
        arguments = a
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        do { try cli.requireManager() } catch let e as ModuleError { return .failed(e.message) }
        let existing = try cli.inspect("service", serviceName)
        var data: [String: Value] = ["changes": .list([]), "rebuilt": false, "swarm_service": .null]
        if !present {
            guard existing != nil else { return .ok(data, message: "Service absent") }
            if !context.checkMode { try cli.must(["service", "rm", serviceName], what: "Error removing service \(serviceName)") }
            return .changed(data, message: "Service removed")
        }
        var want = self.want
        try want.readEnvFiles(cli)
        let ids = try want.lookupIDs(cli)
        var rebuilt = false
        var changes: [String] = []
        var message: String?
        if let svc = existing {
            let plan = want.updatePlan(svc["Spec"] ?? .null, ids: ids)
            changes = plan.changes
            if plan.rebuild {
                rebuilt = true
                if !context.checkMode {
                    try cli.must(["service", "rm", serviceName], what: "Error removing service \(serviceName)")
                    try cli.must(["service", "create"] + want.createArguments(name: serviceName), what: "Error creating service \(serviceName)")
                }
                message = "Service rebuilt"
            } else if !plan.flags.isEmpty || forceUpdate {
                if !context.checkMode {
                    try cli.must(["service", "update", "--detach", "--quiet"] + (forceUpdate ? ["--force"] : []) + plan.flags + [serviceName],
                                 what: "Error updating service \(serviceName)")
                }
                message = changes.isEmpty ? "Service forcefully updated" : "Service updated"
            }
        } else {
            if !context.checkMode {
                try cli.must(["service", "create"] + want.createArguments(name: serviceName), what: "Error creating service \(serviceName)")
            }
            message = "Service created"
        }
        let now = context.checkMode ? existing : try cli.inspect("service", serviceName)
        data["changes"] = .list(changes.map(Value.string))
        data["rebuilt"] = .bool(rebuilt)
        data["swarm_service"] = ServiceFacts.facts(arguments: arguments, want: want,
                                                   image: now?["Spec"]?["TaskTemplate"]?["ContainerSpec"]?["Image"])
        var diffs: [FileDiff] = []
        if context.diffMode, let svc = existing, !changes.isEmpty {
            // The collection's diff: each changed option, as the service had it and as the task wants it.
            let before = ServiceFacts.current(svc["Spec"] ?? .null)
            let after = data["swarm_service"]?.dictValue.map { [String: Value]($0) } ?? [:]
            var b: [String: Value] = [:], a: [String: Value] = [:]
            for c in changes {
                let key = c == "log_opt" ? "log_driver_options" : c
                b[c] = before[key] ?? .null
                a[c] = after[key] ?? .null
            }
            data["diff"] = .dict(["before": .dict(ValueDict(b)), "after": .dict(ValueDict(a))])
            // Shown by --diff: one changed option a line, its value as JSON.
            func text(_ d: [String: Value]) -> String { d.keys.sorted().map { "\($0): \(d[$0]?.jsonString ?? "null")\n" }.joined() }
            diffs.append(FileDiff(path: "service \(serviceName)", before: text(b), after: text(a)))
        }
        return ModuleResult(changed: message != nil, message: message ?? "Service unchanged", diffs: diffs, data: data)
    }
}
