/// `hostname`: the host's name, now and at boot: `hostnamectl set-hostname` under systemd,
/// else `/etc/hostname` plus `hostname NAME`. Like Ansible's, it leaves /etc/hosts alone.
public struct HostnameModule: Module {
    public static let name = "hostname"
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true), .init("use", choices: ["systemd", "debian", "generic"]),
    ])

    public var hostname: String
    public var use: String?
    /// Where the permanent name lives (a test points it elsewhere).
    var hostnameFile = "/etc/hostname"

    public init(arguments args: ModuleArguments) throws {
        hostname = try args.requiredString("name")
        use = try args.choice("use", ["systemd", "debian", "generic"])
        // RFC 1123 labels, dot-separated: also what makes the name safe in messages.
        let label = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
        guard hostname.count <= 253, hostname.range(of: "^\(label)(\\.\(label))*$", options: .regularExpression) != nil else {
            throw ModuleError("'\(hostname)' is not a valid host name (letters, digits and '-', labels separated by '.')")
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("name", hostname)
        s.set("use", use ?? "")
        s.set("file", hostnameFile)
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        var data: [String: Value] = ["name": .string(hostname)]
        if let before = out.first("before") { data["before"] = .string(before) }
        if let f = out.failure { return .failed(f, data: data) }
        let did = out.has("did")
        if did, context.diffMode {
            return ModuleResult(changed: true, message: "hostname set to \(hostname)",
                                diffs: [FileDiff(path: "hostname", before: (out.first("before") ?? "") + "\n",
                                                 after: hostname + "\n")], data: data)
        }
        return ModuleResult(changed: did, message: did ? "hostname set to \(hostname)" : nil, data: data)
    }

    static let body = #"""
    cur=$(hostname 2>/dev/null || uname -n)
    perm=$(cat "$file" 2>/dev/null)
    pv before "$cur"
    if [ "$cur" = "$name" ] && [ "$perm" = "$name" ]; then exit 0; fi
    pv did
    [ "$check" = 1 ] && exit 0
    if [ -z "$use" ]; then
      if command -v hostnamectl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then use=systemd; else use=debian; fi
    fi
    if [ "$use" = systemd ]; then
      _o=$(hostnamectl set-hostname "$name" 2>&1) || die "hostnamectl set-hostname failed: $_o"
    else
      _t=$(mktemp "$file.XXXXXX") || die "cannot write $file"
      printf '%s\n' "$name" > "$_t" && chmod 644 "$_t" && mv -f "$_t" "$file" || { rm -f "$_t"; die "cannot write $file"; }
      _o=$(hostname "$name" 2>&1) || die "hostname $name failed: $_o"
    fi
    exit 0
    """#
}
