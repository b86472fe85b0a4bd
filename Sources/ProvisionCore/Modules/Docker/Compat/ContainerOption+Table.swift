import Foundation

extension ContainerOption {
    /// The options described as data, by their `docker_container` names (the collection's
    /// `docker_container` documentation, with the types of its option table).
    static let table: [ContainerOption] = scalars + collections + special

    static let byName: [String: ContainerOption] = Dictionary(table.map { ($0.name, $0) }) { a, _ in a }

    private static let scalars: [ContainerOption] = [
        int("blkio_weight", "--blkio-weight", "BlkioWeight", updatable: true),
        int("cpu_period", "--cpu-period", "CpuPeriod", updatable: true),
        int("cpu_quota", "--cpu-quota", "CpuQuota", updatable: true),
        int("cpu_shares", "--cpu-shares", "CpuShares", updatable: true),
        int("oom_score_adj", "--oom-score-adj", "OomScoreAdj"),
        int("pids_limit", "--pids-limit", "PidsLimit", updatable: true),
        int("memory_swappiness", "--memory-swappiness", "MemorySwappiness"),
        updatableString("cpuset_cpus", "--cpuset-cpus", "CpusetCpus"),
        updatableString("cpuset_mems", "--cpuset-mems", "CpusetMems"),
        bytes("memory_reservation", "--memory-reservation", "MemoryReservation", updatable: true),
        bytes("memory_swap", "--memory-swap", "MemorySwap", updatable: true),
        bytes("shm_size", "--shm-size", "ShmSize"),
        // Deprecated by the engine (ignored from API 1.42), as the collection still takes it.
        bytes("kernel_memory", "--kernel-memory", "KernelMemory", updatable: true),
        bool("oom_killer", "--oom-kill-disable", "OomKillDisable"),
        bool("publish_all_ports", "--publish-all", "PublishAllPorts"),
        string("cgroupns_mode", "--cgroupns", "HostConfig", "CgroupnsMode"),
        string("cgroup_parent", "--cgroup-parent", "HostConfig", "CgroupParent"),
        string("ipc_mode", "--ipc", "HostConfig", "IpcMode"),
        string("pid_mode", "--pid", "HostConfig", "PidMode"),
        string("userns_mode", "--userns", "HostConfig", "UsernsMode"),
        string("uts", "--uts", "HostConfig", "UTSMode"),
        string("runtime", "--runtime", "HostConfig", "Runtime"),
        string("volume_driver", "--volume-driver", "HostConfig", "VolumeDriver"),
        string("domainname", "--domainname", "Config", "Domainname"),
        string("stop_signal", "--stop-signal", "Config", "StopSignal"),
        logDriver,
        stopTimeout,
        cpus,
    ]

    private static let collections: [ContainerOption] = [
        list("dns_servers", "--dns", "Dns", ordered: true),
        list("dns_search_domains", "--dns-search", "DnsSearch", ordered: true),
        list("dns_opts", "--dns-option", "DnsOptions", ordered: false),
        list("groups", "--group-add", "GroupAdd", ordered: false),
        list("security_opts", "--security-opt", "SecurityOpt", ordered: false),
        list("volumes_from", "--volumes-from", "VolumesFrom", ordered: false),
        list("device_cgroup_rules", "--device-cgroup-rule", "DeviceCgroupRules", ordered: true),
        list("cap_drop", "--cap-drop", "CapDrop", ordered: false, normalise: capability),
        dict("sysctls", "--sysctl") { _, h in stringDict(h["Sysctls"]) },
        dict("storage_opts", "--storage-opt") { _, h in stringDict(h["StorageOpt"]) },
        dict("log_options", "--log-opt") { _, h in stringDict(h["LogConfig"]?["Config"]) },
    ]

    private static let special: [ContainerOption] = [devices, etcHosts, exposedPorts, tmpfs, ulimits, links,
        deviceRate("device_read_bps", "--device-read-bps", "BlkioDeviceReadBps", sizes: true),
        deviceRate("device_write_bps", "--device-write-bps", "BlkioDeviceWriteBps", sizes: true),
        deviceRate("device_read_iops", "--device-read-iops", "BlkioDeviceReadIOps", sizes: false),
        deviceRate("device_write_iops", "--device-write-iops", "BlkioDeviceWriteIOps", sizes: false)]

