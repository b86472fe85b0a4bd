import Foundation

/// `docker_daemon`: dockerd listens on the given sockets (default `fd://` and
/// `tcp://0.0.0.0:2375`; with `tls: true`, `tcp://0.0.0.0:2376`) through the systemd drop-in
/// `docker.service.d/provision.conf`.
///
/// One probe reads the packaged unit, the current drop-in and daemon.json (and, for TLS, the
/// node's certificates); when all already say what is wanted nothing else runs. Otherwise one
/// script writes the drop-in (and moves staged TLS files in), reloads, restarts, and checks that
/// the service is active and dockerd answers on every socket — over TLS with the node's own
/// certificate for a TLS listener — and if not, puts the previous files back and restarts again,
/// because a headless Pi whose dockerd does not come back is a lost node. A plain-TCP listener
/// comes back with a warning. With `tls: true` the CA and certificates are made on the
/// controller (`DockerTLSAuthority`) and the server key reaches the node only as upload stdin.
public struct DockerDaemonModule: Module {
    public static let name = "docker_daemon"
    public static let defaultHosts = ["fd://", "tcp://0.0.0.0:2375"]
    public static let defaultTLSHosts = ["fd://", "tcp://0.0.0.0:2376"]
    public static let argumentSpec = ArgumentSpec([
        // No spec default for hosts: it depends on `tls`.
        .init("hosts", .list),
        .init("tls", .bool, default: false),
        .init("tls_dir", .string, default: .string(DockerTLSAuthority.defaultDirectory)),
        .init("tls_san", .list, default: .list([])),
    ])

    public var hosts: [String]
    public var tls: Bool
    /// Controller-side directory of the CA and certificates; relative to the playbook's
    /// directory, `~/` expanded.
    public var tlsDirectory: String
    /// Extra names for the server certificates (a DNS alias, a second address).
    public var tlsSAN: [String]

    public init(arguments: ModuleArguments) throws {
        let tls = try arguments.bool("tls") ?? false
        try self.init(hosts: try arguments.stringList("hosts") ?? (tls ? Self.defaultTLSHosts : Self.defaultHosts),
                      tls: tls,
                      tlsDirectory: try arguments.string("tls_dir") ?? DockerTLSAuthority.defaultDirectory,
                      tlsSAN: try arguments.stringList("tls_san") ?? [])
    }

    public init(hosts: [String]? = nil, tls: Bool = false, tlsDirectory: String = DockerTLSAuthority.defaultDirectory,
                tlsSAN: [String] = []) throws {
        let hosts = hosts ?? (tls ? Self.defaultTLSHosts : Self.defaultHosts)
        guard !hosts.isEmpty else { throw ModuleError("'hosts' is empty; dockerd needs at least one socket (fd://)") }
        for h in hosts { try DockerDaemonPlan.validate(host: h) }
        if tls && !hosts.contains(where: { $0.hasPrefix("tcp://") }) {
            throw ModuleError("tls: true needs a tcp:// socket in 'hosts' (TLS protects TCP listeners only), for example tcp://0.0.0.0:2376; leave 'hosts' out for fd:// and tcp://0.0.0.0:2376")
        }
        if tls && tlsDirectory.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ModuleError("'tls_dir' is empty; leave it out for \(DockerTLSAuthority.defaultDirectory)")
        }
        self.hosts = hosts
        self.tls = tls
        self.tlsDirectory = tlsDirectory
        self.tlsSAN = tlsSAN
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let probe = KeyValueReport(parsing: try context.run(Self.probeScript + (tls ? Self.tlsProbeScript : ""), timeout: 60).stdoutText)
        guard let unitB64 = probe["unit_b64"], let unit = Self.decode(unitB64) else {
            return .failed("docker.service is not installed (systemctl knows no unit file for it); run docker_install first")
        }
        guard let packaged = DockerDaemonPlan.packagedExecStart(unitText: unit) else {
            return .failed("\(probe["fragment"] ?? "docker.service") has no ExecStart line")
        }
        let execStart: String
        var tlsInstall: TLSInstall?
        do {
            if let conflict = try DockerDaemonPlan.daemonJSONConflict(probe["daemon_json_b64"].flatMap(Self.decode) ?? "", tls: tls) {
                return .failed(conflict)
            }
            execStart = try DockerDaemonPlan.execStart(packaged: packaged, hosts: hosts, tls: tls)
            if tls { tlsInstall = try prepareTLS(context, probe: probe) }
        } catch let e as ModuleError {
            return .failed(e.message)
        }
        let wanted = DockerDaemonPlan.dropIn(execStart: execStart)
        let current = probe["dropin_b64"].flatMap(Self.decode)
        var result = ModuleResult(data: ["hosts": .list(hosts.map(Value.string)), "exec_start": .string(execStart)],
                                  warnings: DockerDaemonPlan.warnings(hosts: hosts, tls: tls))
        for other in probe.all("other_dropin") {
            result.warnings.append("\(other) also sets ExecStart; systemd applies drop-ins in name order, so the last one wins")
        }
        var connect = ""
        if let tlsInstall {
            let dir = context.controllerPath(tlsDirectory)
            let clientDir = DockerTLSAuthority(directory: dir).clientDirectory
            result.warnings += tlsInstall.material.warnings
            result.data["tls_dir"] = .string(dir)
            result.data["client_cert_path"] = .string(clientDir)
            if let dockerHost = dockerHost(context) {
                result.data["docker_host"] = .string(dockerHost)
                connect = "; connect with: " + Self.clientCommand(certPath: clientDir, dockerHost: dockerHost)
            }
        }
        if context.diffMode || context.checkMode {
            if current != wanted { result.diffs.append(FileDiff(path: DockerDaemonPlan.dropInPath, before: current ?? "", after: wanted)) }
            result.diffs += tlsInstall?.diffs ?? []
        }
        let controllerActions = tlsInstall?.material.actions ?? []
        let nodeChanges = current != wanted || tlsInstall?.needsInstall == true
        if !nodeChanges && probe["active"] == "active" {
            result.changed = !controllerActions.isEmpty
            result.message = (controllerActions + ["dockerd already listens on \(hosts.joined(separator: ", "))\(tls ? " with TLS" : "")"])
                .joined(separator: "; ") + connect
            return result
        }
        result.changed = true
        if context.checkMode {
            let files = tlsInstall?.needsInstall == true ? " and its TLS files in \(DockerDaemonPlan.tlsDirectory)" : ""
            result.message = (controllerActions + ["would write \(DockerDaemonPlan.dropInPath)\(files) and restart docker"]).joined(separator: "; ")
            return result
        }
        if probe["uid"] != "0" {
            return .failed("docker_daemon needs root to change \(DockerDaemonPlan.dropInPath); set become: true")
        }
        let staged = tlsInstall?.files.map(\.path) ?? []
        do {
            if let tlsInstall { try stageTLS(tlsInstall, probe: probe, in: context) }
        } catch let e as ModuleError {
            return .failed(e.message, data: result.data)
        }
        let applied = try context.run(Self.applyScript(checkTargets: hosts.map { DockerDaemonPlan.checkTarget(for: $0, tls: tls) },
                                                       staged: staged),
                                      stdin: Data(wanted.utf8), timeout: 300)
        let out = KeyValueReport(parsing: applied.stdoutText)
        if applied.succeeded && out.flag("restarted") {
            result.message = (controllerActions + ["dockerd restarted, listening on \(hosts.joined(separator: ", "))\(tls ? " with TLS" : "")"])
                .joined(separator: "; ") + connect
            return result
        }
        var failure = ModuleResult.failed(Self.failureMessage(out, applied), data: result.data)
        failure.changed = out.flag("rolled_back") || !controllerActions.isEmpty
        failure.warnings = result.warnings
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

