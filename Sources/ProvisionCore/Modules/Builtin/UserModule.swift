import Foundation

/// `user`: a local account present or absent, with uid, primary group, supplementary groups
/// (`append`), shell, home, comment and password hash, via getent/useradd/usermod/userdel.
///
/// The password hash is a secret: it reaches the host on stdin (`chpasswd -e`), never on a
/// command line, and is compared there; it is never printed or returned.
public struct UserModule: Module {
    public static let name = "user"
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true, aliases: ["user"]), .init("uid", .int),
        .init("group"), .init("groups", .list), .init("append", .bool, default: false),
        .init("shell"), .init("home"), .init("create_home", .bool, aliases: ["createhome"], default: true),
        .init("move_home", .bool, default: false), .init("comment"),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("system", .bool, default: false), .init("remove", .bool, default: false),
        .init("force", .bool, default: false), .init("password"),
        .init("update_password", choices: ["always", "on_create"], default: "always"),
        .init("expires", .number), .init("generate_ssh_key", .bool, default: false),
        .init("ssh_key_type", default: "rsa"), .init("ssh_key_bits", .int), .init("ssh_key_file"),
        .init("ssh_key_comment"), .init("ssh_key_passphrase"),
    ])

    public var name: String
    public var uid: Int?
    public var group: String?
    public var groups: [String]?
    public var append: Bool
    public var shell: String?
    public var home: String?
    public var createHome: Bool
    public var moveHome: Bool
    public var comment: String?
    public var present: Bool
    public var system: Bool
    public var remove: Bool
    public var force: Bool
    public var password: Secret?
    public var updatePasswordAlways: Bool
    /// `expires` as `usermod -e` takes it: a UTC date, or "" for never (a negative epoch).
    var expiryDate: String?
    /// The same as days since 1970 (the shadow file's field), empty for never.
    var expiryDays = ""
    public var generateSSHKey: Bool
    public var sshKeyType: String
    public var sshKeyBits: Int?
    public var sshKeyFile: String?
    public var sshKeyComment: String?

    public init(arguments args: ModuleArguments) throws {
        name = try args.requiredString("name")
        uid = try args.int("uid")
        group = try args.string("group")
        groups = try args.stringList("groups")
        append = try args.bool("append") ?? false
        shell = try args.string("shell")
        home = try args.string("home")
        createHome = try args.bool("create_home") ?? true
        moveHome = try args.bool("move_home") ?? false
        comment = try args.string("comment")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        system = try args.bool("system") ?? false
        remove = try args.bool("remove") ?? false
        force = try args.bool("force") ?? false
        password = try args.string("password").map(Secret.init)
        updatePasswordAlways = try args.choice("update_password", ["always", "on_create"]) != "on_create"
        if let e = try args.double("expires") {
            if e < 0 { expiryDate = "" } else {
                let f = DateFormatter()
                f.locale = Locale(identifier: "en_US_POSIX")
                f.timeZone = TimeZone(identifier: "UTC")
                f.dateFormat = "yyyy-MM-dd"
                expiryDate = f.string(from: Date(timeIntervalSince1970: e))
                expiryDays = String(Int((e / 86400).rounded(.down)))
            }
        }
        generateSSHKey = try args.bool("generate_ssh_key") ?? false
        sshKeyType = try args.string("ssh_key_type") ?? "rsa"
        sshKeyBits = try args.int("ssh_key_bits")
        sshKeyFile = try args.string("ssh_key_file")
        sshKeyComment = try args.string("ssh_key_comment")
        if try args.string("ssh_key_passphrase") != nil {
            throw ModuleError("'ssh_key_passphrase' is not supported yet (ssh-keygen would need it on its command line); generate the key without one")
        }
        guard sshKeyType.range(of: "^[a-z0-9-]+$", options: .regularExpression) != nil else {
            throw ModuleError("'ssh_key_type' must be a key type such as rsa, ed25519 or ecdsa (got '\(sshKeyType)')")
        }
        try Self.validateName(name, what: "user")
        for g in (groups ?? []) + (group.map { [$0] } ?? []) { try Self.validateName(g, what: "group") }
        if let p = password?.reveal(), p.contains(":") || p.contains("\n") {
            throw ModuleError("'password' must be a crypt(3) hash (e.g. from mkpasswd -m sha-512), not containing ':' or newlines")
        }
        if let comment, comment.contains(":") || comment.contains("\n") {
            throw ModuleError("'comment' must not contain ':' or newlines")
        }
    }

    /// Account and group names as useradd accepts them (and so safe to print in messages).
    static func validateName(_ n: String, what: String) throws {
        guard n.range(of: #"^[A-Za-z0-9_][A-Za-z0-9_.\-]*\$?$"#, options: .regularExpression) != nil, n.count <= 32 else {
            throw ModuleError("'\(n)' is not a valid \(what) name")
        }
    }

    func script(checkMode: Bool) -> ModuleScript {
        var s = ModuleScript(Self.body)
        s.set("name", name)
        s.set("uid", uid.map(String.init) ?? "")
        s.set("group", group ?? "")
        s.set("groups_given", groups != nil)
        s.set("groups", (groups ?? []).joined(separator: ","))
        s.set("append", append)
        s.set("shell", shell ?? "")
        s.set("home", home ?? "")
        s.set("create_home", createHome)
        s.set("move_home", moveHome)
        s.set("comment_given", comment != nil)
        s.set("comment", comment ?? "")
        s.set("state", present ? "present" : "absent")
        s.set("system", system)
        s.set("remove", remove)
        s.set("force", force)
        s.set("has_password", password != nil)
        s.set("update_password", updatePasswordAlways ? "always" : "on_create")
        s.set("expires_given", expiryDate != nil)
        s.set("expires", expiryDate ?? "")
        s.set("wexp", expiryDays)
        s.set("genkey", generateSSHKey)
        s.set("ktype", sshKeyType)
        s.set("kbits", sshKeyBits.map(String.init) ?? "")
        s.set("kfile", sshKeyFile ?? ".ssh/id_" + sshKeyType)
        s.set("kcomment_given", sshKeyComment != nil)
        s.set("kcomment", sshKeyComment ?? "")
        s.set("check", checkMode)
        return s
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let stdin = password.map { Data(($0.reveal() + "\n").utf8) }
        let out = try script(checkMode: context.checkMode).run(in: context, stdin: stdin)
        return interpret(out)
    }

    func interpret(_ out: ScriptOutput) -> ModuleResult {
        var data: [String: Value] = ["name": .string(name), "state": .string(present ? "present" : "absent")]
        if let e = out.first("entry") {
            let f = e.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if f.count >= 7 {
                data["uid"] = Int(f[2]).map(Value.int) ?? .string(f[2])
                data["group"] = Int(f[3]).map(Value.int) ?? .string(f[3])
                data["comment"] = .string(f[4])
                data["home"] = .string(f[5])
                data["shell"] = .string(f[6])
            }
        }
        if let k = out.first("ssh_key_file") { data["ssh_key_file"] = .string(k) }
        if let f = out.first("ssh_fingerprint") { data["ssh_fingerprint"] = .string(f) }
        if let p = out.first("ssh_public_key") { data["ssh_public_key"] = .string(p) }
        if let f = out.failure { return .failed(f, data: data) }
        let did = out.all("did")
        return ModuleResult(changed: !did.isEmpty, message: did.isEmpty ? nil : did.joined(separator: ", "), data: data)
    }

    static let body = #"""
    act() { [ "$check" = 1 ] && return 0; _o=$("$@" 2>&1) || die "$* failed: $_o"; }
    pw=""
    if [ "$has_password" = 1 ]; then IFS= read -r pw || true; fi
    ent=$(getent passwd "$name")
    if [ "$state" = absent ]; then
      if [ -n "$ent" ]; then
        set --; [ "$remove" = 1 ] && set -- "$@" -r; [ "$force" = 1 ] && set -- "$@" -f
        pv did "removed user $name"; act userdel "$@" "$name"
      fi
      exit 0
    fi
    if [ -n "$group" ] && ! getent group "$group" >/dev/null; then die "group $group does not exist"; fi
    if [ -n "$groups" ]; then
      for g in $(printf '%s\n' "$groups" | tr ',' ' '); do getent group "$g" >/dev/null || die "group $g does not exist"; done
    fi
    setpw() { [ "$check" = 1 ] && return 0; printf '%s:%s\n' "$name" "$pw" | chpasswd -e 2>&1 >/dev/null || die "setting the password of $name failed"; }
    if [ -z "$ent" ]; then
      set --
      [ -n "$uid" ] && set -- "$@" -u "$uid"
      [ -n "$group" ] && set -- "$@" -g "$group"
      [ -n "$groups" ] && set -- "$@" -G "$groups"
      [ -n "$shell" ] && set -- "$@" -s "$shell"
      [ -n "$home" ] && set -- "$@" -d "$home"
      [ "$comment_given" = 1 ] && set -- "$@" -c "$comment"
      [ "$system" = 1 ] && set -- "$@" -r
      [ "$expires_given" = 1 ] && [ -n "$expires" ] && set -- "$@" -e "$expires"
      if [ "$create_home" = 1 ]; then set -- "$@" -m; else set -- "$@" -M; fi
      pv did "created user $name"
      act useradd "$@" "$name"
      [ "$has_password" = 1 ] && setpw
    else
      IFS=: read -r _n _x cuid cgid ccomment chome cshell <<EOF
    $ent
    EOF
      if [ -n "$uid" ] && [ "$cuid" != "$uid" ]; then pv did "uid $cuid -> $uid"; act usermod -u "$uid" "$name"; fi
      if [ -n "$group" ]; then
        wgid=$(getent group "$group" | cut -d: -f3)
        if [ "$cgid" != "$wgid" ]; then pv did "primary group -> $group"; act usermod -g "$group" "$name"; fi
      fi
      if [ -n "$shell" ] && [ "$cshell" != "$shell" ]; then pv did "shell -> $shell"; act usermod -s "$shell" "$name"; fi
      if [ "$comment_given" = 1 ] && [ "$ccomment" != "$comment" ]; then pv did "comment changed"; act usermod -c "$comment" "$name"; fi
      if [ -n "$home" ] && [ "$chome" != "$home" ]; then
        pv did "home -> $home"
        if [ "$move_home" = 1 ]; then act usermod -d "$home" -m "$name"; else act usermod -d "$home" "$name"; fi
      fi
      if [ "$groups_given" = 1 ]; then
        prim=$(getent group "$cgid" | cut -d: -f1)
        cur=$(id -Gn "$name" | tr ' ' '\n' | grep -vx -- "$prim" | sort -u | tr '\n' ',')
        want=$(printf '%s\n' "$groups" | tr ',' '\n' | grep -v '^$' | grep -vx -- "${group:-$prim}" | sort -u | tr '\n' ',')
        if [ "$append" = 1 ]; then
          missing=""
          for g in $(printf '%s\n' "$want" | tr ',' ' '); do
            case ",$cur" in *",$g,"*) ;; *) missing="$missing,$g" ;; esac
          done
          if [ -n "$missing" ]; then
            pv did "added to groups ${missing#,}"
            act usermod --append --groups "${missing#,}" "$name"
          fi
        elif [ "$cur" != "$want" ]; then
          pv did "groups -> ${want%,}"; act usermod -G "${want%,}" "$name"
        fi
      fi
      if [ "$expires_given" = 1 ]; then
        cexp=$(getent shadow "$name" | cut -d: -f8)
        # usermod -e '' on a never-expiring account still reports nothing to change.
        if [ "$cexp" != "$wexp" ] && ! { [ -z "$wexp" ] && [ "$cexp" = "-1" ]; }; then
          pv did "expires -> ${expires:-never}"; act usermod -e "$expires" "$name"
        fi
      fi
      if [ "$has_password" = 1 ] && [ "$update_password" = always ]; then
        cpw=$(getent shadow "$name" | cut -d: -f2)
        if [ "$cpw" != "$pw" ]; then pv did "password changed"; setpw; fi
      fi
    fi
    if [ "$genkey" = 1 ]; then
      uhome=$(getent passwd "$name" | cut -d: -f6)
      case $kfile in /*) kf=$kfile ;; *) kf=${uhome:-/home/$name}/$kfile ;; esac
      pv ssh_key_file "$kf"
      if [ -f "$kf" ]; then
        pv ssh_public_key "$(cat -- "$kf.pub" 2>/dev/null)"
        pv ssh_fingerprint "$(ssh-keygen -l -f "$kf.pub" 2>/dev/null)"
      elif [ "$check" = 1 ]; then
        pv did "would generate an SSH key $kf"
      else
        command -v ssh-keygen >/dev/null 2>&1 || die "generate_ssh_key needs ssh-keygen (openssh-client) on the host"
        kd=$(dirname -- "$kf")
        if [ ! -d "$kd" ]; then mkdir -p -- "$kd" && chmod 700 "$kd" && chown "$name:$(id -g "$name")" "$kd" || die "cannot create $kd"; fi
        [ "$kcomment_given" = 1 ] || kcomment="ansible-generated on $(hostname)"
        set -- -q -t "$ktype" -N '' -C "$kcomment" -f "$kf"
        [ -n "$kbits" ] && set -- "$@" -b "$kbits"
        _o=$(ssh-keygen "$@" 2>&1 </dev/null) || die "ssh-keygen failed: $_o"
        chown "$name:$(id -g "$name")" "$kf" "$kf.pub" || die "cannot give $kf to $name"
        pv did "generated SSH key $kf"
        pv ssh_public_key "$(cat -- "$kf.pub")"
        pv ssh_fingerprint "$(ssh-keygen -l -f "$kf.pub")"
      fi
    fi
    pv entry "$(getent passwd "$name")"
    exit 0
    """#
}
