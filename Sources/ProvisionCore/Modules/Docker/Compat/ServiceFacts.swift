import Foundation

/// `docker_swarm_service`'s `swarm_service` result as the collection returns it: the service
/// as the task describes it, every option key present (null when the task leaves it unset),
/// the nested options (`placement`, `restart_config`, `update_config`, `limits`,
/// `reservations`, `logging`) flattened to the collection's fact names, durations in
/// nanoseconds, and the image the service runs.
enum ServiceFacts {
    /// The fact keys, in the collection's order.
    static let keys = [
        "image", "mounts", "configs", "networks", "command", "args", "tty", "dns", "dns_search", "dns_options",
        "healthcheck", "healthcheck_disabled", "hostname", "hosts", "env", "force_update", "groups", "log_driver",
        "log_driver_options", "publish", "constraints", "replicas_max_per_node", "placement_preferences", "labels",
        "container_labels", "mode", "replicas", "endpoint_mode", "restart_policy", "secrets", "stop_grace_period",
        "stop_signal", "limit_cpu", "limit_memory", "read_only", "reserve_cpu", "reserve_memory",
        "restart_policy_delay", "restart_policy_attempts", "restart_policy_window", "rollback_config", "update_delay",
        "update_parallelism", "update_failure_action", "update_monitor", "update_max_failure_ratio", "update_order",
        "user", "working_dir", "init", "cap_add", "cap_drop", "sysctls",
    ]

    /// Options whose value the facts carry as given.
    static let passedThrough = [
        "mounts", "configs", "networks", "args", "tty", "dns", "dns_search", "dns_options", "healthcheck", "hostname",
        "hosts", "groups", "labels", "container_labels", "endpoint_mode", "secrets", "stop_signal", "read_only",
        "rollback_config", "user", "working_dir", "init", "cap_add", "cap_drop", "sysctls",
    ]

    static func facts(arguments a: ModuleArguments, want: ServiceSpec, image: Value?) -> Value {
        var f: [String: Value] = [:]
        for k in keys { f[k] = .null }
        for k in passedThrough { if let v = a.values[k], !v.isNull { f[k] = v } }
        f["image"] = image ?? want.image.map(Value.string) ?? .null
        f["command"] = want.command.map { .list($0.map(Value.string)) } ?? .null
        f["env"] = want.env.map { env in .list(env.sorted { $0.key < $1.key }.map { .string("\($0.key)=\($0.value)") }) } ?? .null
        if a.values["force_update"] == .bool(true) { f["force_update"] = true }
        f["mode"] = .string(want.mode)
        f["replicas"] = want.mode == "global" ? .null : .int(want.replicas)
        if let ports = want.publish {
            f["publish"] = .list(ports.map { p in
                .dict(["mode": p["mode"] ?? .null, "protocol": p["protocol"] ?? "tcp",
                       "published_port": p["published_port"].map(intOrSame) ?? .null,
                       "target_port": p["target_port"].map(intOrSame) ?? .null])
            })
        }
        let placement = a.values["placement"]
        f["constraints"] = placement?["constraints"] ?? .null
        f["replicas_max_per_node"] = placement?["replicas_max_per_node"].map(intOrSame) ?? .null
        f["placement_preferences"] = placement?["preferences"] ?? .null
        let restart = a.values["restart_config"]
        f["restart_policy"] = restart?["condition"] ?? .null
        f["restart_policy_attempts"] = restart?["max_attempts"].map(intOrSame) ?? .null
        f["restart_policy_delay"] = restart?["delay"].map(duration) ?? .null
        f["restart_policy_window"] = restart?["window"].map(duration) ?? .null
        let update = a.values["update_config"]
        f["update_delay"] = update?["delay"].map(duration) ?? .null
        f["update_parallelism"] = update?["parallelism"].map(intOrSame) ?? .null
        f["update_failure_action"] = update?["failure_action"] ?? .null
        f["update_monitor"] = update?["monitor"].map(duration) ?? .null
        f["update_max_failure_ratio"] = update?["max_failure_ratio"] ?? .null
        f["update_order"] = update?["order"] ?? .null
        f["limit_cpu"] = a.values["limits"]?["cpus"] ?? .null
        f["limit_memory"] = a.values["limits"]?["memory"].map(bytes) ?? .null
        f["reserve_cpu"] = a.values["reservations"]?["cpus"] ?? .null
        f["reserve_memory"] = a.values["reservations"]?["memory"].map(bytes) ?? .null
        f["log_driver"] = a.values["logging"]?["driver"] ?? .null
        f["log_driver_options"] = a.values["logging"]?["options"] ?? .null
        f["stop_grace_period"] = a.values["stop_grace_period"].map(duration) ?? .null
        return .dict(f)
    }

