import Foundation

/// What `docker_stack_info` and `docker_stack_task_info` share: one `docker stack` listing
/// with `--format={{json .}}`, returned as the collection's modules return it (`rc`, `stdout`,
/// `stderr`, and `results`, one mapping per line).
enum DockerStackListing {
    static func run(_ args: [String], in context: HostContext) throws -> ModuleResult {
        let r = try DockerCLI(context: context).run(args + ["--format={{json .}}"])
        let out = r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let err = r.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
        var data: [String: Value] = ["rc": .int(Int(r.status)), "stdout": .string(out), "stderr": .string(err)]
        guard r.succeeded else { return .failed("Error running docker stack. \(err)", data: data) }
        data["results"] = .list(try DockerCLI.jsonLines(out))
        return .ok(data)
    }
}
