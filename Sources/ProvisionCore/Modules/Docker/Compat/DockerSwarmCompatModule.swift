import Foundation

/// `docker_swarm` as community.docker documents it (`community.docker.docker_swarm`), driven by
/// the docker CLI on the node: `state: present` initialises a swarm here (or, on a manager,
/// updates its settings), `join` joins with `join_token` through `remote_addrs`, `absent` leaves,
/// `remove` removes a `Down` node by `node_id` from a manager. Returns `swarm_facts` (the swarm
/// as `docker info` shows it, with `JoinTokens` and `UnlockKey`), `actions` and, with `--diff`,
/// `diff`. Join tokens reach dockerd through stdin, never a command line; in output they are
/// masked (the registered value keeps them for the next task).
///
/// Outside check mode the step holds the swarm lock (`SwarmLock`) on this node, so two
/// controllers cannot both initialise, join or remove here at once; the second waits up to 300
/// s, then fails naming the holder.
///
/// provision's own cluster step, which finds a live manager by itself, is `swarm_cluster`.
public struct DockerSwarmCompatModule: Module {
    public static let name = "docker_swarm"
    public static let aliases = ["community.docker.docker_swarm"]
    public static let argumentSpec = ArgumentSpec([
        .init("advertise_addr"),
        .init("default_addr_pool", .list),
        .init("subnet_size", .int),
        .init("listen_addr", default: "0.0.0.0:2377"),
        .init("force", .bool, default: false),
        .init("state", choices: ["present", "join", "absent", "remove"], default: "present"),
        .init("node_id"),
        .init("join_token"),
        .init("remote_addrs", .list),
        .init("task_history_retention_limit", .int),
        .init("snapshot_interval", .int),
        .init("keep_old_snapshots", .int),
        .init("log_entries_for_slow_followers", .int),
        .init("heartbeat_tick", .int),
        .init("election_tick", .int),
        .init("dispatcher_heartbeat_period", .int),
        .init("node_cert_expiry", .int),
        .init("name"),
        .init("labels", .dict),
        .init("signing_ca_cert"),
        .init("signing_ca_key"),
        .init("ca_force_rotate", .int),
        .init("autolock_managers", .bool),
        .init("rotate_worker_token", .bool, default: false),
        .init("rotate_manager_token", .bool, default: false),
        .init("data_path_addr"),
        .init("data_path_port", .int),
    ] + DockerConnection.fields)

    public var state: String
    public var force: Bool
    var connection: DockerConnection
    var advertiseAddr: String?
    var listenAddr: String
    var joinToken: Secret?
    var remoteAddrs: [String]
    var nodeID: String?
    var dataPathAddr: String?
    var dataPathPort: Int?
    var defaultAddrPool: [String]?
    var subnetSize: Int?
    var rotateWorker: Bool
    var rotateManager: Bool
    /// The swarm settings the task gives.
    var settings: [SwarmSetting] = []

    public init(arguments a: ModuleArguments) throws {
        try DockerArgumentChecks.requiredIf(a, [("state", "join", ["remote_addrs", "join_token"]),
                                                ("state", "remove", ["node_id"])])
        state = try a.string("state") ?? "present"
        force = try a.bool("force") ?? false
        connection = try DockerConnection(arguments: a)
        advertiseAddr = try a.string("advertise_addr")
        listenAddr = try a.string("listen_addr") ?? "0.0.0.0:2377"
        joinToken = try a.string("join_token").map(Secret.init)
        remoteAddrs = try a.stringList("remote_addrs") ?? []
        nodeID = try a.string("node_id")
        dataPathAddr = try a.string("data_path_addr")
        dataPathPort = try a.int("data_path_port")
        defaultAddrPool = try a.stringList("default_addr_pool")
        subnetSize = try a.int("subnet_size")
        rotateWorker = try a.bool("rotate_worker_token") ?? false
        rotateManager = try a.bool("rotate_manager_token") ?? false
        settings = try SwarmSetting.parse(a)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        guard !context.checkMode else { return try decideAndApply(context) }
        let lock = SwarmLock(node: context.host, transport: context.transport, become: context.become,
                             holderName: context.host)
        var notes: [String] = []
        do {
            var result = try lock.holding(wait: 300, note: { notes.append($0) }) { try decideAndApply(context) }
            result.warnings = notes + result.warnings
            return result
        } catch let busy as SwarmLock.Busy {
            return .failed(busy.description)
        }
    }

