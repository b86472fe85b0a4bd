/// `package`: the generic package module; runs `apt` (the only package manager supported).
public struct PackageModule: Module {
    public static let name = "package"
    public static let argumentSpec = ArgumentSpec([
        .init("name", .list, required: true, aliases: ["pkg"]),
        .init("state", choices: ["present", "absent", "latest", "installed", "removed"], default: "present"),
        .init("use", default: "auto"),
    ])

    var apt: AptModule

    public init(arguments args: ModuleArguments) throws {
        if let use = try args.string("use"), use != "auto", use != "apt" {
            throw ModuleError("package manager '\(use)' is not supported; only apt is")
        }
        var raw: [String: Value] = [:]
        if let n = args.values["name"] { raw["name"] = n }
        if let s = args.values["state"] { raw["state"] = s }
        apt = try AptModule(arguments: ModuleArguments(raw, spec: AptModule.argumentSpec))
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        try apt.run(in: context)
    }
}
