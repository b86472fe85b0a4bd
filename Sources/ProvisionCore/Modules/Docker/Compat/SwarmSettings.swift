import Foundation

/// The swarm settings `docker_swarm` can ask for, each with its place in the swarm's spec
/// (`docker info`'s `Swarm.Cluster.Spec`) and, where the docker CLI has one, its
/// `docker swarm init/update` flag. Settings without a flag (`name`, `labels`, the Raft ticks,
/// `ca_force_rotate`, the signing CA) are changed through the engine's API on the node's own
/// socket (`POST /swarm/update` with curl), as the Docker SDK would.
struct SwarmSetting: Equatable {
    var option: String
    /// `--flag=value` for the CLI, nil when only the API can set it.
    var cliArgument: String?
    /// The wanted value, as the spec holds it.
    var value: Value
    var specPath: [String]
    /// False for values the engine never shows back (the signing CA key): sent, not compared.
    var compared = true

    /// The settings a task gives, in the collection's option order.
    static func parse(_ a: ModuleArguments) throws -> [SwarmSetting] {
        var out: [SwarmSetting] = []
        let ints: [(String, String?, [String], String)] = [
            ("task_history_retention_limit", "--task-history-limit", ["Orchestration", "TaskHistoryRetentionLimit"], ""),
            ("snapshot_interval", "--snapshot-interval", ["Raft", "SnapshotInterval"], ""),
            ("keep_old_snapshots", "--max-snapshots", ["Raft", "KeepOldSnapshots"], ""),
            ("log_entries_for_slow_followers", nil, ["Raft", "LogEntriesForSlowFollowers"], ""),
            ("heartbeat_tick", nil, ["Raft", "HeartbeatTick"], ""),
            ("election_tick", nil, ["Raft", "ElectionTick"], ""),
            ("dispatcher_heartbeat_period", "--dispatcher-heartbeat", ["Dispatcher", "HeartbeatPeriod"], "ns"),
            ("node_cert_expiry", "--cert-expiry", ["CAConfig", "NodeCertExpiry"], "ns"),
            ("ca_force_rotate", nil, ["CAConfig", "ForceRotate"], ""),
        ]
        for (option, flag, path, unit) in ints {
            if let v = try a.int(option) {
                out.append(SwarmSetting(option: option, cliArgument: flag.map { "\($0)=\(v)\(unit)" }, value: .int(v), specPath: path))
            }
        }
        if let lock = try a.bool("autolock_managers") {
            out.append(SwarmSetting(option: "autolock_managers", cliArgument: "--autolock=\(lock)", value: .bool(lock),
                                    specPath: ["EncryptionConfig", "AutoLockManagers"]))
        }
        if let name = try a.string("name") {
            out.append(SwarmSetting(option: "name", value: .string(name), specPath: ["Name"]))
        }
        if let labels = try DockerArgumentChecks.stringMap(a, "labels") {
            out.append(SwarmSetting(option: "labels", value: .dict(labels.mapValues(Value.string)), specPath: ["Labels"]))
        }
        if let cert = try a.string("signing_ca_cert") {
            out.append(SwarmSetting(option: "signing_ca_cert", value: .string(cert), specPath: ["CAConfig", "SigningCACert"]))
        }
        if let key = try a.string("signing_ca_key") {
            out.append(SwarmSetting(option: "signing_ca_key", value: .string(key), specPath: ["CAConfig", "SigningCAKey"], compared: false))
        }
        return out
    }

    /// The current value in `spec`.
    func current(in spec: Value) -> Value? {
        var cur: Value? = spec
        for k in specPath { cur = cur?[k] }
        return cur
    }

    /// True when `spec` does not hold the wanted value (absent booleans are false, absent
    /// labels none).
    func differs(from spec: Value) -> Bool {
        guard compared else { return false }
        let cur = current(in: spec)
        switch value {
        case .int(let n): return SwarmInfo.int(cur) != n
        case .bool(let b): return SwarmInfo.bool(cur) != b
        case .dict(let d):
            let have = cur?.dictValue?.mapValues(\.renderedString) ?? [:]
            return have != d.mapValues(\.renderedString)
        default: return cur?.stringValue != value.stringValue
        }
    }

    /// `spec` with every setting of `settings` in place.
    static func apply(_ settings: [SwarmSetting], to spec: Value) -> Value {
        settings.reduce(spec) { put($1.value, at: $1.specPath[...], in: $0) }
    }

    private static func put(_ v: Value, at path: ArraySlice<String>, in tree: Value) -> Value {
        guard let key = path.first else { return v }
        var d = tree.dictValue.map { [String: Value]($0) } ?? [:]
        d[key] = put(v, at: path.dropFirst(), in: d[key] ?? .dict([:]))
        return .dict(d)
    }

    /// A script that prints the engine's `GET /swarm` (ID, Version, Spec) as JSON.
    static let apiInspectScript = """
        command -v curl >/dev/null 2>&1 || { echo 'curl is not installed on the node' >&2; exit 1; }
        curl -sS -f --max-time 60 --unix-socket /var/run/docker.sock http://localhost/swarm
        """

    /// A script that sends the spec (on stdin: it may hold the CA key) to the engine's
    /// `POST /swarm/update`; prints `updated=1`, or `error=…`.
    static func apiUpdateScript(version: Int, rotateWorker: Bool, rotateManager: Bool) -> String {
        let url = "http://localhost/swarm/update?version=\(version)&rotateWorkerToken=\(rotateWorker)&rotateManagerToken=\(rotateManager)"
        return """
        command -v curl >/dev/null 2>&1 || { echo 'error=curl is not installed on the node'; exit 1; }
        resp=$(curl -sS --max-time 120 --unix-socket /var/run/docker.sock -X POST -H 'Content-Type: application/json' \\
          --data-binary @- -w '\\n%{http_code}' \(Shell.quote(url)) 2>&1)
        code=$(printf '%s' "$resp" | tail -n 1)
        [ "$code" = 200 ] && { echo updated=1; exit 0; }
        printf 'error=%s\\n' "$(printf '%s' "$resp" | sed '$d' | tr '\\n' ' ')"; exit 1

        """
    }
}