    /// `[{path, rate}]` block I/O limits, stored as `[{Path, Rate}]`; bps rates are sizes.
    private static func deviceRate(_ name: String, _ flag: String, _ key: String, sizes: Bool) -> ContainerOption {
        ContainerOption(name: name, argument: .list, make: { v in
            var flags: [String] = [], want: Set<String> = []
            for d in v.listValue ?? [] {
                guard let path = d["path"]?.stringValue, let rateText = d["rate"]?.renderedString else {
                    throw ModuleError("\(name): every entry needs 'path' and 'rate'")
                }
                guard let rate = sizes ? ContainerSpec.bytes(rateText) : Int(rateText) else {
                    throw ModuleError("\(name): '\(rateText)' is not a \(sizes ? "size" : "number")")
                }
                flags += [flag, "\(path):\(sizes ? rateText : String(rate))"]
                want.insert("\(path):\(rate)")
            }
            return (flags, .set(want))
        }, current: { _, h in
            .set(Set((h[key]?.listValue ?? []).map { "\($0["Path"]?.renderedString ?? ""):\(SwarmInfo.int($0["Rate"]) ?? 0)" }))
        }, defaultComparison: "allow_more_present")
    }

    static func updatableString(_ name: String, _ flag: String, _ key: String) -> ContainerOption {
        var o = string(name, flag, "HostConfig", key)
        o.updatable = true
        return o
    }

    /// Compared by the collection only when `comparisons` asks for it; used on stop.
    private static var stopTimeout: ContainerOption {
        let o = int("stop_timeout", "--stop-timeout", "StopTimeout")
        return ContainerOption(name: o.name, argument: .int, make: o.make, current: { c, _ in
            .int(SwarmInfo.int(c["StopTimeout"]) ?? 10)
        }, defaultComparison: "ignore")
    }

    private static var logDriver: ContainerOption {
        ContainerOption(name: "log_driver", argument: .string, make: { v in
            (["--log-driver", v.renderedString], .scalar(v.renderedString))
        }, current: { _, h in .scalar(h["LogConfig"]?["Type"]?.renderedString ?? "") })
    }

    /// `cpus: 1.5`, stored as `NanoCpus`.
    private static var cpus: ContainerOption {
        ContainerOption(name: "cpus", argument: .number, make: { v in
            guard let d = Double(v.renderedString) else { throw ModuleError("'cpus' must be a number") }
            return (["--cpus", v.renderedString], .int(Int((d * 1e9).rounded())))
        }, current: { _, h in .int(SwarmInfo.int(h["NanoCpus"]) ?? 0) }, updatable: true)
    }

    /// `/dev/x[:/dev/y[:rwm]]`, compared as `host:container:permissions`.
    private static var devices: ContainerOption {
        func norm(_ s: String) -> String {
            let p = s.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let host = p[0], cont = p.count > 1 && !p[1].isEmpty ? p[1] : host
            return "\(host):\(cont):\(p.count > 2 ? p[2] : "rwm")"
        }
        return ContainerOption(name: "devices", argument: .list, make: { v in
            let items = strings(v)
            return (items.flatMap { ["--device", $0] }, .set(Set(items.map(norm))))
        }, current: { _, h in
            .set(Set((h["Devices"]?.listValue ?? []).map {
                "\($0["PathOnHost"]?.renderedString ?? ""):\($0["PathInContainer"]?.renderedString ?? ""):\($0["CgroupPermissions"]?.renderedString ?? "")"
            }))
        }, defaultComparison: "allow_more_present")
    }

    /// `etc_hosts: {name: ip}`, stored as `ExtraHosts: ["name:ip"]`.
    private static var etcHosts: ContainerOption {
        ContainerOption(name: "etc_hosts", argument: .dict, make: { v in
            let pairs = stringDict(v).sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
            return (pairs.flatMap { ["--add-host", $0] }, .set(Set(pairs)))
        }, current: { _, h in .set(Set(strings(h["ExtraHosts"]))) }, defaultComparison: "allow_more_present")
    }

