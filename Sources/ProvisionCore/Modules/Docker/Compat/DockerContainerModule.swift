import Foundation

/// `docker_container` (`community.docker.docker_container`): a container on the node's engine
/// in `state` `started` (default), `stopped`, `present` or `absent`, through the docker CLI.
/// The image is pulled when missing (always with `pull: true`); a container whose image or
/// configuration differs from the task is recreated (`recreate: true` always does), while
/// `restart_policy` and `memory` are updated in place and missing `networks` connected. With
/// `detach: false` the task waits for the command and returns `status` and the output in
/// `container.Output`; `cleanup` removes it then. `state: healthy` waits for the health check.
/// Every documented option is taken.
/// Returns `container` (inspect output).
public struct DockerContainerModule: Module {
    public static let name = "docker_container"
    public static let aliases = ["community.docker.docker_container"]
    public static let argumentSpec = ArgumentSpec(ownFields + tableFields + ContainerExtras.fields + DockerConnection.fields)

    static let tableFields: [ArgumentSpec.Field] = ContainerOption.table.map { ArgumentSpec.Field($0.name, $0.argument) }

    static let ownFields: [ArgumentSpec.Field] = [
        .init("name", required: true),
        .init("image"),
        .init("state", choices: ["absent", "present", "healthy", "stopped", "started"], default: "started"),
        .init("command", .any),
        .init("command_handling", choices: ["compatibility", "correct"], default: "correct"),
        .init("entrypoint", .list),
        .init("env", .dict),
        .init("labels", .dict),
        .init("published_ports", .list, aliases: ["ports"]),
        .init("volumes", .list),
        .init("mounts", .list),
        .init("networks", .list),
        .init("networks_cli_compatible", .bool, default: true),
        .init("network_mode"),
        .init("restart_policy", choices: ["no", "on-failure", "always", "unless-stopped"]),
        .init("restart_retries", .int),
        .init("pull", .any, default: "missing"),
        .init("recreate", .bool, default: false),
        .init("restart", .bool, default: false),
        .init("healthcheck", .dict),
        .init("detach", .bool),
        .init("hostname"),
        .init("user"),
        .init("working_dir"),
        .init("privileged", .bool),
        .init("memory"),
        .init("cleanup", .bool, default: false),
        .init("comparisons", .dict),
        .init("container_default_behavior", choices: ["compatibility", "no_defaults"], default: "no_defaults"),
        .init("keep_volumes", .bool, default: true),
        .init("removal_wait_timeout", .number),
        .init("force_kill", .bool, aliases: ["forcekill"], default: false),
        .init("tty", .bool),
        .init("interactive", .bool),
        .init("init", .bool),
        .init("read_only", .bool),
        .init("auto_remove", .bool),
        .init("capabilities", .list),
        .init("output_logs", .bool, default: false),
        .init("image_comparison", choices: ["desired-image", "current-image"], default: "desired-image"),
        .init("ignore_image", .bool, default: false),
    ]

