/// `dpkg_selections`: a package's dpkg selection (install, hold, deinstall, purge), read with
/// `dpkg --get-selections` and set with `dpkg --set-selections`, as Ansible's; returns `before`
/// and `after` with `--diff`.
public struct DpkgSelectionsModule: Module {
    public static let name = "dpkg_selections"
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true),
        .init("selection", required: true, choices: ["install", "hold", "deinstall", "purge"]),
    ])

    public var package: String
    public var selection: String

    public init(arguments args: ModuleArguments) throws {
        package = try args.requiredString("name")
        selection = try args.choice("selection", ["install", "hold", "deinstall", "purge"]) ?? "install"
        guard AptOutput.isValidSpec(package), !package.contains("="), !package.contains("*") else {
            throw ModuleError("'\(package)' is not a package name")
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("name", package)
        s.set("want", selection)
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        let before = out.first("before") ?? "not present"
        let changed = before != selection
        var r = ModuleResult(changed: changed)
        if changed {
            r.data["diff"] = .dict(["before": .string(before), "after": .string(selection)])
            if context.diffMode { r.diffs = [FileDiff(path: "dpkg selection of \(package)", before: before + "\n", after: selection + "\n")] }
        }
        return r
    }

    static let body = #"""
    command -v dpkg >/dev/null 2>&1 || die "dpkg is not on this host"
    cur=$(dpkg --get-selections "$name" 2>/dev/null | awk 'NR == 1 { print $2 }')
    pv before "${cur:-not present}"
    if [ "$cur" != "$want" ] && [ "$check" != 1 ]; then
      printf '%s %s\n' "$name" "$want" | dpkg --set-selections || die "dpkg --set-selections failed"
    fi
    exit 0
    """#
}
