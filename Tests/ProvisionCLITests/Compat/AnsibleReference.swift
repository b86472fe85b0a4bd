import Foundation
import XCTest
import ProvisionCore
import ProvisionTestSupport

/// Runs the same playbook through `ansible-playbook` (the reference) and `provision run`
/// against the same loopback hosts, and reads back, per task and host, what each reported
/// (ok / changed / skipped / failed / unreachable).
struct AnsibleReference {
    static let ansiblePlaybook = "/usr/bin/ansible-playbook"

    /// One task's status on one host, in run order.
    struct Outcome: Hashable, CustomStringConvertible {
        var task: String
        var host: String
        var status: String
        var description: String { "\(task) @\(host): \(status)" }
    }

    /// Skips the test when Ansible is absent (scripts/test installs it; under CI a skip fails).
    static func require() throws {
        guard FileManager.default.isExecutableFile(atPath: ansiblePlaybook) else {
            throw XCTSkip("ansible-playbook not installed (apt-get install ansible)")
        }
    }

    /// Ansible's per-task statuses from `ANSIBLE_STDOUT_CALLBACK=json`.
    static func runAnsible(_ playbook: String, inventory: String, in dir: String, extra: [String],
                           options: [String] = []) throws -> (outcomes: [Outcome], output: String) {
        let r = try runAnsibleWithRecap(playbook, inventory: inventory, in: dir, extra: extra, options: options)
        return (r.outcomes, r.output)
    }

    /// The recap counters per host, as `host: ok=… changed=… failed=… skipped=… rescued=… ignored=…`.
    static func recapLine(_ host: String, ok: Int, changed: Int, failed: Int, skipped: Int, rescued: Int, ignored: Int) -> String {
        "\(host): ok=\(ok) changed=\(changed) failed=\(failed) skipped=\(skipped) rescued=\(rescued) ignored=\(ignored)"
    }

    /// provision's recap from `--json` (its `recap` event), one line per host in name order.
    static func recap(fromProvisionJSON text: String) -> [String] {
        for line in text.split(separator: "\n") {
            guard let v = Value(jsonText: String(line)), case .dict(let d) = v, d["event"]?.stringValue == "recap",
                  case .dict(let hosts)? = d["hosts"] else { continue }
            return hosts.keys.sorted().compactMap { h in
                guard case .dict(let c)? = hosts[h] else { return nil }
                func n(_ k: String) -> Int { if case .int(let i)? = c[k] { return i }; return -1 }
                return recapLine(h, ok: n("ok"), changed: n("changed"), failed: n("failed"), skipped: n("skipped"),
                                 rescued: n("rescued"), ignored: n("ignored"))
            }
        }
        return []
    }

    /// Ansible's per-task statuses and its recap (`stats`) from `ANSIBLE_STDOUT_CALLBACK=json`.
    static func runAnsibleWithRecap(_ playbook: String, inventory: String, in dir: String,
                                    extra: [String], options: [String] = []) throws -> (outcomes: [Outcome], recap: [String], output: String) {
        var env: [String: String] = [:]
        env["ANSIBLE_STDOUT_CALLBACK"] = "json"
        env["ANSIBLE_HOST_KEY_CHECKING"] = "False"
        env["ANSIBLE_PYTHON_INTERPRETER"] = "/usr/bin/python3"
        env["ANSIBLE_RETRY_FILES_ENABLED"] = "False"
        env["ANSIBLE_NOCOLOR"] = "1"
        env["ANSIBLE_PIPELINING"] = "True"
        env["ANSIBLE_LOCAL_TEMP"] = dir + "/.ansible-local"
        let args = ["-i", inventory, playbook] + extra.flatMap { ["-e", $0] } + options
        let r = try TestCommand.run(ansiblePlaybook, args, environment: env)
        guard let start = r.stdout.firstIndex(of: "{"),
              let data = String(r.stdout[start...]).data(using: .utf8),
              let doc = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let plays = doc["plays"] as? [[String: Any]] else {
            throw XCTSkip("ansible-playbook gave no JSON: \(r.stdout)\n\(r.stderr)")
        }
        var out: [Outcome] = []
        for play in plays {
            for task in play["tasks"] as? [[String: Any]] ?? [] {
                let name = ((task["task"] as? [String: Any])?["name"] as? String) ?? ""
                for (host, res) in (task["hosts"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    guard let r = res as? [String: Any] else { continue }
                    out.append(Outcome(task: normalise(name), host: host, status: status(r)))
                }
            }
        }
        var recap: [String] = []
        for (h, v) in (doc["stats"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let c = v as? [String: Any] else { continue }
            func n(_ k: String) -> Int { c[k] as? Int ?? -1 }
            recap.append(recapLine(h, ok: n("ok"), changed: n("changed"), failed: n("failures"), skipped: n("skipped"),
                                   rescued: n("rescued"), ignored: n("ignored")))
        }
        return (out, recap, r.stdout + r.stderr)
    }

    static func status(_ r: [String: Any]) -> String {
        if r["unreachable"] as? Bool == true { return "unreachable" }
        if r["failed"] as? Bool == true { return "failed" }
        if r["skipped"] as? Bool == true { return "skipped" }
        if r["changed"] as? Bool == true { return "changed" }
        return "ok"
    }

    /// provision's per-task statuses from `--json`.
    static func outcomes(fromProvisionJSON text: String) -> [Outcome] {
        var out: [Outcome] = []
        for line in text.split(separator: "\n") {
            guard let v = Value(jsonText: String(line)), case .dict(let d) = v,
                  d["event"]?.stringValue == "host_outcome",
                  let task = d["task"]?.stringValue, let host = d["host"]?.stringValue,
                  let status = d["status"]?.stringValue else { continue }
            out.append(Outcome(task: normalise(task), host: host, status: status))
        }
        return out
    }

    /// Outcomes with each task's hosts in name order (hosts finish a task in any order), the
    /// tasks in the order they ran; Ansible's fact gathering left out.
    static func ordered(_ list: [Outcome]) -> [Outcome] {
        var out: [Outcome] = []
        var run: [Outcome] = []
        for o in list where o.task != "Gathering Facts" {
            if let last = run.last, last.task != o.task {
                out += run.sorted { $0.host < $1.host }
                run = []
            }
            run.append(o)
        }
        return out + run.sorted { $0.host < $1.host }
    }

    /// Task names without a role prefix (`demo : Write the config`), as both tools print them.
    static func normalise(_ name: String) -> String {
        guard let r = name.range(of: " : ") else { return name }
        return String(name[r.upperBound...])
    }

    /// Every file under `root`, relative path → content.
    static func tree(_ root: String) -> [String: String] {
        var out: [String: String] = [:]
        guard let e = FileManager.default.enumerator(atPath: root) else { return out }
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            let p = root + "/" + rel
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = (try? String(contentsOfFile: p, encoding: .utf8)) ?? "<unreadable>"
            }
        }
        return out
    }
}
