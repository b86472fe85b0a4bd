/// `group_by`: puts the task's host into the group named by `key` (created when new, spaces
/// turned into dashes as Ansible does), under `parents` (default `all`), in the run's
/// in-memory inventory. Changed when the host was not in the group yet.
public struct GroupByModule: Module {
    public static let name = "group_by"
    public static let argumentSpec = ArgumentSpec([
        .init("key", .string, required: true), .init("parents", .list, default: .list(["all"])),
    ])

    public var group: String
    public var parents: [String]

    public init(arguments args: ModuleArguments) throws {
        group = try args.requiredString("key").replacingOccurrences(of: " ", with: "-")
        guard !group.isEmpty else { throw ModuleError("group_by: 'key' renders to an empty group name") }
        parents = (try args.stringList("parents") ?? ["all"]).map { $0.replacingOccurrences(of: " ", with: "-") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var r = ModuleResult.ok(["add_group": .string(group), "parent_groups": .list(parents.map(Value.string))])
        r.effects.joinedGroups = [(group, parents)]
        return r
    }
}
