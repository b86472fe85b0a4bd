import Foundation

/// `provision run --json`: one JSON object per line on stdout and nothing else — task starts,
/// host outcomes and the recap. Strings pass through the `SecretRedactor` before encoding.
public final class RunJSONReporter: Reporter {
    private let output: TextOutput
    private let redactor: SecretRedactor

    public init(output: TextOutput, redactor: SecretRedactor) {
        self.output = output
        self.redactor = redactor
    }

    public func handle(_ event: RunEvent) {
        guard case .playbook(let e) = event else { return }
        var obj: [String: Value]
        switch e {
        case .playStarted(let name, let hosts):
            obj = ["event": "play_start", "play": .string(name), "hosts": .list(hosts.map(Value.string))]
        case .playSkipped(let name, let reason):
            obj = ["event": "play_skipped", "play": .string(name), "reason": .string(reason)]
        case .taskStarted(let info):
            obj = ["event": "task_start", "task": .string(info.name), "module": .string(info.module),
                   "location": .string(info.location.description), "handler": .bool(info.isHandler),
                   "hosts": .list(info.hosts.map(Value.string))]
        case .hostFinished(let info, let r):
            obj = Self.outcome(info, r)
        case .warning(let text):
            obj = ["event": "warning", "message": .string(text)]
        case .runFinished(let recap):
            var hosts: [String: Value] = [:]
            for (name, r) in recap.hosts {
                hosts[name] = ["ok": .int(r.ok), "changed": .int(r.changed), "unreachable": .int(r.unreachable),
                               "failed": .int(r.failed), "skipped": .int(r.skipped), "rescued": .int(r.rescued),
                               "ignored": .int(r.ignored)]
            }
            obj = ["event": "recap", "hosts": .dict(hosts), "duration": .double(recap.duration),
                   "interrupted": .bool(recap.interrupted), "exit_code": .int(Int(recap.exitCode))]
        case .hostStarted, .taskFinished:
            return
        }
        output.write(redacted(.dict(obj)).jsonString + "\n")
    }

    static func outcome(_ info: TaskInfo, _ r: TaskHostResult) -> [String: Value] {
        var o: [String: Value] = [
            "event": "host_outcome", "task": .string(info.name), "handler": .bool(info.isHandler),
            "host": .string(r.host), "status": .string(r.status.rawValue), "changed": .bool(r.status == .changed),
            "ignored": .bool(r.ignored), "duration": .double((r.duration * 1000).rounded() / 1000),
        ]
        if let m = r.message { o["msg"] = .string(m) }
        if let t = r.outputTail { o["output_tail"] = .string(t) }
        if !r.diffs.isEmpty { o["diff"] = .list(r.diffs.map(Value.string)) }
        if let d = r.delegatedTo { o["delegated_to"] = .string(d) }
        if !r.items.isEmpty {
            o["items"] = .list(r.items.map { .dict(["label": .string($0.label), "status": .string($0.status.rawValue)]) })
        }
        if !r.warnings.isEmpty { o["warnings"] = .list(r.warnings.map(Value.string)) }
        return o
    }

    private func redacted(_ v: Value) -> Value {
        switch v {
        case .string(let s): return .string(redactor.redact(s))
        case .list(let l): return .list(l.map(redacted))
        case .dict(let d): return .dict(d.mapValues(redacted))
        default: return v
        }
    }
}