    private func decideAndApply(_ context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        let info = try cli.swarmInfo()
        var out = SwarmCompatResult()
        switch state {
        case "join":
            if info.state != .inactive {
                out.actions.append("This node is already part of a swarm.")
            } else {
                if !context.checkMode { try join(cli) }
                out.actions.append("New node is added to swarm cluster")
                out.diff(key: "joined", before: .bool(false), after: .bool(true))
                out.changed = true
            }
        case "absent":
            if info.state == .inactive {
                out.actions.append("This node is not part of a swarm.")
            } else {
                if !context.checkMode {
                    let r = try cli.run(["swarm", "leave"] + (force ? ["--force"] : []))
                    if !r.succeeded { return .failed("This node can not leave the Swarm Cluster: \(SwarmInfo.excerpt(r.stderrText))") }
                }
                out.actions.append("Node has left the swarm cluster")
                out.diff(key: "joined", before: .string("present"), after: .string("absent"))
                out.changed = true
            }
        case "remove":
            guard info.isLiveManager else { return .failed("This node is not a manager.") }
            guard let id = nodeID else { return .failed("state is remove but all of the following are missing: node_id") }
            if let why = try awaitDown(cli, id: id) { return .failed(why) }
            if !context.checkMode { try cli.must(["node", "rm"] + (force ? ["--force"] : []) + [id], what: "Can not remove the node from the Swarm Cluster") }
            out.actions.append("Node is removed from swarm cluster.")
            out.diff(key: "joined", before: .bool(true), after: .bool(false))
            out.changed = true
        default:
            if !force && info.isLiveManager {
                try update(cli, context: context, out: &out)
            } else {
                if !context.checkMode {
                    try initialize(cli)
                    // Settings the CLI cannot give `swarm init` follow through the API.
                    let rest = settings.filter { $0.cliArgument == nil }
                    if !rest.isEmpty {
                        let created = try Self.swarmFacts(cli)
                        try apply(rest.filter { $0.differs(from: created["Spec"] ?? .null) }, cli: cli, rotate: false)
                    }
                }
                out.changed = true
                out.diff(key: "state", before: .string("absent"), after: .string("present"))
                if !context.checkMode {
                    var facts = try Self.swarmFacts(cli)
                    if settings.contains(where: { $0.option == "autolock_managers" && $0.value == .bool(true) }) {
                        facts["UnlockKey"] = try Self.unlockKey(cli)
                    }
                    out.facts = .dict(facts)
                    out.actions.append("New Swarm cluster created: \(facts["ID"]?.stringValue ?? "")")
                } else {
                    out.actions.append("New Swarm cluster created: ")
                }
            }
        }
        return out.result(diffMode: context.diffMode)
    }

    /// On a manager: compares the settings given with the swarm's spec and changes the ones
    /// that differ (with `docker swarm update`, or the engine's API for settings the CLI has no
    /// flag for); rotates tokens on request.
    private func update(_ cli: DockerCLI, context: HostContext, out: inout SwarmCompatResult) throws {
        let before = try Self.swarmFacts(cli)
        let spec = before["Spec"] ?? .null
        let changes = settings.filter { $0.differs(from: spec) }
        for c in changes { out.diff(key: c.option, before: c.current(in: spec) ?? .null, after: c.value) }
        if changes.isEmpty && !rotateWorker && !rotateManager {
            out.actions.append("No modification")
            out.facts = .dict(before)
            return
        }
        if !context.checkMode { try apply(changes, cli: cli, rotate: true) }
        var after = context.checkMode ? before : try Self.swarmFacts(cli)
        if changes.contains(where: { $0.option == "autolock_managers" && $0.value == .bool(true) }) && !context.checkMode {
            after["UnlockKey"] = try Self.unlockKey(cli)
        }
        out.facts = .dict(after)
        out.actions.append("Swarm cluster updated")
        out.changed = true
    }

