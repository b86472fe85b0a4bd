import Foundation

/// A task run in the background on its host (`async: SECONDS`, `poll: SECONDS`).
///
/// # Job-file contract (what `async_status` reads)
/// The job's status lives on the target in `~/.ansible_async/<jid>` (the home of the user the
/// task runs as, so of root under become), Ansible's place and shape: one JSON object with
/// `ansible_job_id` (string), `started` (1) and `finished` (0 while running, 1 when done);
/// once done also `rc` (int), `stdout`, `stderr` (strings), `cmd`, and the command's outcome
/// as `async_status` reports it: `changed` (true, as for command), `failed` with `msg` when
/// rc is not 0. The file is replaced
/// atomically (written as `<jid>.tmp`, then renamed), so a reader never sees half of it. A
/// job that outlives `async` seconds is killed (`timeout`) and ends with rc 124.
///
/// The registered value of a fire-and-forget task (`poll: 0`) is Ansible's: `ansible_job_id`,
/// `results_file` (the path above), `started: 1`, `finished: 0`, `changed`. With `poll > 0`
/// the executor reads the file every `poll` seconds until `finished` is 1 (or `async`
/// seconds passed: failed), then removes it and reports the command's result.
struct AsyncJob {
    let jid: String
    let seconds: Int

    init(seconds: Int) {
        jid = "\(UInt64.random(in: 100_000_000_000...999_999_999_999)).\(ProcessInfo.processInfo.processIdentifier)"
        self.seconds = seconds
    }

    /// `~/.ansible_async/<jid>` as the shell expands it.
    var path: String { "$HOME/.ansible_async/" + jid }

    /// The script that starts `line` detached and returns at once, printing the results file.
    func startScript(_ line: String) -> String {
        let limit = seconds > 0 ? "if command -v timeout >/dev/null 2>&1; then set -- timeout \(seconds); else set --; fi\n" : "set --\n"
        let esc = #"awk 'BEGIN{ORS=""} { gsub(/\\/,"\\\\"); gsub(/"/,"\\\""); gsub(/\t/,"\\t"); gsub(/\r/,"\\r"); if (NR>1) printf "\\n"; printf "%s", $0 }'"#
        let job = """
        d="$HOME/.ansible_async"; f="$d/\(jid)"; o="$f.out"; e="$f.err"
        \(limit)"$@" sh -c \(Shell.quote(line)) </dev/null >"$o" 2>"$e"; rc=$?
        so=$(tr -d '\\000-\\010\\013\\014\\016-\\037' <"$o" | \(esc)); se=$(tr -d '\\000-\\010\\013\\014\\016-\\037' <"$e" | \(esc))
        fl=false; m=""; [ "$rc" = 0 ] || { fl=true; m=', "msg": "non-zero return code"'; }
        printf '{"ansible_job_id": "%s", "started": 1, "finished": 1, "changed": true, "failed": %s, "rc": %d, "stdout": "%s", "stderr": "%s", "cmd": "%s"%s}\\n' \\
          "\(jid)" "$fl" "$rc" "$so" "$se" \(Shell.quote(jsonEscaped(line))) "$m" >"$f.tmp" && mv "$f.tmp" "$f"
        rm -f "$o" "$e"
        """
        return """
        d="$HOME/.ansible_async"; mkdir -p "$d" && chmod 700 "$d" || exit 1
        printf '{"ansible_job_id": "%s", "started": 1, "finished": 0}\\n' "\(jid)" >"$d/\(jid).tmp" && mv "$d/\(jid).tmp" "$d/\(jid)" || exit 1
        nohup sh -c \(Shell.quote(job)) </dev/null >/dev/null 2>&1 &
        printf '%s\\n' "$d/\(jid)"
        """
    }

    private func jsonEscaped(_ s: String) -> String {
        String(Value.string(s).jsonString.dropFirst().dropLast())
    }

    /// The command to read the job file.
    var readCommand: String { "cat \"\(path)\" 2>/dev/null" }
    var cleanupCommand: String { "rm -f \"\(path)\"" }

