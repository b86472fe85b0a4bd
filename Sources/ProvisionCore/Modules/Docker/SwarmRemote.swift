import Foundation

/// The swarm commands `swarm_cluster` sends to one host, each one round trip, as root through
/// that host's own become.
///
/// Join tokens go from the manager's stdout straight into a `Secret`, and to the joining node
/// on stdin, where the script hands them to dockerd's API (through curl on the unix socket) so
/// they are never on a command line; without curl, the docker CLI gets the token as an
/// argument on that node only. Any output that could echo a token is masked before it reaches
/// an error message.
struct SwarmRemote {
    let host: String
    let transport: Transport
    let become: Become?
    let environment: [String: String]

    struct Probe {
        var info: SwarmInfo?
        var hostname: String
        var nodes: [SwarmNode]
        var error: String?
    }

    static func remote(_ host: String, in cluster: ClusterAccess, environment: [String: String]) throws -> SwarmRemote {
        SwarmRemote(host: host, transport: try cluster.transport(for: host), become: cluster.host(named: host)?.become,
                    environment: environment)
    }

    /// A manager of the play as the planner sees it; unreachable or failing reads as `info: nil`.
    static func view(of h: ClusterHost, in cluster: ClusterAccess, environment: [String: String]) -> SwarmPlanner.ManagerView {
        guard let r = try? remote(h.name, in: cluster, environment: environment), let p = try? r.probe() else {
            return SwarmPlanner.ManagerView(host: h.name, info: nil, inPlay: h.inPlay)
        }
        return SwarmPlanner.ManagerView(host: h.name, info: p.info, nodes: p.nodes, inPlay: h.inPlay)
    }

    private func run(_ script: String, stdin: Data? = nil, timeout: TimeInterval = 120) throws -> CommandResult {
        try transport.run(RemoteCommand(script, stdin: stdin, timeout: timeout, become: become, environment: environment))
    }

    /// Swarm state, hostname, and on a manager its node list, in one round trip.
    func probe() throws -> Probe {
        let r = try run(Self.probeScript, timeout: 60)
        let kv = KeyValueReport(parsing: r.stdoutText)
        if let e = kv["error"] { return Probe(info: nil, hostname: "", nodes: [], error: e) }
        guard let s = kv["swarm"] else {
            return Probe(info: nil, hostname: "", nodes: [], error: SwarmInfo.excerpt(r.stderrText))
        }
        return Probe(info: try SwarmInfo(json: s), hostname: kv["hostname"] ?? "",
                     nodes: try SwarmNode.parseList(kv.all("node").joined(separator: "\n")), error: nil)
    }

    func initialize(advertise: String) throws {
        let r = try run(Self.initScript(advertise: advertise), timeout: 120)
        guard r.succeeded else { throw ModuleError("docker swarm init on \(host) failed: \(SwarmInfo.excerpt(r.stderrText))") }
    }

    func joinToken(_ role: SwarmPlanner.Role) throws -> Secret {
        let r = try run("docker swarm join-token -q \(role.rawValue)", timeout: 60)
        let token = r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.succeeded, token.hasPrefix("SWMTKN-"), !token.contains(where: \.isWhitespace) else {
            throw ModuleError("could not read the \(role.rawValue) join token from \(host): \(SwarmInfo.excerpt(r.stderrText))")
        }
        return Secret(token)
    }

    func join(token: Secret, advertise: String, remote: String) throws {
        let script = Self.joinScript(advertise: advertise, remote: remote)
        let r = try run(script, stdin: Data((token.reveal() + "\n").utf8), timeout: 150)
        let kv = KeyValueReport(parsing: r.stdoutText)
        if kv.flag("joined") { return }
        let why = (kv["error"] ?? SwarmInfo.excerpt(r.stderrText)).replacingOccurrences(of: token.reveal(), with: "********")
        throw ModuleError("\(host) could not join the swarm through \(remote): \(why)")
    }

    func leave(force: Bool) throws {
        let r = try run("docker swarm leave\(force ? " --force" : "")", timeout: 120)
        guard r.succeeded else { throw ModuleError("docker swarm leave on \(host) failed: \(SwarmInfo.excerpt(r.stderrText))") }
    }

