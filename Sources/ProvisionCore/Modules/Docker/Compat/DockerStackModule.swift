import Foundation

/// `docker_stack` (`community.docker.docker_stack`): `docker stack deploy` of compose files (paths
/// on the node) and inline compose mappings (sent on stdin as JSON, which is YAML, so nothing is
/// written on the node), on a swarm manager. Changed when the specs of the stack's services
/// differ before and after (`stack_spec_diff`), as the collection decides. `state: absent`
/// removes the stack, retrying `absent_retries` times until it is gone.
public struct DockerStackModule: Module {
    public static let name = "docker_stack"
    public static let aliases = ["community.docker.docker_stack"]
    public static let supportsCheckMode = false
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true),
        .init("compose", .list, default: .list([])),
        .init("prune", .bool, default: false),
        .init("with_registry_auth", .bool, default: false),
        .init("resolve_image", choices: ["always", "changed", "never"]),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("absent_retries", .int, default: 0),
        .init("absent_retries_interval", .int, default: 1),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    public var stackName: String
    public var files: [String] = []
    public var inline: Value?
    var prune, registryAuth, present: Bool
    var resolveImage: String?
    var retries, interval: Int

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        stackName = try a.requiredString("name")
        for item in a.values["compose"]?.listValue ?? [] {
            switch item {
            case .string(let s): files.append(s)
            case .dict: inline = inline.map { Self.merge($0, item) } ?? item
            default: throw ModuleError("compose element '\(item.renderedString)' must be a string or a dictionary")
            }
        }
        prune = try a.bool("prune") ?? false
        registryAuth = try a.bool("with_registry_auth") ?? false
        present = try a.string("state") != "absent"
        resolveImage = try a.string("resolve_image")
        retries = try a.int("absent_retries") ?? 0
        interval = try a.int("absent_retries_interval") ?? 1
        if present && files.isEmpty && inline == nil {
            throw ModuleError("compose parameter must be a list containing at least one element")
        }
    }

    /// Compose mappings merged as `docker stack deploy -c a -c b` does: later keys win,
    /// mappings merge recursively.
    static func merge(_ a: Value, _ b: Value) -> Value {
        guard case .dict(var x) = a, case .dict(let y) = b else { return b }
        for (k, v) in y { x[k] = x[k].map { merge($0, v) } ?? v }
        return .dict(x)
    }

    /// `name → Spec` of the stack's services, without the fields every deploy bumps.
    func inspect(_ cli: DockerCLI) throws -> [String: Value] {
        let r = try cli.script("""
        ids=$($DOCKER service ls -q --filter \(Shell.quote("label=com.docker.stack.namespace=" + stackName)))
        [ -z "$ids" ] && echo '[]' || $DOCKER service inspect $ids
        """)
        guard r.succeeded, case .list(let items)? = Value(jsonText: r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ModuleError("docker service inspect for stack \(stackName) failed: \(SwarmInfo.excerpt(r.stderrText))")
        }
        var out: [String: Value] = [:]
        for s in items {
            guard let n = s["Spec"]?["Name"]?.stringValue else { continue }
            out[n] = s["Spec"] ?? .null
        }
        return out
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        let before = try inspect(cli)
        if !present {
            guard !before.isEmpty else { return .ok() }
            var r = try cli.run(["stack", "rm", stackName])
            var left = retries
            while left > 0, !(try inspect(cli)).isEmpty {
                Thread.sleep(forTimeInterval: TimeInterval(interval))
                left -= 1
                r = try cli.run(["stack", "rm", stackName])
            }
            guard r.succeeded else { return .failed("'docker stack down' command failed", data: Self.output(r)) }
            var ok = ModuleResult.changed(Self.output(r))
            ok.message = r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            return ok
        }
        var args = ["stack", "deploy"]
        if prune { args.append("--prune") }
        if registryAuth { args.append("--with-registry-auth") }
        if let r = resolveImage { args += ["--resolve-image", r] }
        for f in files { args += ["--compose-file", f] }
        if inline != nil { args += ["--compose-file", "-"] }
        args.append(stackName)
        let r = try cli.run(args, stdin: inline.map { Data($0.jsonString.utf8) })
        let after = try inspect(cli)
        guard r.succeeded else { return .failed("docker stack up deploy command failed", data: Self.output(r)) }
        var data = Self.output(r)
        let diff = Self.specDiff(before, after)
        if diff.isEmpty { return .ok(data) }
        data["stack_spec_diff"] = .dict(diff)
        return .changed(data)
    }

    /// Services whose spec changed: `name → {before, after}` (absent ones null).
    static func specDiff(_ before: [String: Value], _ after: [String: Value]) -> [String: Value] {
        var out: [String: Value] = [:]
        for name in Set(before.keys).union(after.keys).sorted() where before[name] != after[name] {
            out[name] = .dict(["before": before[name] ?? .null, "after": after[name] ?? .null])
        }
        return out
    }

    static func output(_ r: CommandResult) -> [String: Value] {
        ["rc": .int(Int(r.status)), "stdout": .string(r.stdoutText), "stderr": .string(r.stderrText)]
    }
}
