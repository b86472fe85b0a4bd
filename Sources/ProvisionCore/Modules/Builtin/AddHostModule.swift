/// `add_host`: puts a host (new, or one of the inventory) into groups and sets variables on
/// it, in the run's in-memory inventory, so later plays, patterns and `hostvars` see it (the
/// usual way to hand a swarm join token to a worker play).
///
/// Like Ansible's, it runs once per batch (`bypassHostLoop`), unless it loops; `name: h:2222`
/// sets `ansible_port`. Every argument that is not the name or the groups is a host variable.
/// It is changed when the inventory changed (a new host, a new group membership).
public struct AddHostModule: Module {
    public static let name = "add_host"
    public static let requirements: ModuleRequirements = [.bypassHostLoop]
    public static let argumentSpec = ArgumentSpec([
        .init("name", .string, required: true, aliases: ["host", "hostname"]),
        .init("groups", .list, aliases: ["group", "groupname"]),
    ], acceptsAnyKey: true)

    public var host: AddedHost

    public init(arguments args: ModuleArguments) throws {
        var name = try args.requiredString("name").trimmingCharacters(in: .whitespaces)
        var vars = args.values.filter { $0.key != "name" && $0.key != "groups" }
        // `host:port`, but not an IPv6 address written bare.
        if let colon = name.lastIndex(of: ":"), name.filter({ $0 == ":" }).count == 1,
           let port = Int(name[name.index(after: colon)...]) {
            vars["ansible_port"] = .int(port)
            name = String(name[..<colon])
        }
        guard !name.isEmpty else { throw ModuleError("add_host needs a host name") }
        var groups: [String] = []
        for g in try args.stringList("groups") ?? [] where !groups.contains(g) { groups.append(g) }
        host = AddedHost(name: name, groups: groups, vars: vars)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var r = ModuleResult.ok(["add_host": .dict([
            "host_name": .string(host.name), "groups": .list(host.groups.map(Value.string)),
            "host_vars": .dict(host.vars),
        ])])
        r.effects.addedHosts = [host]
        return r
    }
}
