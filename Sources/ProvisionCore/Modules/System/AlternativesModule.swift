/// `alternatives` (community.general.alternatives): one path of an `update-alternatives` group
/// installed (with its link and priority), selected, back to auto, or removed, as Ansible's:
/// present installs when the path is missing or its priority differs; selected also sets it;
/// auto resets a manual group; absent removes the path. `msg` says what was done. Followers
/// (`subcommands`) are refused rather than ignored.
public struct AlternativesModule: Module {
    public static let name = "alternatives"
    public static let aliases = ["community.general.alternatives"]
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true), .init("path", required: true), .init("link"),
        .init("priority", .int),
        .init("state", choices: ["present", "selected", "auto", "absent"], default: "selected"),
        .init("subcommands", .list, aliases: ["slaves"]),
    ])

    public var group: String
    public var path: String
    public var link: String?
    public var priority: Int?
    public var state: String

    public init(arguments args: ModuleArguments) throws {
        group = try args.requiredString("name")
        path = try args.requiredString("path")
        link = try args.string("link")
        priority = try args.int("priority")
        state = try args.choice("state", ["present", "selected", "auto", "absent"]) ?? "selected"
        if args.has("subcommands") {
            throw ModuleError("alternatives: subcommands (followers) are not supported by provision yet")
        }
        for v in [group, path, link ?? ""] where v.contains("\n") { throw ModuleError("alternatives arguments must be on one line") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("name", group)
        s.set("path", path)
        s.set("link", link ?? "")
        s.set("priority", priority.map(String.init) ?? "")
        s.set("state", state)
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        let msg = out.all("msg").joined(separator: " ")
        if let f = out.failure { return .failed(f) }
        return ModuleResult(changed: !out.all("msg").isEmpty, message: msg)
    }

    static let body = #"""
    ua=$(command -v update-alternatives) || die "Failed to find required executable \"update-alternatives\""
    q=$("$ua" --query "$name" 2>/dev/null)
    mode=$(printf '%s\n' "$q" | sed -n 's/^Status: //p')
    cur=$(printf '%s\n' "$q" | sed -n 's/^Value: //p')
    curlink=$(printf '%s\n' "$q" | sed -n 's/^Link: //p')
    have=0; havep=""
    eval "$(printf '%s\n' "$q" | awk -v p="$path" '/^Alternative: / { a = substr($0, 14) } /^Priority: / && a == p { printf "have=1; havep=%s\n", $2 }')"
    run() { [ "$check" = 1 ] && return 0; _o=$("$ua" "$@" 2>&1) || die "$_o"; }
    if [ "$state" = absent ]; then
      if [ $have = 1 ]; then pv msg "Remove alternative '$path' from '$name'."; run --remove "$name" "$path"; fi
      exit 0
    fi
    if [ $have = 0 ] || { [ -n "$priority" ] && [ "$havep" != "$priority" ]; }; then
      [ -e "$path" ] || die "Specified path $path does not exist"
      l=${link:-$curlink}
      [ -n "$l" ] || die "Needed to install the alternative, but unable to do so as we are missing the link"
      pr=${priority:-${havep:-50}}
      pv msg "Install alternative '$path' for '$name'."
      run --install "$l" "$name" "$path" "$pr"
    fi
    if [ "$state" = selected ] && [ "$cur" != "$path" ]; then pv msg "Set alternative '$path' for '$name'."; run --set "$name" "$path"; fi
    if [ "$state" = auto ] && [ "$mode" = manual ]; then pv msg "Set alternative to auto for '$name'."; run --auto "$name"; fi
    exit 0
    """#
}
