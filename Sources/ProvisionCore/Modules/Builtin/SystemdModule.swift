/// `systemd` (alias `systemd_service`; `service` wraps it): a unit's running state, whether it starts at boot, masking,
/// and `daemon_reload`, in one `systemctl` script.
///
/// `restarted` and `reloaded` always act (and report a change); `started`/`stopped` only when
/// the unit is not already so. `daemon_reload` alone reports no change, as in Ansible.
public struct SystemdModule: Module {
    public static let name = "systemd"
    public static let aliases = ["systemd_service"]
    public static let argumentSpec = ArgumentSpec(
        [
            .init("name", aliases: ["service", "unit"]),
            .init("state", choices: ["started", "stopped", "restarted", "reloaded"]),
            .init("enabled", .bool), .init("masked", .bool),
            .init("daemon_reload", .bool, aliases: ["daemon-reload"], default: false),
            .init("daemon_reexec", .bool, aliases: ["daemon-reexec"], default: false),
            .init("scope", choices: ["system"], default: "system"),
            .init("no_block", .bool, default: false),
        ],
        requiredOneOf: [["name", "daemon_reload", "daemon_reexec"]]
    )

    public var unit: String?
    public var state: String?
    public var enabled: Bool?
    public var masked: Bool?
    public var daemonReload: Bool
    public var daemonReexec: Bool
    public var noBlock: Bool

    public init(arguments args: ModuleArguments) throws {
        unit = try args.string("name")
        state = try args.choice("state", ["started", "stopped", "restarted", "reloaded"])
        enabled = try args.bool("enabled")
        masked = try args.bool("masked")
        daemonReload = try args.bool("daemon_reload") ?? false
        daemonReexec = try args.bool("daemon_reexec") ?? false
        noBlock = try args.bool("no_block") ?? false
        if unit == nil, state != nil || enabled != nil || masked != nil {
            throw ModuleError("'name' is required with state, enabled or masked")
        }
    }

    func script(checkMode: Bool) -> ModuleScript {
        var s = ModuleScript(Self.body)
        s.set("unit", unit ?? "")
        s.set("state", state ?? "")
        s.set("enabled", enabled.map { $0 ? "1" : "0" } ?? "")
        s.set("masked", masked.map { $0 ? "1" : "0" } ?? "")
        s.set("daemon_reload", daemonReload)
        s.set("daemon_reexec", daemonReexec)
        s.set("noblock", noBlock ? "--no-block" : "")
        s.set("check", checkMode)
        return s
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        interpret(try script(checkMode: context.checkMode).run(in: context))
    }

    /// The task result from the script's output. Pure.
    func interpret(_ out: ScriptOutput) -> ModuleResult {
        var data: [String: Value] = [:]
        if let unit { data["name"] = .string(unit) }
        var status: [String: Value] = [:]
        if let l = out.first("load") { status["LoadState"] = .string(l) }
        if let a = out.first("active") { status["ActiveState"] = .string(a) }
        if let e = out.first("unitfile") { status["UnitFileState"] = .string(e) }
        if !status.isEmpty { data["status"] = .dict(status) }
        if let e = out.first("enabled-now") { data["enabled"] = .bool(e == "1") }
        if let s = out.first("state-now") { data["state"] = .string(s) }
        if let f = out.failure { return .failed(f, data: data) }
        let did = out.all("did")
        return ModuleResult(changed: !did.isEmpty, message: did.isEmpty ? nil : did.joined(separator: ", "), data: data,
                            warnings: out.all("warn"))
    }

    static let body = #"""
    command -v systemctl >/dev/null 2>&1 || die "systemctl not found: this host does not use systemd"
    act() { [ "$check" = 1 ] && return 0; _o=$("$@" 2>&1) || die "$* failed: $_o"; }
    if [ "$daemon_reexec" = 1 ]; then act systemctl daemon-reexec; fi
    if [ "$daemon_reload" = 1 ]; then act systemctl daemon-reload; fi
    [ -n "$unit" ] || exit 0
    load=$(systemctl show -p LoadState --value -- "$unit" 2>&1) || die "systemctl cannot query $unit: $load"
    pv load "$load"
    # As Ansible: a mask or unmask that systemctl refuses fails only when the unit is missing;
    # otherwise the task reports the change (a warning says what systemctl answered).
    maskact() {
      [ "$check" = 1 ] && return 0
      _o=$(systemctl "$1" -- "$unit" 2>&1) && return 0
      [ "$load" = not-found ] && die "could not find the requested service $unit: $_o"
      pv warn "systemctl $1 $unit: $_o"
    }
    if [ "$masked" = 1 ] && [ "$load" != masked ]; then
      pv did masked; maskact mask
      [ "$check" = 1 ] || load=$(systemctl show -p LoadState --value -- "$unit" 2>/dev/null)
    fi
    if [ "$masked" = 0 ] && [ "$load" = masked ]; then
      pv did unmasked; maskact unmask
      [ "$check" = 1 ] || load=$(systemctl show -p LoadState --value -- "$unit" 2>/dev/null)
    fi
    if [ "$load" = not-found ] && { [ -n "$state" ] || [ -n "$enabled" ]; }; then
      die "could not find the requested service $unit"
    fi
    if [ -n "$enabled" ]; then
      uf=$(systemctl is-enabled -- "$unit" 2>/dev/null)
      pv unitfile "$uf"
      case $uf in enabled|enabled-runtime|static|alias|indirect|generated|transient) is=1 ;; *) is=0 ;; esac
      if [ "$is" != "$enabled" ]; then
        if [ "$enabled" = 1 ]; then pv did enabled; act systemctl enable -- "$unit"
        else pv did disabled; act systemctl disable -- "$unit"; fi
      fi
      pv enabled-now "$enabled"
    fi
    if [ -n "$state" ]; then
      a=$(systemctl is-active -- "$unit" 2>/dev/null)
      pv active "$a"
      case $state in
        started)
          case $a in active|activating|reloading|refreshing) ;; *) pv did started; act systemctl $noblock start -- "$unit" ;; esac ;;
        stopped)
          case $a in active|activating|reloading|refreshing|deactivating) pv did stopped; act systemctl $noblock stop -- "$unit" ;; esac ;;
        restarted) pv did restarted; act systemctl $noblock restart -- "$unit" ;;
        reloaded)
          case $a in
            active|reloading|refreshing) pv did reloaded; act systemctl $noblock reload -- "$unit" ;;
            *) pv did started; act systemctl $noblock start -- "$unit" ;;
          esac ;;
      esac
      # As Ansible's module: a restarted or reloaded unit reports state "started".
      case $state in restarted|reloaded) pv state-now started ;; *) pv state-now "$state" ;; esac
    fi
    exit 0
    """#
}
