import Foundation

/// The `docker_container` options that are neither plain create flags nor table options: read
/// at run time (`env_file` on the node), acted on after the start (`paused`, `state: healthy`),
/// compared outside `Config`/`HostConfig` (`platform`, `mac_address`), or steering the image
/// and network handling (`pull` policy, `image_name_mismatch`, `image_label_mismatch`,
/// `purge_networks`, `default_host_ip`, `kill_signal`, `device_requests`).
struct ContainerExtras {
    var envFile: String?
    var platform: String?
    var macAddress: String?
    var killSignal: String?
    var paused: Bool?
    var deviceRequests: [[String: Value]]?
    var imageLabelMismatchFail = false
    var imageNameMismatch: String?
    /// `never`, `missing` (default) or `always`.
    var pull = "missing"
    var pullCheckModeAlways = false
    /// Seconds `state: healthy` waits; nil waits for ever.
    var healthyWaitTimeout: Double? = 300

    static let fields: [ArgumentSpec.Field] = [
        .init("env_file"), .init("platform"), .init("mac_address"), .init("kill_signal"), .init("paused", .bool),
        .init("device_requests", .list), .init("default_host_ip"),
        .init("image_label_mismatch", choices: ["ignore", "fail"], default: "ignore"),
        .init("image_name_mismatch", choices: ["recreate", "ignore"]),
        .init("pull_check_mode_behavior", choices: ["image_not_present", "always"], default: "image_not_present"),
        .init("purge_networks", .bool, default: false),
        .init("healthy_wait_timeout", .number, default: 300),
    ]

    init() {}

    init(arguments a: ModuleArguments, spec: inout ContainerSpec) throws {
        envFile = try a.string("env_file")
        platform = try a.string("platform")
        macAddress = try a.string("mac_address")
        killSignal = try a.string("kill_signal")
        paused = try a.bool("paused")
        imageLabelMismatchFail = try a.string("image_label_mismatch") == "fail"
        imageNameMismatch = try a.string("image_name_mismatch")
        pullCheckModeAlways = try a.string("pull_check_mode_behavior") == "always"
        if let t = try a.double("healthy_wait_timeout") { healthyWaitTimeout = t > 0 ? t : nil }
        switch a.values["pull"] {
        case .bool(let b)?: pull = b ? "always" : "missing"
        case .string(let s)?:
            switch s.lowercased() {
            case "never", "missing", "always": pull = s.lowercased()
            default:
                guard let b = ModuleArguments.parseBool(s) else {
                    throw ModuleError("value of pull must be one of: never, missing, always, true, false, got: \(s)")
                }
                pull = b ? "always" : "missing"
            }
        case nil, .null?: break
        default: throw ModuleError("value of pull must be one of: never, missing, always, true, false")
        }
        if try a.bool("purge_networks") == true, spec.comparisons["networks"] == nil { spec.comparisons["networks"] = "strict" }
        if let ip = try a.string("default_host_ip") {
            guard ip.isEmpty || ContainerSpec.isIPv4(ip) || ip.contains(":") else {
                throw ModuleError("The value of default_host_ip must be an empty string, an IPv4 address, or an IPv6 address. Got \"\(ip)\" instead.")
            }
            if !ip.isEmpty { spec.publishedPorts = spec.publishedPorts.map { $0.map { Self.bind($0, to: ip) } } }
        }
        if let p = platform { spec.extraFlags += ["--platform", p] }
        if let m = macAddress { spec.extraFlags += ["--mac-address", m] }
        if let d = try DockerArgumentChecks.dictList(a, "device_requests") {
            deviceRequests = d
            for r in d { spec.extraFlags += ["--gpus", try Self.gpus(r)] }
        }
    }

    /// A published port with no bind address gets `ip` (`8080:80` → `ip:8080:80`).
    static func bind(_ spec: String, to ip: String) -> String {
        if spec.hasPrefix("[") { return spec }
        let body = spec.split(separator: "/", maxSplits: 1).first.map(String.init) ?? spec
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        let host = ip.contains(":") ? "[\(ip)]" : ip
        switch parts.count {
        case 1: return "\(host)::\(spec)"
        case 2: return "\(host):\(spec)"
        default: return spec
        }
    }

