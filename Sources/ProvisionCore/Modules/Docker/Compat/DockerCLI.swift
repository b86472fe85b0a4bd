import Foundation

/// The `docker` command line on the node, as the community.docker-compatible modules drive it
/// instead of the Docker SDK for Python: every call is one `sh` line of quoted words, run with
/// the task's become and environment, plus the connection options the collection's modules
/// share (`docker_host`, `tls`, certificates).
struct DockerCLI {
    let context: HostContext
    /// Global flags (`-H`, `--tlsverify`, …) put before every subcommand.
    let globalFlags: [String]
    let timeout: TimeInterval
    /// `env DOCKER_API_VERSION=…` before `docker` when the task pins the API version.
    let prefix: [String]

    init(context: HostContext, connection: DockerConnection = DockerConnection()) {
        self.context = context
        self.globalFlags = connection.flags
        self.timeout = TimeInterval(max(connection.timeout, 60))
        self.prefix = connection.apiVersion.map { ["env", "DOCKER_API_VERSION=\($0)"] } ?? []
    }

    /// The command line for `args` (quoted), e.g. `docker -H tcp://x:2375 network inspect n`.
    func line(_ args: [String]) -> String {
        (prefix + ["docker"] + globalFlags + args).map(Shell.quote).joined(separator: " ")
    }

    /// Runs `docker args…`; a non-zero status is returned, not thrown.
    func run(_ args: [String], stdin: Data? = nil, timeout: TimeInterval? = nil) throws -> CommandResult {
        try context.run(line(args), stdin: stdin, timeout: timeout ?? max(self.timeout, 300))
    }

    /// Runs a shell script in which `$DOCKER` is the docker command with the global flags.
    func script(_ body: String, stdin: Data? = nil, timeout: TimeInterval? = nil) throws -> CommandResult {
        let prefix = "DOCKER=\(Shell.quote(line([])))\n"
        return try context.run(prefix + body, stdin: stdin, timeout: timeout ?? max(self.timeout, 300))
    }

    /// Runs `docker args…` and returns its stdout; throws `ModuleError` naming the command and
    /// docker's complaint when it fails.
    @discardableResult
    func must(_ args: [String], stdin: Data? = nil, what: String? = nil) throws -> String {
        let r = try run(args, stdin: stdin)
        guard r.succeeded else {
            throw ModuleError("\(what ?? "docker " + args.prefix(3).joined(separator: " ")) failed: \(SwarmInfo.excerpt(r.stderrText.isEmpty ? r.stdoutText : r.stderrText, limit: 4000))")
        }
        return r.stdoutText
    }

    /// `docker <object> inspect NAME` decoded, or nil when there is no such object.
    func inspect(_ object: String, _ name: String) throws -> Value? {
        let r = try run([object, "inspect", "--format", "{{json .}}", "--", name])
        if !r.succeeded {
            if Self.isNotFound(r.stderrText) { return nil }
            throw ModuleError("docker \(object) inspect \(name) failed: \(SwarmInfo.excerpt(r.stderrText))")
        }
        let line = r.stdoutText.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard let v = Value(jsonText: line) else {
            throw ModuleError("docker \(object) inspect \(name) printed no JSON: \(SwarmInfo.excerpt(r.stdoutText))")
        }
        return v
    }

    /// Every JSON line of a `--format '{{json .}}'` listing.
    static func jsonLines(_ text: String) throws -> [Value] {
        try text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }.map { line in
            guard let v = Value(jsonText: String(line)) else {
                throw ModuleError("docker printed something that is not JSON: \(SwarmInfo.excerpt(String(line)))")
            }
            return v
        }
    }

    static func isNotFound(_ stderr: String) -> Bool {
        let s = stderr.lowercased()
        return s.contains("no such") || s.contains("not found") || s.contains("no image")
    }

    /// The node's swarm state (`docker info --format '{{json .Swarm}}'`).
    func swarmInfo() throws -> SwarmInfo {
        let out = try must(["info", "--format", "{{json .Swarm}}"], what: "docker info")
        return try SwarmInfo(json: out)
    }

    /// Fails the way the collection's swarm modules do on a node that is not a manager (in or
    /// out of a swarm: the collection's integration tests compare the message exactly).
    func requireManager() throws {
        guard try swarmInfo().isLiveManager else {
            throw ModuleError("Error running docker swarm module: must run on swarm manager node")
        }
    }
}