    /// Writes stdin as the drop-in, moves the staged TLS files (`PATH.provision-new`) over
    /// `staged`, restarts, checks, and rolls every file back when the check fails. A check
    /// target `tls:ADDRESS` is asked over TLS with the node's own certificate and key (paths
    /// only on the command line).
    static func applyScript(checkTargets: [String], staged: [String] = []) -> String {
        """
        set -u
        d=\(DockerDaemonPlan.dropInDirectory); f=\(DockerDaemonPlan.dropInPath); b="$f.provision-previous"
        staged=\(Shell.quote(staged.joined(separator: " ")))
        had=0; if [ -f "$f" ]; then cp -p "$f" "$b" && had=1; fi
        mkdir -p "$d" && cat > "$f.tmp" && chmod 644 "$f.tmp" && mv "$f.tmp" "$f" || { echo "error=writing $f failed"; exit 1; }
        for p in $staged; do
          rm -f "$p.provision-previous"
          if [ -f "$p" ]; then cp -p "$p" "$p.provision-previous" || { echo "error=backing up $p failed"; exit 1; }; fi
          chown root:root "$p.provision-new" && mv -f "$p.provision-new" "$p" || { echo "error=moving $p into place failed"; exit 1; }
        done
        answers() {
          a=$1; set --
          case "$a" in
            tls:*) a=${a#tls:}
              set -- --tlsverify --tlscacert=\(DockerDaemonPlan.tlsCAPath) --tlscert=\(DockerDaemonPlan.tlsCertPath) --tlskey=\(DockerDaemonPlan.tlsKeyPath) ;;
          esac
          i=0
          while [ $i -lt 30 ]; do
            docker "$@" -H "$a" version --format '{{.Server.Version}}' >/dev/null 2>&1 && return 0
            i=$((i + 1)); sleep 1
          done
          return 1
        }
        check() {
          systemctl is-active --quiet docker || { echo "failed_socket=docker.service not active"; return 1; }
          for h in \(checkTargets.map(Shell.quote).joined(separator: " ")); do
            answers "$h" || { echo "failed_socket=${h#tls:}"; return 1; }
          done
        }
        systemctl daemon-reload
        # A unit that failed several times refuses to start (StartLimitBurst); a fresh count.
        systemctl reset-failed docker 2>/dev/null
        if systemctl restart docker 2>/dev/null && check; then
          rm -f "$b"; for p in $staged; do rm -f "$p.provision-previous"; done
          echo restarted=1; exit 0
        fi
        journalctl -u docker -n 15 --no-pager 2>/dev/null | sed 's/^/log=/'
        if [ $had = 1 ]; then mv "$b" "$f"; else rm -f "$f"; fi
        for p in $staged; do
          if [ -f "$p.provision-previous" ]; then mv -f "$p.provision-previous" "$p"; else rm -f "$p"; fi
        done
        systemctl daemon-reload; systemctl reset-failed docker 2>/dev/null; systemctl restart docker
        echo rolled_back=1
        echo "active_after_rollback=$(systemctl is-active docker)"
        exit 1

        """
    }
}
