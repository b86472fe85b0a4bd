/// `group`: a local group present (with a given gid) or absent, via getent/groupadd/groupmod.
public struct GroupModule: Module {
    public static let name = "group"
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true), .init("gid", .int),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("system", .bool, default: false),
    ])

    public var name: String
    public var gid: Int?
    public var present: Bool
    public var system: Bool

    public init(arguments args: ModuleArguments) throws {
        name = try args.requiredString("name")
        gid = try args.int("gid")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        system = try args.bool("system") ?? false
        try UserModule.validateName(name, what: "group")
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("name", name)
        s.set("gid", gid.map(String.init) ?? "")
        s.set("state", present ? "present" : "absent")
        s.set("system", system)
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        var data: [String: Value] = ["name": .string(name), "state": .string(present ? "present" : "absent")]
        if let g = out.first("gid"), let n = Int(g) { data["gid"] = .int(n) }
        if let f = out.failure { return .failed(f, data: data) }
        let did = out.all("did")
        return ModuleResult(changed: !did.isEmpty, message: did.isEmpty ? nil : did.joined(separator: ", "), data: data)
    }

    static let body = #"""
    act() { [ "$check" = 1 ] && return 0; _o=$("$@" 2>&1) || die "$* failed: $_o"; }
    ent=$(getent group "$name")
    if [ "$state" = absent ]; then
      if [ -n "$ent" ]; then pv did "removed group $name"; act groupdel "$name"; fi
      exit 0
    fi
    if [ -z "$ent" ]; then
      set --
      [ -n "$gid" ] && set -- "$@" -g "$gid"
      [ "$system" = 1 ] && set -- "$@" -r
      pv did "created group $name"
      act groupadd "$@" "$name"
    else
      cur=$(printf '%s\n' "$ent" | cut -d: -f3)
      if [ -n "$gid" ] && [ "$cur" != "$gid" ]; then pv did "gid $cur -> $gid"; act groupmod -g "$gid" "$name"; fi
    fi
    [ "$check" = 1 ] || pv gid "$(getent group "$name" | cut -d: -f3)"
    exit 0
    """#
}