    /// An existing service's spec in the same terms (the collection's reading of
    /// `docker service inspect`), for the `before` side of the diff.
    static func current(_ spec: Value) -> [String: Value] {
        let task = spec["TaskTemplate"] ?? .null, cs = task["ContainerSpec"] ?? .null
        var f: [String: Value] = [:]
        func put(_ k: String, _ v: Value?) { if let v, !v.isNull { f[k] = v } }
        put("image", cs["Image"]); put("user", cs["User"]); put("env", cs["Env"]); put("command", cs["Command"])
        put("args", cs["Args"]); put("groups", cs["Groups"]); put("stop_grace_period", cs["StopGracePeriod"])
        put("stop_signal", cs["StopSignal"]); put("working_dir", cs["Dir"]); put("read_only", cs["ReadOnly"])
        put("cap_add", cs["CapabilityAdd"]); put("cap_drop", cs["CapabilityDrop"]); put("hostname", cs["Hostname"])
        put("tty", cs["TTY"]); put("init", cs["Init"]); put("sysctls", cs["Sysctls"])
        put("labels", spec["Labels"]); put("container_labels", cs["Labels"])
        put("dns", cs["DNSConfig"]?["Nameservers"]); put("dns_search", cs["DNSConfig"]?["Search"])
        put("dns_options", cs["DNSConfig"]?["Options"])
        put("healthcheck", cs["Healthcheck"]); put("hosts", cs["Hosts"])
        put("mounts", cs["Mounts"]); put("secrets", cs["Secrets"]); put("configs", cs["Configs"])
        put("networks", task["Networks"] ?? spec["Networks"])
        put("constraints", task["Placement"]?["Constraints"]); put("replicas_max_per_node", task["Placement"]?["MaxReplicas"])
        put("placement_preferences", task["Placement"]?["Preferences"])
        let restart = task["RestartPolicy"]
        put("restart_policy", restart?["Condition"]); put("restart_policy_delay", restart?["Delay"])
        put("restart_policy_attempts", restart?["MaxAttempts"]); put("restart_policy_window", restart?["Window"])
        let update = spec["UpdateConfig"]
        for (k, key) in [("delay", "Delay"), ("parallelism", "Parallelism"), ("failure_action", "FailureAction"),
                         ("monitor", "Monitor"), ("max_failure_ratio", "MaxFailureRatio"), ("order", "Order")] {
            put("update_" + k, update?[key])
        }
        put("rollback_config", spec["RollbackConfig"])
        put("publish", spec["EndpointSpec"]?["Ports"]); put("endpoint_mode", spec["EndpointSpec"]?["Mode"])
        put("log_driver", task["LogDriver"]?["Name"]); put("log_driver_options", task["LogDriver"]?["Options"])
        let limits = task["Resources"]?["Limits"], reserve = task["Resources"]?["Reservations"]
        put("limit_cpu", SwarmInfo.int(limits?["NanoCPUs"]).map { .double(Double($0) / 1e9) })
        put("limit_memory", limits?["MemoryBytes"])
        put("reserve_cpu", SwarmInfo.int(reserve?["NanoCPUs"]).map { .double(Double($0) / 1e9) })
        put("reserve_memory", reserve?["MemoryBytes"])
        f["mode"] = .string(ServiceSpec.mode(of: spec))
        put("replicas", spec["Mode"]?["Replicated"]?["Replicas"])
        return f
    }

    private static func intOrSame(_ v: Value) -> Value {
        if case .string(let s) = v, let i = Int(s) { return .int(i) }
        return v
    }

    /// "5s", "1m30s" as nanoseconds; a number as given.
    private static func duration(_ v: Value) -> Value {
        if case .string(let s) = v, let n = ContainerSpec.nanoseconds(s) { return .int(n) }
        return v.isNull ? .null : v
    }

    private static func bytes(_ v: Value) -> Value {
        if case .string(let s) = v, let n = ContainerSpec.bytes(s) { return .int(n) }
        return v
    }
}
