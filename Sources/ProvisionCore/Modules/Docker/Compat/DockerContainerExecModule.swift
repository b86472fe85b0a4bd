import Foundation

/// `docker_container_exec` (`community.docker.docker_container_exec`): runs `argv` or
/// `command` (split like a shell) in a running container, with `chdir`, `user`, `env`, `tty`
/// and `stdin`. Returns `stdout`, `stderr` and `rc` (or `exec_id` with `detach`); always
/// changed, as in the collection. No check mode.
public struct DockerContainerExecModule: Module {
    public static let name = "docker_container_exec"
    public static let aliases = ["community.docker.docker_container_exec"]
    public static let supportsCheckMode = false
    public static let argumentSpec = ArgumentSpec([
        .init("container", required: true), .init("argv", .list), .init("command"), .init("chdir"),
        .init("detach", .bool, default: false), .init("user"), .init("stdin"),
        .init("stdin_add_newline", .bool, default: true), .init("strip_empty_ends", .bool, default: true),
        .init("tty", .bool, default: false), .init("env", .dict),
    ] + DockerConnection.fields, requiredOneOf: [["argv", "command"]])

    var connection: DockerConnection
    var container: String
    var argv: [String]
    var chdir, user, stdin: String?
    var detach, addNewline, strip, tty: Bool
    var env: [String: String]

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        try DockerArgumentChecks.mutuallyExclusive(a, [["argv", "command"]])
        container = try a.requiredString("container")
        if let l = try a.stringList("argv") { argv = l } else { argv = try ContainerSpec.shellWords(a.requiredString("command")) }
        chdir = try a.string("chdir")
        user = try a.string("user")
        stdin = try a.string("stdin")
        detach = try a.bool("detach") ?? false
        addNewline = try a.bool("stdin_add_newline") ?? true
        strip = try a.bool("strip_empty_ends") ?? true
        tty = try a.bool("tty") ?? false
        env = try DockerArgumentChecks.stringMap(a, "env") ?? [:]
        if detach && stdin != nil { throw ModuleError("If detach=true, stdin cannot be provided.") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        guard let c = try cli.inspect("container", container) else {
            return .failed("Could not find container \"\(container)\"")
        }
        guard SwarmInfo.bool(c["State"]?["Running"]) else {
            return .failed("Cannot execute in container \"\(container)\": it is not running")
        }
        var args = ["container", "exec"]
        if detach { args.append("--detach") }
        if stdin != nil { args.append("--interactive") }
        if tty { args.append("--tty") }
        if let d = chdir { args += ["--workdir", d] }
        if let u = user { args += ["--user", u] }
        for (k, v) in env.sorted(by: { $0.key < $1.key }) { args += ["--env", "\(k)=\(v)"] }
        args += [container] + argv
        let input = stdin.map { Data(($0 + (addNewline ? "\n" : "")).utf8) }
        let r = try cli.run(args, stdin: input)
        if detach {
            if !r.succeeded { return .failed("Error executing in container: \(SwarmInfo.excerpt(r.stderrText))") }
            return .changed(["exec_id": .string(r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))])
        }
        var out = r.stdoutText, err = r.stderrText
        if strip {
            out = out.trimmingCharacters(in: .newlines)
            err = err.trimmingCharacters(in: .newlines)
        }
        func lines(_ s: String) -> Value {
            // Python's splitlines: a trailing newline ends the last line, it does not start one.
            var parts = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if parts.last == "" { parts.removeLast() }
            return .list(parts.map(Value.string))
        }
        return .changed(["stdout": .string(out), "stderr": .string(err), "rc": .int(Int(r.status)),
                         "stdout_lines": lines(out), "stderr_lines": lines(err)])
    }
}