    /// One `device_requests` entry as the CLI's `--gpus` value (the CLI's only way to a device
    /// request): `driver`, `count`, `device_ids` and one set of `capabilities`.
    static func gpus(_ r: [String: Value]) throws -> String {
        let known: Set = ["driver", "count", "device_ids", "capabilities", "options"]
        if let k = r.keys.first(where: { !known.contains($0) }) { throw ModuleError("device_requests: unknown key '\(k)'") }
        if let o = r["options"], !(o.dictValue ?? [:]).isEmpty {
            throw ModuleError("device_requests: 'options' cannot be given through the docker CLI (its --gpus flag has no driver options); remove it")
        }
        var parts: [String] = []
        if let d = r["driver"]?.stringValue { parts.append("driver=\(d)") }
        if let c = r["count"], !c.isNull {
            guard let n = SwarmInfo.int(c) ?? Int(c.renderedString) else { throw ModuleError("device_requests: count must be an integer") }
            parts.append("count=\(n < 0 ? "all" : String(n))")
        }
        let ids = (r["device_ids"]?.listValue ?? []).map(\.renderedString)
        if !ids.isEmpty { parts.append("\"device=\(ids.joined(separator: ","))\"") }
        let caps = r["capabilities"]?.listValue ?? []
        if caps.count > 1 {
            throw ModuleError("device_requests: the docker CLI takes one set of capabilities per request (--gpus); give one list in 'capabilities'")
        }
        if let set = caps.first {
            let words = set.listValue?.map(\.renderedString) ?? [set.renderedString]
            parts.append("\"capabilities=\(words.joined(separator: ","))\"")
        }
        return parts.isEmpty ? "all" : parts.joined(separator: ",")
    }

    /// The differences these options find on container `c` (its inspect output).
    func differences(_ c: Value, spec: ContainerSpec) -> [ContainerSpec.Difference] {
        var out: [ContainerSpec.Difference] = []
        if let p = platform, spec.comparison("platform") != "ignore" {
            // The engine keeps only the OS of the platform on the container.
            let os = p.split(separator: "/").first.map { String($0).lowercased() } ?? p
            let have = c["Platform"]?.stringValue?.lowercased() ?? ""
            if !have.isEmpty && have != os { out.append(.init(option: "platform", wanted: .string(p), current: c["Platform"] ?? .null)) }
        }
        if let m = macAddress, spec.comparison("mac_address") != "ignore" {
            var have = [c["Config"]?["MacAddress"]?.stringValue, c["NetworkSettings"]?["MacAddress"]?.stringValue]
            have += (c["NetworkSettings"]?["Networks"]?.dictValue ?? [:]).values.map { $0["MacAddress"]?.stringValue }
            if !have.contains(where: { $0?.lowercased() == m.lowercased() }) {
                out.append(.init(option: "mac_address", wanted: .string(m), current: c["Config"]?["MacAddress"] ?? .null))
            }
        }
        if let d = deviceRequests, spec.comparison("device_requests") != "ignore" {
            let have = (c["HostConfig"]?["DeviceRequests"]?.listValue ?? []).map(Self.requestKey)
            let want = d.map { r -> String in
                let caps = (r["capabilities"]?.listValue ?? []).map { ($0.listValue?.map(\.renderedString) ?? [$0.renderedString]).sorted().joined(separator: ",") }
                let count = r["count"].flatMap { SwarmInfo.int($0) ?? Int($0.renderedString) } ?? (((r["device_ids"]?.listValue ?? []).isEmpty && caps.isEmpty) ? -1 : 0)
                return "\(r["driver"]?.stringValue ?? "")|\(count)|\((r["device_ids"]?.listValue ?? []).map(\.renderedString).joined(separator: ","))|\(caps.joined(separator: ";"))"
            }
            if Set(want) != Set(have) {
                out.append(.init(option: "device_requests", wanted: .list(d.map(Value.dict)), current: c["HostConfig"]?["DeviceRequests"] ?? .null))
            }
        }
        return out
    }

    static func requestKey(_ r: Value) -> String {
        let caps = (r["Capabilities"]?.listValue ?? []).map { ($0.listValue?.map(\.renderedString) ?? []).sorted().joined(separator: ",") }
        return "\(r["Driver"]?.stringValue ?? "")|\(SwarmInfo.int(r["Count"]) ?? 0)|\((r["DeviceIDs"]?.listValue ?? []).map(\.renderedString).joined(separator: ","))|\(caps.joined(separator: ";"))"
    }

    /// Reads `env_file` on the node: `KEY=VALUE` lines, `#` comments and blank lines skipped.
    static func readEnvFile(_ path: String, _ context: HostContext) throws -> [String: String] {
        let r = try context.run("cat -- \(Shell.quote(path))")
        guard r.succeeded else { throw ModuleError("env_file: cannot read \(path) on the node: \(SwarmInfo.excerpt(r.stderrText))") }
        var env: [String: String] = [:]
        for raw in r.stdoutText.split(separator: "\n", omittingEmptySubsequences: false) {
            if raw.hasPrefix("#") { continue }
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let p = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard p.count == 2 else { throw ModuleError("Invalid line in environment file \(path):\n\(line)") }
            env[String(p[0])] = String(p[1])
        }
        return env
    }
}
