/// `authorized_key`: SSH public keys in a user's `~/.ssh/authorized_keys` (or `path`), added,
/// updated or removed (`exclusive` removes all others). The file and, with `manage_dir`, the
/// `.ssh` directory belong to the user with modes 0600 / 0700, as sshd's StrictModes wants.
public struct AuthorizedKeyModule: Module {
    public static let name = "authorized_key"
    public static let argumentSpec = ArgumentSpec([
        .init("user", required: true), .init("key", required: true), .init("path"),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("exclusive", .bool, default: false), .init("manage_dir", .bool, default: true),
    ])

    public var user: String
    public var keys: [String]
    public var path: String?
    public var present: Bool
    public var exclusive: Bool
    public var manageDir: Bool

    public init(arguments args: ModuleArguments) throws {
        user = try args.requiredString("user")
        keys = try AuthorizedKeysEdit.parse(try args.requiredString("key"))
        path = try args.string("path")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        exclusive = try args.bool("exclusive") ?? false
        manageDir = try args.bool("manage_dir") ?? true
        try UserModule.validateName(user, what: "user")
        if keys.isEmpty && !exclusive { throw ModuleError("'key' holds no SSH public key") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        // One round trip finds the user's home and group and, unless checking, makes ~/.ssh.
        var s = ModuleScript(Self.resolveBody)
        s.set("user", user)
        s.set("path", path ?? "")
        s.set("manage", manageDir && path == nil && present)
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        guard let file = out.first("file"), let group = out.first("group") else { return .failed("cannot find \(user)'s home") }
        var data: [String: Value] = ["user": .string(user)]
        if out.has("did") && context.checkMode, out.first("did") == "mkdir" {
            // The directory and file would be created: everything is a change.
            return .changed(data.merging(["path": .string(file)]) { a, _ in a }, message: "would create \(file)")
        }
        let runner = TextFileEdit(path: file, attributes: FileAttributes(owner: user, group: group, mode: "600"),
                                  create: present, removing: !present)
        let edit = AuthorizedKeysEdit(keys: keys, present: present, exclusive: exclusive)
        var r = try runner.run(in: context) { original in
            let e = edit.apply(original)
            return .init(text: e.text, changed: e.changed, message: e.message)
        }
        data["path"] = .string(file)
        r.data.merge(data) { a, _ in a }
        if out.first("did") == "mkdir" { r.changed = true }
        return r
    }

    static let resolveBody = #"""
    ent=$(getent passwd "$user") || die "user $user does not exist"
    home=$(printf '%s\n' "$ent" | cut -d: -f6)
    gid=$(printf '%s\n' "$ent" | cut -d: -f4)
    group=$(getent group "$gid" | cut -d: -f1)
    pv group "${group:-$gid}"
    if [ -z "$path" ]; then path="$home/.ssh/authorized_keys"; fi
    pv file "$path"
    if [ "$manage" = 1 ] && [ ! -d "$home/.ssh" ]; then
      pv did mkdir
      if [ "$check" != 1 ]; then
        mkdir -p -- "$home/.ssh" && chmod 700 "$home/.ssh" && chown "$user:${group:-$gid}" "$home/.ssh" \
          || die "cannot create $home/.ssh"
      fi
    fi
    exit 0
    """#
}