    /// The job file's JSON, nil while unreadable.
    static func parse(_ text: String) -> [String: Value]? {
        guard let v = Value(jsonText: text.trimmingCharacters(in: .whitespacesAndNewlines)), case .dict(let d) = v else { return nil }
        return [String: Value](d)
    }
}

extension TaskRunner {
    /// Runs `module` as a background job on the host (see `AsyncJob`).
    func runAsync(_ module: any AsyncModule, seconds: Int, poll: Int, context: HostContext) throws -> ModuleResult {
        if context.checkMode { return try module.run(in: context) }
        let line = try module.backgroundCommand(in: context)
        let job = AsyncJob(seconds: seconds)
        let started = try context.run(job.startScript(line))
        guard started.status == 0 else {
            return .failed("async: could not start the job: " + started.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let resultsFile = started.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        var data: [String: Value] = ["ansible_job_id": .string(job.jid), "results_file": .string(resultsFile),
                                     "started": 1, "finished": 0]
        guard poll > 0 else { return .changed(data) }
        let deadline = Date().addingTimeInterval(TimeInterval(max(seconds, 1) + poll))
        while true {
            Thread.sleep(forTimeInterval: TimeInterval(poll) * max(options.delayScale, 0.05))
            let read = try context.run(job.readCommand)
            if let d = AsyncJob.parse(read.stdoutText), d["finished"] == .int(1) {
                _ = try? context.run(job.cleanupCommand)
                var rc = -1
                if case .int(let i)? = d["rc"] { rc = i }
                let stdout = d["stdout"]?.stringValue ?? "", stderr = d["stderr"]?.stringValue ?? ""
                let outLines: [Value] = stdout.split(separator: "\n").map { Value.string(String($0)) }
                let errLines: [Value] = stderr.split(separator: "\n").map { Value.string(String($0)) }
                data["finished"] = .int(1)
                data["rc"] = .int(rc)
                data["stdout"] = .string(stdout)
                data["stderr"] = .string(stderr)
                data["stdout_lines"] = .list(outLines)
                data["stderr_lines"] = .list(errLines)
                data["cmd"] = d["cmd"] ?? .null
                if rc != 0 { return ModuleResult(changed: true, failed: true, message: rc == 124 ? "async task did not complete within the requested time - \(seconds)s" : "non-zero return code", data: data) }
                return .changed(data)
            }
            if Date() > deadline {
                return .failed("async task did not complete within the requested time - \(seconds)s", data: data)
            }
        }
    }
}

extension TaskRunner {
    /// `async` on a module that is not one background command line (file, apt, …). With
    /// `poll` > 0 Ansible waits for the job and reports the module's own result, so the module
    /// runs here in the foreground and its result gets the job keys; past `async` seconds it
    /// is failed with Ansible's message (the module is not interrupted midway: its work may
    /// be done). With `poll: 0` (fire and forget, for `async_status` later) it fails on this
    /// host, naming the module: provision has no background job for it.
    func runAsyncInForeground(_ module: any Module, seconds: Int, poll: Int, context: HostContext,
                              delegate: String?) throws -> ModuleResult {
        let name = type(of: module).name
        // As Ansible's action plugins that do not declare async support.
        if AnsibleAsyncSupport.refuses(name) { return .failed(AnsibleAsyncSupport.message) }
        guard poll > 0 else {
            return .failed("async with poll: 0: '\(name)' cannot run as a background job in provision (only command-like "
                           + "modules such as command and shell can); use poll > 0 to wait for it")
        }
        let start = Date()
        var result = try execute(module, context, delegate: delegate)
        let job = AsyncJob(seconds: seconds)
        result.data["ansible_job_id"] = .string(job.jid)
        result.data["started"] = 1
        result.data["finished"] = 1
        if Date().timeIntervalSince(start) > TimeInterval(seconds) {
            result.failed = true
            result.message = "async task did not complete within the requested time - \(seconds)s"
        }
        return result
    }
}
