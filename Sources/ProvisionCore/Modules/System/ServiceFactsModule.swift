/// `service_facts`: `ansible_facts.services`, as Ansible's: SysV scripts from
/// `service --status-all` (keyed by script name, source `sysv`) and systemd's services from
/// `systemctl list-units` and `list-unit-files` (keyed `NAME.service`, source `systemd`), in one
/// round trip; the parsing (`ServiceFactsParser`) is pure.
public struct ServiceFactsModule: Module {
    public static let name = "service_facts"
    public static let argumentSpec = ArgumentSpec([])

    public init(arguments args: ModuleArguments) throws {}

    public func run(in context: HostContext) throws -> ModuleResult {
        let out = try context.run("/bin/sh -c " + Shell.quote(Self.script))
        let services = ServiceFactsParser.parse(out.stdoutText)
        if services.isEmpty {
            return ModuleResult(skipped: true, message: "Failed to find any services. This can be due to privileges or some other configuration issue.")
        }
        return GatheredFacts.result(["services": .dict(services)], in: context)
    }

    static let script = #"""
    LC_ALL=C; export LC_ALL
    if command -v service >/dev/null 2>&1 && [ -d /etc/init.d ]; then echo '@@ sysv'; service --status-all 2>&1; fi
    if grep -q systemd /proc/1/comm 2>/dev/null && command -v systemctl >/dev/null 2>&1; then
      echo '@@ units'; units=$(systemctl list-units --no-pager --type service --all 2>/dev/null); printf '%s\n' "$units"
      echo '@@ files'; files=$(systemctl list-unit-files --no-pager --type service --all 2>/dev/null); printf '%s\n' "$files"
      echo '@@ states'
      printf '%s\n' "$files" | grep '\.service' | while read -r n rest; do
        printf '%s\n' "$units" | grep -q "[[:space:]]$n[[:space:]]\|^$n[[:space:]]" && continue
        printf '%s %s\n' "$n" "$(systemctl show "$n" --property=ActiveState 2>/dev/null | sed 's/^ActiveState=//')"
      done
    fi
    exit 0
    """#
}
