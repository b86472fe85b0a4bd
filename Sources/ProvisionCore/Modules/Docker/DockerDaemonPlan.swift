import Foundation

/// The pure part of `docker_daemon`: the drop-in that makes dockerd listen where asked, built
/// from the packaged unit's own `ExecStart`, and the checks that keep a headless node reachable.
public enum DockerDaemonPlan {
    public static let dropInDirectory = "/etc/systemd/system/docker.service.d"
    public static let dropInPath = dropInDirectory + "/provision.conf"

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
    public static func execStart(packaged: String, hosts: [String]) throws -> String {
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
            kept.append(w)
            i += 1
        }
        return ([binary] + hosts.flatMap { ["-H", $0] } + kept).joined(separator: " ")
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
    public static func daemonJSONConflict(_ text: String) throws -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return nil }
        guard let v = Value(jsonText: trimmed), case .dict(let d) = v else {
            throw ModuleError("/etc/docker/daemon.json is not a JSON object; dockerd would not start with it. Fix or remove it")
        }
        guard let hosts = d["hosts"] else { return nil }
        return "/etc/docker/daemon.json sets \"hosts\": \(hosts.jsonString); dockerd refuses to start when hosts are given both there and as -H flags. Remove the \"hosts\" key from daemon.json (docker_daemon manages the sockets)"
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

    /// The warning for a plain-TCP listener: anyone who reaches it is root on the node.
    public static func warnings(hosts: [String]) -> [String] {
        hosts.filter { $0.hasPrefix("tcp://") }.map {
            "dockerd listens on \($0) without TLS: anyone who can reach that port has root access to this host. Keep it on a trusted network, or use TLS on 2376"
        }
    }
}
