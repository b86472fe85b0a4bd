import Foundation

/// `docker_daemon`: dockerd listens on the given sockets (default `fd://` and
/// `tcp://0.0.0.0:2375`) through the systemd drop-in `docker.service.d/provision.conf`.
///
/// One probe reads the packaged unit, the current drop-in and daemon.json; when the drop-in
/// already says what is wanted nothing else runs. Otherwise one script writes it, reloads,
/// restarts, and checks that the service is active and dockerd answers on every socket — and if
/// not, puts the previous drop-in back (or removes the new one) and restarts again, because a
/// headless Pi whose dockerd does not come back is a lost node. A plain-TCP listener comes back
/// with a warning. `tls: true` is not implemented yet and is refused.
public struct DockerDaemonModule: Module {
    public static let name = "docker_daemon"
    public static let defaultHosts = ["fd://", "tcp://0.0.0.0:2375"]
    public static let argumentSpec = ArgumentSpec([
        .init("hosts", .list, default: .list(defaultHosts.map(Value.string))),
        .init("tls", .bool, default: false),
    ])

    public var hosts: [String]

    public init(arguments: ModuleArguments) throws {
        let hosts = try arguments.stringList("hosts") ?? Self.defaultHosts
        if try arguments.bool("tls") == true {
            throw ModuleError("tls: true is not implemented yet; use the default plain-TCP listener on a trusted network, or hosts: [\"fd://\"] to listen on the local socket only")
        }
        try self.init(hosts: hosts)
    }

    public init(hosts: [String] = DockerDaemonModule.defaultHosts) throws {
        guard !hosts.isEmpty else { throw ModuleError("'hosts' is empty; dockerd needs at least one socket (fd://)") }
        for h in hosts { try DockerDaemonPlan.validate(host: h) }
        self.hosts = hosts
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let probe = KeyValueReport(parsing: try context.run(Self.probeScript, timeout: 60).stdoutText)
        guard let unitB64 = probe["unit_b64"], let unit = Self.decode(unitB64) else {
            return .failed("docker.service is not installed (systemctl knows no unit file for it); run docker_install first")
        }
        guard let packaged = DockerDaemonPlan.packagedExecStart(unitText: unit) else {
            return .failed("\(probe["fragment"] ?? "docker.service") has no ExecStart line")
        }
        let execStart: String
        do {
            if let conflict = try DockerDaemonPlan.daemonJSONConflict(probe["daemon_json_b64"].flatMap(Self.decode) ?? "") {
                return .failed(conflict)
            }
            execStart = try DockerDaemonPlan.execStart(packaged: packaged, hosts: hosts)
        } catch let e as ModuleError {
            return .failed(e.message)
        }
        let wanted = DockerDaemonPlan.dropIn(execStart: execStart)
        let current = probe["dropin_b64"].flatMap(Self.decode)
        var result = ModuleResult(data: ["hosts": .list(hosts.map(Value.string)), "exec_start": .string(execStart)],
                                  warnings: DockerDaemonPlan.warnings(hosts: hosts))
        for other in probe.all("other_dropin") {
            result.warnings.append("\(other) also sets ExecStart; systemd applies drop-ins in name order, so the last one wins")
        }
        if context.diffMode || context.checkMode, current != wanted {
            result.diffs = [FileDiff(path: DockerDaemonPlan.dropInPath, before: current ?? "", after: wanted)]
        }
        if current == wanted && probe["active"] == "active" {
            result.message = "dockerd already listens on \(hosts.joined(separator: ", "))"
            return result
        }
        result.changed = true
        if context.checkMode {
            result.message = "would write \(DockerDaemonPlan.dropInPath) and restart docker"
            return result
        }
        if probe["uid"] != "0" {
            return .failed("docker_daemon needs root to change \(DockerDaemonPlan.dropInPath); set become: true")
        }
        let applied = try context.run(Self.applyScript(checkAddresses: hosts.map(DockerDaemonPlan.checkAddress(for:))),
                                      stdin: Data(wanted.utf8), timeout: 300)
        let out = KeyValueReport(parsing: applied.stdoutText)
        if applied.succeeded && out.flag("restarted") {
            result.message = "dockerd restarted, listening on \(hosts.joined(separator: ", "))"
            return result
        }
        var failure = ModuleResult.failed(Self.failureMessage(out, applied), data: result.data)
        failure.changed = out.flag("rolled_back")
        let log = out.all("log").joined(separator: "\n")
        if !log.isEmpty { failure.data["log"] = .string(log) }
        return failure
    }