    /// `docker node promote|demote|rm ID` on this manager.
    func node(_ verb: String, _ id: String) throws {
        let r = try run("docker node \(verb) \(Shell.quote(id))", timeout: 60)
        guard r.succeeded else { throw ModuleError("docker node \(verb) \(id) on \(host) failed: \(SwarmInfo.excerpt(r.stderrText))") }
    }

    /// The manager's record of one node's role: the role it was given (`Spec.Role`) and, when
    /// it serves as a manager, its raft reachability (`reachable`, `unreachable`; empty on a
    /// worker). A promote or demote is done once both agree.
    func nodeRole(_ id: String) throws -> (desired: String, reachability: String) {
        let r = try run("docker node inspect --format '{{.Spec.Role}} {{with .ManagerStatus}}{{.Reachability}}{{end}}' \(Shell.quote(id))",
                        timeout: 60)
        guard r.succeeded else { throw ModuleError("docker node inspect \(id) on \(host) failed: \(SwarmInfo.excerpt(r.stderrText))") }
        let words = r.stdoutText.split(whereSeparator: \.isWhitespace).map(String.init)
        return (words.first ?? "", words.dropFirst().first ?? "")
    }

    static let probeScript = """
    s=$(docker info --format '{{json .Swarm}}' 2>&1) || { printf 'error=%s\\n' "$(printf '%s' "$s" | tr '\\n' ' ')"; exit 0; }
    printf 'swarm=%s\\n' "$s"
    echo "hostname=$(hostname)"
    case "$s" in *'"ControlAvailable":true'*) docker node ls --format '{{json .}}' 2>/dev/null | sed 's/^/node=/' ;; esac

    """

    /// Reads the token from stdin and joins; prints `joined=1` or `error=`.
    static func joinScript(advertise: String, remote: String) -> String {
        """
        IFS= read -r t
        adv=\(Shell.quote(advertise)); remote=\(Shell.quote(remote))
        \(resolveAdvertise)
        if command -v curl >/dev/null 2>&1; then
          resp=$(printf '{"ListenAddr":"0.0.0.0:2377","AdvertiseAddr":"%s","RemoteAddrs":["%s"],"JoinToken":"%s"}' "$adv" "$remote" "$t" |
            curl -sS --max-time 90 --unix-socket /var/run/docker.sock -H 'Content-Type: application/json' \\
              --data-binary @- -w '\\n%{http_code}' http://localhost/swarm/join 2>&1)
          code=$(printf '%s' "$resp" | tail -n 1)
          [ "$code" = 200 ] && { echo joined=1; exit 0; }
          printf 'error=%s\\n' "dockerd refused the join ($code): $(printf '%s' "$resp" | sed '$d' | tr '\\n' ' ')"; exit 1
        fi
        out=$(docker swarm join --token "$t" --advertise-addr "$adv" "$remote" 2>&1) && { echo joined=1; exit 0; }
        printf 'error=%s\\n' "docker swarm join failed: $(printf '%s' "$out" | tr '\\n' ' ')"; exit 1

        """
    }

    /// dockerd takes an IP or an interface name as advertise address, not a DNS name; an
    /// inventory address such as `pi1.local` is resolved on the node itself.
    static let resolveAdvertise = """
    case "$adv" in
      *[!0-9.:]*) if ! ip link show "$adv" >/dev/null 2>&1; then
          r=$(getent ahostsv4 "$adv" 2>/dev/null | awk 'NR==1 {print $1}')
          [ -n "$r" ] && adv=$r
        fi ;;
    esac
    """

    /// `swarm init` prints the worker join command, token included: it goes nowhere.
    static func initScript(advertise: String) -> String {
        """
        adv=\(Shell.quote(advertise))
        \(resolveAdvertise)
        docker swarm init --advertise-addr "$adv" >/dev/null
        """
    }

    static var scriptsForSyntaxCheck: [(String, String)] {
        [("swarm-probe", probeScript), ("swarm-join", joinScript(advertise: "10.0.0.1", remote: "10.0.0.2:2377")),
         ("swarm-init", initScript(advertise: "pi1.local"))]
    }
}