    var connection: DockerConnection
    public var containerName: String
    public var image: String?
    public var state: String
    public var spec = ContainerSpec()
    public var networks: [[String: Value]]?
    var networksCLICompatible: Bool
    var pull, recreate, restart, cleanup, keepVolumes, forceKill, ignoreImage: Bool
    public var detach: Bool
    var stopTimeout: Int?
    var extras = ContainerExtras()

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        containerName = try a.requiredString("name")
        image = try a.string("image")
        state = try a.string("state") ?? "started"
        if let c = a.values["command"], !c.isNull {
            let compatibility = try a.string("command_handling") == "compatibility"
            if case .list(let l) = c {
                // compatibility: a list is joined and split again like a shell line; empty means unset.
                if compatibility {
                    spec.command = l.isEmpty ? nil : try ContainerSpec.shellWords(l.map(\.renderedString).joined(separator: " "))
                } else {
                    // The docker CLI cannot create a container with an empty Cmd (the image's
                    // default stays), so `[]` means the image's command here too.
                    spec.command = l.isEmpty ? nil : l.map(\.renderedString)
                }
            } else {
                spec.command = try ContainerSpec.shellWords(c.renderedString)
            }
        }
        spec.entrypoint = try a.stringList("entrypoint")
        if try a.string("command_handling") == "compatibility", let e = spec.entrypoint {
            // As command: the words are joined and split again like a shell line; [] is unset.
            spec.entrypoint = e.isEmpty ? nil : try ContainerSpec.shellWords(e.joined(separator: " "))
        }
        for (k, v) in try a.dict("env") ?? [:] {
            switch v {
            case .string, .int, .double: break
            default:
                // A YAML `true` would reach the container as `True`: the collection refuses it.
                throw ModuleError("Non-string value found for env option. Ambiguous env options must be wrapped in quotes to avoid them being interpreted. Key: \(k)")
            }
        }
        spec.env = try DockerArgumentChecks.stringMap(a, "env")
        spec.labels = try DockerArgumentChecks.labelMap(a, "labels")
        spec.publishedPorts = try a.stringList("published_ports")
        spec.volumes = try a.stringList("volumes")
        spec.mounts = try DockerArgumentChecks.dictList(a, "mounts")
        try ContainerSpec.checkPorts(spec.publishedPorts ?? [])
        var targets: Set<String> = []
        for m in spec.mounts ?? [] {
            if let t = m["target"]?.renderedString, !targets.insert(t).inserted {
                throw ModuleError("The mount point \"\(t)\" appears twice in the mounts option")
            }
        }
        for v in spec.volumes ?? [] {
            let parts = v.split(separator: ":").map(String.init)
            let target = parts.count >= 2 ? parts[1] : v
            if targets.contains(target) {
                throw ModuleError("The mount point \"\(target)\" appears both in the volumes and mounts option")
            }
        }
        spec.hostname = try a.string("hostname")
        spec.user = try a.string("user")
        spec.workingDir = try a.string("working_dir")
        spec.memory = try a.string("memory")
        if let m = spec.memory, ContainerSpec.bytes(m) == nil { throw ModuleError("Failed to convert memory to bytes: '\(m)' is not a size") }
        spec.networkMode = try a.string("network_mode")
        spec.privileged = try a.bool("privileged")
        spec.tty = try a.bool("tty")
        spec.interactive = try a.bool("interactive")
        spec.initProcess = try a.bool("init")
        spec.readOnly = try a.bool("read_only")
        spec.autoRemove = try a.bool("auto_remove")
        spec.capabilities = try a.stringList("capabilities")
        spec.restartPolicy = try a.string("restart_policy")
        spec.restartRetries = try a.int("restart_retries")
        spec.healthcheck = try a.dict("healthcheck")
        for o in ContainerOption.table {
            guard let v = a.values[o.name], !v.isNull else { continue }
            let made = try o.make(v)
            spec.options.append((o, made.flags, made.wanted))
        }
        spec.comparisons = try DockerArgumentChecks.stringMap(a, "comparisons") ?? [:]
        for (k, v) in spec.comparisons where !["strict", "ignore", "allow_more_present"].contains(v) {
            throw ModuleError("Unknown comparison mode \"\(v)\" for \(k)")
        }
        if let raw = a.values["networks"], !raw.isNull {
            networks = try (raw.listValue ?? []).map { n in
                if case .dict(let d) = n, d["name"] != nil { return [String: Value](d) }
                if case .string(let s) = n { return ["name": .string(s)] }
                throw ModuleError("networks: every entry needs 'name'")
            }
        }
        networksCLICompatible = try a.bool("networks_cli_compatible") ?? true
        extras = try ContainerExtras(arguments: a, spec: &spec)
        pull = extras.pull == "always"
        recreate = try a.bool("recreate") ?? false
        restart = try a.bool("restart") ?? false
        cleanup = try a.bool("cleanup") ?? false
        keepVolumes = try a.bool("keep_volumes") ?? true
        forceKill = try a.bool("force_kill") ?? false
        ignoreImage = try a.bool("ignore_image") ?? false
        stopTimeout = try a.int("stop_timeout")
        detach = try a.bool("detach") ?? true
        if let r = spec.restartRetries, spec.restartPolicy != "on-failure", spec.restartPolicy != nil, r > 0 {
            throw ModuleError("restart_retries needs restart_policy: on-failure")
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var module = self
        if let f = extras.envFile {
            // The task's env wins over the file's, as in the collection.
            module.spec.env = try ContainerExtras.readEnvFile(f, context).merging(spec.env ?? [:]) { $1 }
        }
        var run = ContainerRun(module: module, cli: DockerCLI(context: context, connection: connection), check: context.checkMode)
        return try run.execute(diffMode: context.diffMode)
    }
}
