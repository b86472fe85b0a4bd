/// `timezone` (community.general.timezone): the system time zone and whether the hardware
/// clock keeps local time. `timedatectl` under systemd, else `/etc/localtime` and
/// `/etc/timezone` (Debian's layout) and `hwclock`. Registers `diff` as Ansible does:
/// `{before: {name, hwclock}, after: {…}}` with only the keys the task set.
public struct TimezoneModule: Module {
    public static let name = "timezone"
    public static let aliases = ["community.general.timezone"]
    public static let argumentSpec = ArgumentSpec(
        [.init("name"), .init("hwclock", choices: ["local", "UTC"], aliases: ["rtc"])],
        requiredOneOf: [["hwclock", "name"]])

    public var zone: String?
    public var hwclock: String?

    public init(arguments args: ModuleArguments) throws {
        zone = try args.string("name")
        hwclock = try args.choice("hwclock", ["local", "UTC"])
        if let z = zone, z.range(of: #"^[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*$"#, options: .regularExpression) == nil {
            throw ModuleError("given timezone '\(z)' is not a zone name (like Europe/Berlin or UTC)")
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("zone", zone ?? "")
        s.set("rtc", hwclock ?? "")
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        var before: [String: Value] = [:], after: [String: Value] = [:]
        if zone != nil {
            before["name"] = .string(out.first("zone_before") ?? "")
            after["name"] = .string(context.checkMode ? zone ?? "" : out.first("zone_after") ?? "")
        }
        if hwclock != nil {
            before["hwclock"] = .string(out.first("rtc_before") ?? "")
            after["hwclock"] = .string(context.checkMode ? hwclock ?? "" : out.first("rtc_after") ?? "")
        }
        if !context.checkMode, after["name"].map({ $0 != .string(zone ?? "") }) ?? false
            || after["hwclock"].map({ $0 != .string(hwclock ?? "") }) ?? false {
            return .failed("still not desired state, though changes have made - planned: \(zone ?? "") \(hwclock ?? ""), after: \(after)")
        }
        let changed = before != after
        var result = ModuleResult(changed: changed, data: ["diff": .dict(["before": .dict(before), "after": .dict(after)])])
        if changed && context.diffMode {
            func text(_ d: [String: Value]) -> String { d.keys.sorted().map { "\($0): \(d[$0]?.renderedString ?? "")\n" }.joined() }
            result.diffs = [FileDiff(path: "timezone", before: text(before), after: text(after))]
        }
        return result
    }

    static let body = #"""
    systemd=0
    if command -v timedatectl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then systemd=1; fi
    cur_zone() {
      if [ $systemd = 1 ]; then timedatectl status | sed -n 's/^[[:space:]]*Time \{0,1\}zone[[:space:]]*:[[:space:]]*\([^[:space:]]*\).*/\1/p'
      elif [ -f /etc/timezone ]; then head -n 1 /etc/timezone
      else readlink /etc/localtime | sed 's|.*/zoneinfo/||'; fi
    }
    cur_rtc() {
      if [ $systemd = 1 ]; then
        case $(timedatectl status | sed -n 's/^[[:space:]]*RTC in local TZ[[:space:]]*:[[:space:]]*\([^[:space:]]*\).*/\1/p') in yes) echo local ;; *) echo UTC ;; esac
      else
        if grep -qx LOCAL /etc/adjtime 2>/dev/null; then echo local; else echo UTC; fi
      fi
    }
    if [ -n "$zone" ]; then
      [ -f "/usr/share/zoneinfo/$zone" ] || die "given timezone \"$zone\" is not available"
      zb=$(cur_zone); pv zone_before "$zb"
      if [ "$zb" != "$zone" ] && [ "$check" != 1 ]; then
        if [ $systemd = 1 ]; then _o=$(timedatectl set-timezone "$zone" 2>&1) || die "timedatectl set-timezone failed: $_o"
        else
          ln -sf "/usr/share/zoneinfo/$zone" /etc/localtime && printf '%s\n' "$zone" > /etc/timezone || die "cannot set /etc/localtime"
        fi
      fi
      pv zone_after "$(cur_zone)"
    fi
    if [ -n "$rtc" ]; then
      rb=$(cur_rtc); pv rtc_before "$rb"
      if [ "$rb" != "$rtc" ] && [ "$check" != 1 ]; then
        if [ $systemd = 1 ]; then
          yn=no; [ "$rtc" = local ] && yn=yes
          _o=$(timedatectl set-local-rtc "$yn" 2>&1) || die "timedatectl set-local-rtc failed: $_o"
        else
          flag=--utc; [ "$rtc" = local ] && flag=--localtime
          _o=$(hwclock --systohc $flag 2>&1) || die "hwclock failed: $_o"
        fi
      fi
      pv rtc_after "$(cur_rtc)"
    fi
    exit 0
    """#
}
