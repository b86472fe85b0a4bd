/// `package`: the generic package module. As Ansible's, it hands every argument it is given to
/// the host's package manager module; provision's is `apt` (`use: auto` reads
/// `ansible_pkg_mgr` when facts were gathered, else assumes apt and lets apt's script say so
/// on a host without apt-get).
public struct PackageModule: Module {
    public static let name = "package"
    public static let argumentSpec = ArgumentSpec(
        AptModule.argumentSpec.fields.map { f in
            var f = f
            // package's own spec: name and state required / defaulted as Ansible's.
            if f.name == "name" { f.required = true }
            return f
        } + [.init("use", default: "auto")],
        mutuallyExclusive: [["deb", "name", "upgrade"]])

    var apt: AptModule
    var use: String

    public init(arguments args: ModuleArguments) throws {
        use = try args.string("use") ?? "auto"
        if use != "auto", use != "apt" {
            throw ModuleError("package manager '\(use)' is not supported; only apt is")
        }
        var raw = args.values
        raw["use"] = nil
        apt = try AptModule(arguments: ModuleArguments(raw, spec: AptModule.argumentSpec))
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        if use == "auto", let mgr = context.vars["ansible_pkg_mgr"]?.stringValue, mgr != "apt", mgr != "unknown", !mgr.isEmpty {
            return .failed("package manager '\(mgr)' is not supported by provision's package module; only apt is")
        }
        return try apt.run(in: context)
    }
}