    static func failureMessage(_ out: KeyValueReport, _ applied: CommandResult) -> String {
        if let e = out["error"] { return e }
        var m = "dockerd did not come back with the new sockets"
        if let s = out["failed_socket"] { m += " (no answer on \(s))" }
        if out.flag("rolled_back") {
            m += "; the previous configuration was restored and docker is \(out["active_after_rollback"] ?? "in an unknown state") again"
        } else {
            m += " (exit \(applied.status)): \(SwarmInfo.excerpt(applied.stderrText))"
        }
        return m
    }

    static func decode(_ b64: String) -> String? {
        if b64.isEmpty { return "" }
        return Data(base64Encoded: b64).map { String(decoding: $0, as: UTF8.self) }
    }

    static let probeScript = """
    echo "uid=$(id -u)"
    frag=$(systemctl show docker -p FragmentPath --value 2>/dev/null)
    echo "fragment=$frag"
    [ -n "$frag" ] && [ -r "$frag" ] && echo "unit_b64=$(base64 -w0 < "$frag")"
    f=\(DockerDaemonPlan.dropInPath)
    [ -f "$f" ] && echo "dropin_b64=$(base64 -w0 < "$f")"
    [ -f /etc/docker/daemon.json ] && echo "daemon_json_b64=$(base64 -w0 < /etc/docker/daemon.json)"
    for o in \(DockerDaemonPlan.dropInDirectory)/*.conf; do
      [ -f "$o" ] && [ "$o" != "$f" ] && grep -q '^ExecStart=' "$o" && echo "other_dropin=$o"
    done
    echo "active=$(systemctl is-active docker 2>/dev/null)"

    """

    /// Writes stdin as the drop-in, restarts, checks, and rolls back when the check fails.
    static func applyScript(checkAddresses: [String]) -> String {
        """
        set -u
        d=\(DockerDaemonPlan.dropInDirectory); f=\(DockerDaemonPlan.dropInPath); b="$f.provision-previous"
        had=0; if [ -f "$f" ]; then cp -p "$f" "$b" && had=1; fi
        mkdir -p "$d" && cat > "$f.tmp" && chmod 644 "$f.tmp" && mv "$f.tmp" "$f" || { echo "error=writing $f failed"; exit 1; }
        answers() {
          i=0
          while [ $i -lt 30 ]; do
            docker -H "$1" version --format '{{.Server.Version}}' >/dev/null 2>&1 && return 0
            i=$((i + 1)); sleep 1
          done
          return 1
        }
        check() {
          systemctl is-active --quiet docker || { echo "failed_socket=docker.service not active"; return 1; }
          for h in \(checkAddresses.map(Shell.quote).joined(separator: " ")); do
            answers "$h" || { echo "failed_socket=$h"; return 1; }
          done
        }
        systemctl daemon-reload
        # A unit that failed several times refuses to start (StartLimitBurst); a fresh count.
        systemctl reset-failed docker 2>/dev/null
        if systemctl restart docker 2>/dev/null && check; then
          rm -f "$b"; echo restarted=1; exit 0
        fi
        journalctl -u docker -n 15 --no-pager 2>/dev/null | sed 's/^/log=/'
        if [ $had = 1 ]; then mv "$b" "$f"; else rm -f "$f"; fi
        systemctl daemon-reload; systemctl reset-failed docker 2>/dev/null; systemctl restart docker
        echo rolled_back=1
        echo "active_after_rollback=$(systemctl is-active docker)"
        exit 1

        """
    }
}
