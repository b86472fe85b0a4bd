/// `service`: Ansible's service action on a systemd host. Ansible hands the task to its
/// `systemd` module there, dropping (with a warning) the options only the init-script
/// managers use — `sleep`, `pattern`, `runlevel`, `arguments` — and `use`; roles written for
/// every init system pass them (geerlingguy's postgresql handler restarts with `sleep: 5`).
public struct ServiceModule: Module {
    public static let name = "service"
    /// The options Ansible drops before running `systemd`, in its order.
    static let unusedBySystemd = ["pattern", "runlevel", "sleep", "arguments"]

    public static let argumentSpec = ArgumentSpec(
        SystemdModule.argumentSpec.fields + [
            .init("sleep", .int), .init("pattern"), .init("runlevel"),
            .init("arguments", aliases: ["args"]), .init("use", default: "auto"),
        ],
        requiredOneOf: SystemdModule.argumentSpec.requiredOneOf
    )

    let systemd: SystemdModule
    let ignored: [String]

    public init(arguments args: ModuleArguments) throws {
        let use = try args.string("use")?.lowercased() ?? "auto"
        guard ["auto", "systemd"].contains(use) else {
            throw ModuleError("use: '\(use)' is not supported: provision manages services through systemd (use: auto or systemd)")
        }
        ignored = Self.unusedBySystemd.filter { args.has($0) }
        systemd = try SystemdModule(arguments: args)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var result = try systemd.run(in: context)
        result.warnings = ignored.map { "Ignoring \"\($0)\" as it is not used in \"systemd\"" } + result.warnings
        return result
    }
}