    /// Sends `changes` (and the token rotations when `rotate`) to the swarm: through
    /// `docker swarm update` when the CLI has a flag for each, else through the API.
    private func apply(_ changes: [SwarmSetting], cli: DockerCLI, rotate: Bool) throws {
        let withKey = changes.contains { $0.option == "signing_ca_cert" } ? settings.filter { $0.option == "signing_ca_key" } : []
        let all = changes + withKey
        if all.allSatisfy({ $0.cliArgument != nil }) {
            if !all.isEmpty { try cli.must(["swarm", "update"] + all.compactMap(\.cliArgument), what: "Can not update a Swarm Cluster") }
            if rotate && rotateWorker { _ = try cli.run(["swarm", "join-token", "--rotate", "-q", "worker"]) }
            if rotate && rotateManager { _ = try cli.run(["swarm", "join-token", "--rotate", "-q", "manager"]) }
            return
        }
        guard connection.dockerHost == nil else {
            let names = all.filter { $0.cliArgument == nil }.map(\.option).joined(separator: ", ")
            throw ModuleError("Can not update a Swarm Cluster: \(names) can only be set on the node's own engine (the docker CLI has no flag for it); leave docker_host unset")
        }
        // The spec and version from the engine itself: `docker info` may lag a moment behind
        // an update just made, and the engine refuses an update of an older version.
        let inspected = try cli.script(SwarmSetting.apiInspectScript)
        guard inspected.succeeded, let swarm = Value(jsonText: inspected.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)),
              let version = SwarmInfo.int(swarm["Version"]?["Index"]) else {
            throw ModuleError("Can not update a Swarm Cluster: GET /swarm failed: \(SwarmInfo.excerpt(inspected.stderrText + inspected.stdoutText))")
        }
        let spec = SwarmSetting.apply(all, to: swarm["Spec"] ?? .dict([:]))
        let script = SwarmSetting.apiUpdateScript(version: version, rotateWorker: rotate && rotateWorker, rotateManager: rotate && rotateManager)
        let r = try cli.script(script, stdin: Data(spec.jsonString.utf8), timeout: 150)
        let kv = KeyValueReport(parsing: r.stdoutText)
        guard kv.flag("updated") else {
            throw ModuleError("Can not update a Swarm Cluster: \(kv["error"] ?? SwarmInfo.excerpt(r.stderrText))")
        }
    }

    private func initialize(_ cli: DockerCLI) throws {
        var args = ["swarm", "init", "--listen-addr", listenAddr]
        if let a = advertiseAddr { args += ["--advertise-addr", a] }
        if let d = dataPathAddr { args += ["--data-path-addr", d] }
        if let p = dataPathPort { args += ["--data-path-port", String(p)] }
        // dockerd drops a mask length given without a pool; the engine's own default pool
        // (10.0.0.0/8) keeps it.
        let pools = defaultAddrPool ?? (subnetSize != nil ? ["10.0.0.0/8"] : [])
        for p in pools { args += ["--default-addr-pool", p] }
        if let s = subnetSize { args += ["--default-addr-pool-mask-length", String(s)] }
        if force { args.append("--force-new-cluster") }
        args += settings.compactMap(\.cliArgument)
        // `swarm init` prints the worker join command with its token: swallowed.
        let r = try cli.context.run(cli.line(args) + " >/dev/null", timeout: 180)
        guard r.succeeded else { throw ModuleError("Can not create a new Swarm Cluster: \(SwarmInfo.excerpt(r.stderrText))") }
    }

    /// Joins with the token on stdin: through dockerd's API (curl on the unix socket), which
    /// takes every remote address, else through the CLI with the first one.
    private func join(_ cli: DockerCLI) throws {
        guard let token = joinToken else { throw ModuleError("state is join but all of the following are missing: join_token") }
        let script = Self.joinScript(listen: listenAddr, advertise: advertiseAddr, dataPath: dataPathAddr,
                                     remotes: remoteAddrs, useAPI: connection.dockerHost == nil)
        let r = try cli.script(script, stdin: Data((token.reveal() + "\n").utf8), timeout: 180)
        let kv = KeyValueReport(parsing: r.stdoutText)
        if kv.flag("joined") { return }
        let why = (kv["error"] ?? SwarmInfo.excerpt(r.stderrText)).replacingOccurrences(of: token.reveal(), with: SecretRedactor.mask)
        throw ModuleError("Can not join the Swarm Cluster: \(why)")
    }

    static func joinScript(listen: String, advertise: String?, dataPath: String?, remotes: [String], useAPI: Bool) -> String {
        let json = { (s: String) in Value.string(s).jsonString }
        var fields = ["\"ListenAddr\":\(json(listen))", "\"RemoteAddrs\":[\(remotes.map(json).joined(separator: ","))]"]
        if let a = advertise { fields.append("\"AdvertiseAddr\":\(json(a))") }
        if let d = dataPath { fields.append("\"DataPathAddr\":\(json(d))") }
        let body = "{" + fields.joined(separator: ",") + ",\"JoinToken\":\"%s\"}"
        var cliArgs = "--listen-addr \(Shell.quote(listen))"
        if let a = advertise { cliArgs += " --advertise-addr \(Shell.quote(a))" }
        if let d = dataPath { cliArgs += " --data-path-addr \(Shell.quote(d))" }
        return """
        IFS= read -r t
        if \(useAPI ? "command -v curl >/dev/null 2>&1" : "false"); then
          resp=$(printf \(Shell.quote(body)) "$t" |
            curl -sS --max-time 150 --unix-socket /var/run/docker.sock -H 'Content-Type: application/json' \\
              --data-binary @- -w '\\n%{http_code}' http://localhost/swarm/join 2>&1)
          code=$(printf '%s' "$resp" | tail -n 1)
          [ "$code" = 200 ] && { echo joined=1; exit 0; }
          printf 'error=%s\\n' "$(printf '%s' "$resp" | sed '$d' | tr '\\n' ' ')"; exit 1
        fi
        out=$($DOCKER swarm join --token "$t" \(cliArgs) \(Shell.quote(remotes.first ?? "")) 2>&1) && { echo joined=1; exit 0; }
        printf 'error=%s\\n' "$(printf '%s' "$out" | tr '\\n' ' ')"; exit 1

        """
    }

    /// Polls the node's state as the collection does (5 reads, 5 s apart); nil once it is down.
    private func awaitDown(_ cli: DockerCLI, id: String) throws -> String? {
        for attempt in 0..<5 {
            guard let node = try cli.inspect("node", id) else {
                return "Error while reading from Swarm manager: no node \(id) in this swarm"
            }
            if node["Status"]?["State"]?.stringValue == "down" { return nil }
            if attempt < 4 { Thread.sleep(forTimeInterval: 5) }
        }
        return "Can not remove the node. The status node is ready and not down."
    }

    /// The swarm as a manager sees it (`docker info`'s `Swarm.Cluster`: ID, Version, Spec, …)
    /// with `JoinTokens` and `UnlockKey`, which is null: the collection shows the key only in
    /// the result of the task that turned autolock on.
    static func swarmFacts(_ cli: DockerCLI) throws -> [String: Value] {
        let r = try cli.script("""
        $DOCKER info --format '{{json .Swarm.Cluster}}' | sed 's/^/cluster=/'
        echo "worker=$($DOCKER swarm join-token -q worker 2>/dev/null)"
        echo "manager=$($DOCKER swarm join-token -q manager 2>/dev/null)"
        """)
        let kv = KeyValueReport(parsing: r.stdoutText)
        guard let text = kv["cluster"], case .dict(var d)? = Value(jsonText: text) else {
            throw ModuleError("docker info printed no swarm cluster: \(SwarmInfo.excerpt(r.stderrText))")
        }
        d["JoinTokens"] = .dict(["Worker": .string(kv["worker"] ?? ""), "Manager": .string(kv["manager"] ?? "")])
        d["UnlockKey"] = .null
        return [String: Value](d)
    }

    /// The swarm's unlock key, null when autolock is off.
    static func unlockKey(_ cli: DockerCLI) throws -> Value {
        let key = try cli.run(["swarm", "unlock-key", "-q"]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        return key.isEmpty ? .null : .string(key)
    }
}
