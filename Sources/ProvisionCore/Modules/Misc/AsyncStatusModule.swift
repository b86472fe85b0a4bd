import Foundation

/// `async_status`: reports on (or cleans up) a background job started by a task with
/// `async:`, as Ansible's does.
///
/// Contract with the executor's async runner (the same one as Ansible's): the job writes its
/// result as one JSON object to `ASYNC_DIR/JID` on the host (`ASYNC_DIR` = the variable
/// `ansible_async_dir`, else `~/.ansible_async`). While the job runs the file holds
/// `{"started": 1, "finished": 0, "ansible_job_id": JID}` (or is empty/partial); when it
/// ends, the module's registered result (`rc`, `stdout`, `changed`, …) without `started`.
/// A result without `started` is reported with `finished: 1`; one with `started` but no
/// `finished`, with `finished: 0`.
public struct AsyncStatusModule: Module {
    public static let name = "async_status"
    public static let argumentSpec = ArgumentSpec([
        .init("jid", required: true), .init("mode", choices: ["cleanup", "status"], default: "status"),
    ])

    public var jid: String
    public var cleanup: Bool

    public init(arguments args: ModuleArguments) throws {
        jid = try args.requiredString("jid")
        cleanup = try args.choice("mode", ["cleanup", "status"]) == "cleanup"
        if jid.contains("/") || jid.isEmpty { throw ModuleError("'jid' must be a job id, not a path (got '\(jid)')") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(#"""
        case $dir in "~") dir=$HOME ;; "~/"*) dir=$HOME/${dir#"~/"} ;; esac
        f=$dir/$jid
        pv path "$f"
        [ -e "$f" ] || { pv missing; exit 0; }
        if [ "$cleanup" = 1 ]; then rm -f -- "$f" || die "cannot remove $f"; pv erased; exit 0; fi
        printf '@@pv content\n'; cat -- "$f"
        """#)
        s.set("dir", context.vars["ansible_async_dir"]?.renderedString ?? "~/.ansible_async")
        s.set("jid", jid)
        s.set("cleanup", cleanup)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        let path = out.first("path") ?? ""
        if out.has("missing") {
            return .failed("could not find job", data: ["ansible_job_id": .string(jid), "started": 1, "finished": 1])
        }
        if out.has("erased") { return .ok(["ansible_job_id": .string(jid), "erased": .string(path)]) }
        guard let parsed = Value(jsonText: out.text), case .dict(var data) = parsed else {
            if out.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || Value(jsonText: out.text) == nil {
                return .ok(["results_file": .string(path), "ansible_job_id": .string(jid), "started": 1, "finished": 0])
            }
            return .failed("Could not parse job output: \(out.text)",
                           data: ["ansible_job_id": .string(jid), "results_file": .string(path), "started": 1, "finished": 1])
        }
        if data["started"] == nil {
            data["finished"] = 1
            data["ansible_job_id"] = .string(jid)
        } else if data["finished"] == nil {
            data["finished"] = 0
        }
        // The job's own outcome becomes this task's.
        let changed = data.removeValue(forKey: "changed")?.isTruthy ?? false
        let failed = data.removeValue(forKey: "failed")?.isTruthy ?? false
        let msg = data.removeValue(forKey: "msg")?.renderedString
        return ModuleResult(changed: changed, failed: failed, message: msg, data: [String: Value](data))
    }
}
