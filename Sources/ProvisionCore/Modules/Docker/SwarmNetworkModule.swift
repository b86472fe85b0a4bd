/// `swarm_network`: a swarm network (overlay, attachable by default) created once, from a
/// manager.
///
/// One script inspects the network and creates it only when missing; when several managers run
/// the task at once, the loser of the race finds the winner's network and reports ok. An
/// existing network with another driver or attachable flag is drift: reported as a failure
/// naming the difference, never "fixed" by creating a second network of the same name. On a
/// worker the task runs on a live manager of the play (through `ClusterAccess`).
public struct SwarmNetworkModule: Module {
    public static let name = "swarm_network"
    public static let aliases = ["provision.swarm_network"]
    public static let requirements: ModuleRequirements = [.cluster]
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true),
        .init("driver", default: "overlay"),
        .init("attachable", .bool, default: true),
    ])

    public var name: String
    public var driver: String
    public var attachable: Bool

    public init(arguments: ModuleArguments) throws {
        try self.init(name: try arguments.requiredString("name"), driver: try arguments.string("driver") ?? "overlay",
                      attachable: try arguments.bool("attachable") ?? true)
    }

    public init(name: String, driver: String = "overlay", attachable: Bool = true) throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }),
              !name.hasPrefix("-")
        else { throw ModuleError("'name' must be letters, digits, '_', '.' or '-' (got '\(name)')") }
        guard !driver.isEmpty, driver.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-/:".contains($0)) })
        else { throw ModuleError("'driver' '\(driver)' is not a driver name") }
        self.name = name
        self.driver = driver
        self.attachable = attachable
    }

    /// How an existing network differs from the wanted one; empty when it matches.
    public func drift(existing: Value) -> [String] {
        var out: [String] = []
        let d = existing["Driver"]?.stringValue ?? ""
        if d != driver { out.append("driver is \(d), not \(driver)") }
        if SwarmInfo.bool(existing["Attachable"]) != attachable {
            out.append(attachable ? "it is not attachable" : "it is attachable")
        }
        return out
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var transport = context.transport
        var become = context.become
        var on = context.host
        var out = try Self.runScript(script(create: !context.checkMode), on: transport, become: become, env: context.environment)
        if out["manager"] == "0" && driver == "overlay" {
            guard let cluster = context.cluster else {
                return .failed("\(context.host) is not a swarm manager; run swarm_network on a manager (hosts: managers, run_once: true)")
            }
            guard let m = SwarmClusterModule.firstLiveManager(in: cluster, excluding: context.host, environment: context.environment) else {
                return .failed("no live swarm manager in this play to create network \(name) on; run swarm_cluster first")
            }
            (transport, become, on) = (m.transport, m.host.become, m.host.name)
            out = try Self.runScript(script(create: !context.checkMode), on: transport, become: become, env: context.environment)
        }
        if let e = out["error"] { return .failed(e) }
        var data: [String: Value] = ["name": .string(name), "driver": .string(driver), "manager": .string(on)]
        if out.flag("created") {
            data["id"] = .string(out["id"] ?? "")
            return .changed(data, message: "created \(driver) network \(name) on \(on)")
        }
        guard let json = out["existing"] else {
            if context.checkMode { return .changed(data, message: "would create \(driver) network \(name)") }
            return .failed("docker network inspect/create printed nothing usable for \(name)")
        }
        guard let existing = Value(jsonText: json) else { return .failed("docker network inspect \(name) printed no JSON") }
        data["id"] = existing["Id"] ?? .null
        let differences = drift(existing: existing)
        if !differences.isEmpty {
            return .failed("network \(name) exists but \(differences.joined(separator: " and ")); docker cannot change that in place. Remove it (docker network rm \(name), after removing the services using it) or change this task's arguments", data: data)
        }
        return .ok(data, message: "network \(name) exists")
    }

    static func runScript(_ s: String, on t: Transport, become: Become?, env: [String: String]) throws -> KeyValueReport {
        let r = try t.run(RemoteCommand(s, timeout: 120, become: become, environment: env))
        return KeyValueReport(parsing: r.stdoutText)
    }

    /// Inspects, and creates only if missing (and `create`); prints `existing=JSON` or
    /// `created=1` and `id=`, `manager=0` on a non-manager, `error=` on failure.
    func script(create: Bool) -> String {
        let q = Shell.quote(name)
        var createLine = "docker network create -d \(Shell.quote(driver))"
        if attachable { createLine += " --attachable" }
        createLine += " \(q)"
        return """
        inspect() { docker network inspect --format '{{json .}}' \(q) 2>/dev/null; }
        if j=$(inspect) && [ -n "$j" ]; then printf 'existing=%s\\n' "$j"; exit 0; fi
        if [ "$(docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" != true ]; then echo manager=0; exit 0; fi
        \(create ? "" : "exit 0")
        if out=$(\(createLine) 2>&1); then echo created=1; echo "id=$out"; exit 0; fi
        # Another manager may have created it meanwhile.
        if j=$(inspect) && [ -n "$j" ]; then printf 'existing=%s\\n' "$j"; exit 0; fi
        printf 'error=%s\\n' "docker network create \(name) failed: $(printf '%s' "$out" | tr '\\n' ' ')"

        """
    }
}
