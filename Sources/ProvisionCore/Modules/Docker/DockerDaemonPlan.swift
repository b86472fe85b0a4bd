import Foundation

/// The pure part of `docker_daemon`: the drop-in that makes dockerd listen where asked, built
/// from the packaged unit's own `ExecStart`, and the checks that keep a headless node reachable.
public enum DockerDaemonPlan {
    public static let dropInDirectory = "/etc/systemd/system/docker.service.d"
    public static let dropInPath = dropInDirectory + "/provision.conf"
    /// Where the node keeps dockerd's TLS files (the key 0600 root).
    public static let tlsDirectory = "/etc/docker/tls"
    public static let tlsCAPath = tlsDirectory + "/ca.pem"
    public static let tlsCertPath = tlsDirectory + "/server-cert.pem"
    public static let tlsKeyPath = tlsDirectory + "/server-key.pem"
    static let tlsPathFlags = ["--tlscacert", "--tlscert", "--tlskey"]
    static let tlsFlags = ["--tlsverify", "--tls"] + tlsPathFlags

    /// The command line of the last non-empty `ExecStart=` in a unit file's `[Service]` section,
    /// with `\` continuations joined. nil when there is none.
    public static func packagedExecStart(unitText: String) -> String? {
        var inService = false
        var result: String?
        var pending: String?
        for rawLine in unitText.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(rawLine).trimmingCharacters(in: .whitespaces)
            if var p = pending {
                let cont = line.hasSuffix("\\")
                if cont { line.removeLast() }
                p += " " + line.trimmingCharacters(in: .whitespaces)
                if cont { pending = p } else { pending = nil; if !p.isEmpty { result = p } }
                continue
            }
            if line.hasPrefix("[") { inService = line == "[Service]"; continue }
            guard inService, line.hasPrefix("ExecStart=") else { continue }
            var value = String(line.dropFirst("ExecStart=".count)).trimmingCharacters(in: .whitespaces)
            if value.hasSuffix("\\") {
                value.removeLast()
                pending = value.trimmingCharacters(in: .whitespaces)
                continue
            }
            if value.isEmpty { result = nil } else { result = value }
        }
        return result.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
    }

    /// The packaged command line with its `-H`/`--host` options replaced by `hosts`, keeping the
    /// binary path (`/usr/sbin/dockerd` on Debian, `/usr/bin/dockerd` from Docker's package) and
    /// every other option (`--containerd=…`, `$DOCKER_OPTS`) as they were.
    ///
    /// With `tls`, the packaged `--tls…` options are replaced by `--tlsverify` and the three
    /// files under `tlsDirectory`: dockerd then requires a client certificate from the CA on
    /// every TCP listener.
    public static func execStart(packaged: String, hosts: [String], tls: Bool = false) throws -> String {
        var words = packaged.split(separator: " ").map(String.init)
        guard !words.isEmpty, words[0].hasSuffix("dockerd") else {
            throw ModuleError("docker.service does not start dockerd directly (ExecStart=\(packaged)); refusing to guess how to change it")
        }
        let binary = words.removeFirst()
        var kept: [String] = []
        var i = 0
        while i < words.count {
            let w = words[i]
            if w == "-H" || w == "--host" { i += 2; continue }
            if w.hasPrefix("-H=") || w.hasPrefix("--host=") || (w.hasPrefix("-H") && w.count > 2 && !w.hasPrefix("--")) {
                i += 1; continue
            }
            if tls, let flag = tlsFlags.first(where: { w == $0 || w.hasPrefix($0 + "=") }) {
                // `--tlscert PATH` takes the next word; `--tlsverify` and `--tls` stand alone.
                i += (w == flag && tlsPathFlags.contains(flag)) ? 2 : 1
                continue
            }
            kept.append(w)
            i += 1
        }
        let tlsOptions = tls ? ["--tlsverify", "--tlscacert=" + tlsCAPath, "--tlscert=" + tlsCertPath, "--tlskey=" + tlsKeyPath] : []
        return ([binary] + hosts.flatMap { ["-H", $0] } + tlsOptions + kept).joined(separator: " ")
    }

    /// The drop-in's text: an empty `ExecStart=` clears the packaged one (systemd would
    /// otherwise refuse a second ExecStart for a simple service), then ours.
    public static func dropIn(execStart: String) -> String {
        """
        # Managed by provision (docker_daemon): which sockets dockerd listens on.
        # Changing it by hand is undone by the next run.
        [Service]
        ExecStart=
        ExecStart=\(execStart)

        """
    }

    /// Why dockerd would refuse to start with `-H` flags, given `/etc/docker/daemon.json`:
    /// it must not set `hosts` too. nil when there is no conflict. Throws for unreadable JSON,
    /// which dockerd would refuse as well.
    /// With `tls`, the TLS keys (`tls`, `tlsverify`, `tlscacert`, `tlscert`, `tlskey`) conflict too.
    public static func daemonJSONConflict(_ text: String, tls: Bool = false) throws -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return nil }
        guard let v = Value(jsonText: trimmed), case .dict(let d) = v else {
            throw ModuleError("/etc/docker/daemon.json is not a JSON object; dockerd would not start with it. Fix or remove it")
        }
        if let hosts = d["hosts"] {
            return "/etc/docker/daemon.json sets \"hosts\": \(hosts.jsonString); dockerd refuses to start when hosts are given both there and as -H flags. Remove the \"hosts\" key from daemon.json (docker_daemon manages the sockets)"
        }
        let tlsKeys = ["tls", "tlsverify", "tlscacert", "tlscert", "tlskey"].filter { d[$0] != nil }
        if tls, !tlsKeys.isEmpty {
            return "/etc/docker/daemon.json sets \(tlsKeys.map { "\"\($0)\"" }.joined(separator: ", ")); dockerd refuses to start when an option is given both there and as a flag. Remove \(tlsKeys.count == 1 ? "it" : "them") from daemon.json (docker_daemon tls: true manages TLS)"
        }
        return nil
    }

    /// The address the docker CLI on the node itself uses to check that dockerd answers on
    /// `host`: the socket behind `fd://`, and loopback for a wildcard TCP listener.
    public static func checkAddress(for host: String) -> String {
        if host == "fd://" || host.hasPrefix("fd://") { return "unix:///var/run/docker.sock" }
        if host.hasPrefix("tcp://") {
            let rest = host.dropFirst("tcp://".count)
            if rest.hasPrefix("0.0.0.0:") { return "tcp://127.0.0.1:" + rest.dropFirst("0.0.0.0:".count) }
            if rest.hasPrefix("[::]:") { return "tcp://[::1]:" + rest.dropFirst("[::]:".count) }
            if rest.hasPrefix(":") { return "tcp://127.0.0.1" + rest }
        }
        return host
    }

    /// Checks a listen address at load time: dockerd accepts `fd://`, `unix://PATH` and
    /// `tcp://HOST:PORT`.
    public static func validate(host: String) throws {
        if host == "fd://" || host.hasPrefix("fd://") { return }
        if host.hasPrefix("unix:///") { return }
        if host.hasPrefix("tcp://"), let port = host.split(separator: ":").last, Int(port) != nil { return }
        throw ModuleError("'hosts' holds '\(host)'; dockerd listens on fd://, unix:///PATH or tcp://ADDRESS:PORT")
    }

    /// What the apply script checks for `host`: its `checkAddress`, prefixed with `tls:` for a
    /// TCP listener under TLS (the script then talks TLS with the node's own certificate).
    public static func checkTarget(for host: String, tls: Bool) -> String {
        (tls && host.hasPrefix("tcp://") ? "tls:" : "") + checkAddress(for: host)
    }

    /// The warning for a plain-TCP listener: anyone who reaches it is root on the node. A TLS
    /// listener (with `--tlsverify`, a client certificate is required) gets none.
    public static func warnings(hosts: [String], tls: Bool = false) -> [String] {
        if tls { return [] }
        return hosts.filter { $0.hasPrefix("tcp://") }.map {
            var w = "dockerd listens on \($0) without TLS: anyone who can reach that port has root access to this host. Keep it on a trusted network, or use tls: true (port 2376)"
            if $0.hasSuffix(":2376") { w += "; 2376 is Docker's TLS port, so clients will try TLS there and fail" }
            return w
        }
    }

    /// The names a node's server certificate carries: the address provision reaches it at, its
    /// inventory name, its own hostname, loopback (the node checks its daemon there), any
    /// address a listener is bound to, and `extra` (`tls_san`). Duplicates dropped, order kept.
    public static func certificateNames(sshAddress: String, inventoryName: String, hostname: String?,
                                        hosts: [String], extra: [String]) -> [String] {
        var names = [sshAddress, inventoryName, hostname ?? "", "127.0.0.1", "localhost"]
        for h in hosts where h.hasPrefix("tcp://") {
            let address = checkAddress(for: h).dropFirst("tcp://".count)
            guard let colon = address.lastIndex(of: ":") else { continue }
            var ip = String(address[..<colon])
            if ip.hasPrefix("[") && ip.hasSuffix("]") { ip = String(ip.dropFirst().dropLast()) }
            names.append(ip)
        }
        var seen = Set<String>()
        return (names + extra).filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }
}