    /// `exposed_ports: [80, "53/udp"]`, stored as `Config.ExposedPorts` keys.
    private static var exposedPorts: ContainerOption {
        // `9010-9050` exposes each port of the range.
        func expand(_ s: String) -> [String] {
            let p = s.split(separator: "/", maxSplits: 1).map(String.init)
            let proto = p.count > 1 ? p[1] : "tcp"
            let ports = ContainerSpec.range(p[0])
            return ports.isEmpty ? ["\(p[0])/\(proto)"] : ports.map { "\($0)/\(proto)" }
        }
        return ContainerOption(name: "exposed_ports", argument: .list, make: { v in
            let items = strings(v)
            return (items.flatMap { ["--expose", $0] }, .set(Set(items.flatMap(expand))))
        }, current: { c, _ in .set(Set((c["ExposedPorts"]?.dictValue ?? [:]).keys)) }, defaultComparison: "allow_more_present")
    }

    /// `tmpfs: ["/tmp:size=1m"]`, stored as `HostConfig.Tmpfs: {path: options}`.
    private static var tmpfs: ContainerOption {
        ContainerOption(name: "tmpfs", argument: .list, make: { v in
            let items = strings(v)
            var d: [String: String] = [:]
            for i in items {
                let p = i.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                d[String(p[0])] = p.count > 1 ? String(p[1]) : ""
            }
            return (items.flatMap { ["--tmpfs", $0] }, .dict(d))
        }, current: { _, h in .dict(stringDict(h["Tmpfs"])) }, defaultComparison: "allow_more_present")
    }

    /// `ulimits: ["nofile:1024:2048"]`, stored as `[{Name, Soft, Hard}]`.
    private static var ulimits: ContainerOption {
        ContainerOption(name: "ulimits", argument: .list, make: { v in
            var flags: [String] = [], want: Set<String> = []
            for u in strings(v) {
                let p = u.split(separator: ":").map(String.init)
                guard p.count == 2 || p.count == 3, Int(p[1]) != nil, p.count == 2 || Int(p[2]) != nil else {
                    throw ModuleError("ulimits: '\(u)' is not type:soft[:hard]")
                }
                let hard = p.count == 3 ? p[2] : p[1]
                flags += ["--ulimit", "\(p[0])=\(p[1]):\(hard)"]
                want.insert("\(p[0]):\(p[1]):\(hard)")
            }
            return (flags, .set(want))
        }, current: { _, h in
            .set(Set((h["Ulimits"]?.listValue ?? []).map {
                "\($0["Name"]?.renderedString ?? ""):\(SwarmInfo.int($0["Soft"]) ?? 0):\(SwarmInfo.int($0["Hard"]) ?? 0)"
            }))
        }, defaultComparison: "allow_more_present")
    }

    /// `links: ["other:alias"]`, stored as `/other:/this/alias`.
    private static var links: ContainerOption {
        func norm(_ s: String) -> String {
            let p = s.split(separator: ":", maxSplits: 1).map(String.init)
            return "\(p[0]):\(p.count > 1 ? p[1] : p[0])"
        }
        return ContainerOption(name: "links", argument: .list, make: { v in
            let items = strings(v)
            return (items.flatMap { ["--link", $0] }, .set(Set(items.map(norm))))
        }, current: { _, h in
            .set(Set(strings(h["Links"]).map { l in
                let p = l.split(separator: ":", maxSplits: 1).map(String.init)
                let other = p[0].hasPrefix("/") ? String(p[0].dropFirst()) : p[0]
                let alias = p.count > 1 ? (p[1].split(separator: "/").last.map(String.init) ?? p[1]) : other
                return "\(other):\(alias)"
            }))
        }, defaultComparison: "allow_more_present")
    }
}

extension ContainerOption.Shape {
    /// The shape as a task value, for diffs.
    var value: Value {
        switch self {
        case .scalar(let s): return .string(s)
        case .int(let i): return .int(i)
        case .flag(let b): return .bool(b)
        case .list(let l): return .list(l.map(Value.string))
        case .set(let s): return .list(s.sorted().map(Value.string))
        case .dict(let d): return .dict(d.mapValues(Value.string))
        }
    }
}
