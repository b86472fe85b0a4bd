import Foundation
import XCTest
@testable import ProvisionCore

/// Two lab nodes made alike, one driven by Ansible (the reference, it has python3) and one by
/// provision (no Python), for differential module tests: the same playbook runs on each, then
/// per task outcomes, probed register values and the end state are compared.
///
/// Needs PROVISION_LAB_TESTS=1, ansible-playbook, and a lab of two from
/// `LAB_PYTHON_NODES=1 scripts/lab up 2` (its inventory from $LAB_INVENTORY, default
/// inventories/lab.yml).
final class ModuleTwin {
    /// One task's outcome on one twin.
    struct Outcome: CustomStringConvertible {
        var task: String
        var changed: Bool
        var failed: Bool
        var skipped: Bool
        /// For probe tasks (`debug: msg="{{ … | to_json }}"`): the value, parsed back.
        var probe: Value?
        var message: String
        var description: String {
            "\(task): " + (failed ? "failed" : skipped ? "skipped" : changed ? "changed" : "ok") + (failed ? " (\(message))" : "")
        }
    }

    struct Run {
        var outcomes: [Outcome]
        /// The tool's exit status (provision: 1 for a load error).
        var status: Int32
        var output: String
    }

    let lab: LabCluster
    let inventory: String
    /// The node Ansible drives (has python3) and the node provision drives.
    let ansibleNode: String
    let provisionNode: String
    let provision: URL
    let work: String

    init() throws {
        guard ProcessInfo.processInfo.environment["PROVISION_LAB_TESTS"] == "1" else {
            throw XCTSkip("lab tests run with PROVISION_LAB_TESTS=1 after: LAB_PYTHON_NODES=1 scripts/lab up 2")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ansible-playbook") else {
            throw XCTSkip("ansible-playbook is not installed (apt-get install ansible)")
        }
        let env = ProcessInfo.processInfo.environment
        inventory = env["LAB_INVENTORY"] ?? LabCluster.repo.appendingPathComponent("inventories/lab.yml").path
        guard FileManager.default.fileExists(atPath: inventory), let node = try YAMLFile.load(inventory) else {
            throw XCTSkip("no lab inventory at \(inventory); run: LAB_PYTHON_NODES=1 scripts/lab up 2")
        }
        lab = try LabCluster(inventory: YAMLFile.value(of: node, file: inventory))
        guard let a = lab.hosts.first(where: { $0.vars["ansible_python_interpreter"] != nil }),
              let b = lab.hosts.first(where: { $0.vars["ansible_python_interpreter"] == nil }) else {
            throw XCTSkip("the lab needs one node with python3 and one without: LAB_PYTHON_NODES=1 scripts/lab up 2")
        }
        ansibleNode = a.name
        provisionNode = b.name
        // The binary sits beside the test bundle in the build directory.
        var candidates = env["PROVISION_BINARY"].map { [URL(fileURLWithPath: $0)] } ?? []
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("provision"))
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("provision"))
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("provision"))
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        provision = try XCTUnwrap(found, "the provision binary is not built (swift build)")
        work = FileManager.default.temporaryDirectory.appendingPathComponent("pv-twin-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: work) }

    /// A root shell command on both twins (setup and end-state probes).
    func both(_ line: String) throws -> (ansible: String, provision: String) {
        (try lab.sh(ansibleNode, line), try lab.sh(provisionNode, line))
    }

    static func playbook(_ tasks: String) -> String {
        "- hosts: all\n  gather_facts: false\n  become: true\n  tasks:\n"
            + tasks.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    func runAnsible(_ tasks: String, check: Bool, diff: Bool) throws -> Run {
        let file = work + "/play-\(UUID().uuidString.prefix(6)).yml"
        try Self.playbook(tasks).write(toFile: file, atomically: true, encoding: .utf8)
        var args = ["-i", inventory, "--limit", ansibleNode, file]
        if check { args.append("--check") }
        if diff { args.append("--diff") }
        let (status, out, err) = try Self.exec("/usr/bin/ansible-playbook", args, env: [
            "ANSIBLE_STDOUT_CALLBACK": "json", "ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0", "ANSIBLE_LOCALHOST_WARNING": "0", "ANSIBLE_DEPRECATION_WARNINGS": "0",
        ])
        guard let start = out.firstIndex(of: "{"), let json = try? JSONSerialization.jsonObject(with: Data(out[start...].utf8)) else {
            throw ModuleError("ansible-playbook printed no JSON (status \(status)): \(out) \(err)")
        }
        var outcomes: [Outcome] = []
        let plays = (json as? [String: Any])?["plays"] as? [[String: Any]] ?? []
        for play in plays {
            for task in play["tasks"] as? [[String: Any]] ?? [] {
                let name = (task["task"] as? [String: Any])?["name"] as? String ?? ""
                guard let r = (task["hosts"] as? [String: Any])?[ansibleNode] as? [String: Any] else { continue }
                let msg = r["msg"]
                var probe: Value?
                if name.hasPrefix("probe"), let s = msg as? String { probe = Self.parseJSON(s) }
                outcomes.append(Outcome(task: name, changed: r["changed"] as? Bool ?? false, failed: r["failed"] as? Bool ?? false,
                                        skipped: r["skipped"] as? Bool ?? false, probe: probe,
                                        message: msg.map { "\($0)" } ?? ""))
            }
        }
        return Run(outcomes: outcomes, status: status, output: out + err)
    }

    func runProvision(_ tasks: String, check: Bool, diff: Bool) throws -> Run {
        let file = work + "/play-\(UUID().uuidString.prefix(6)).yml"
        try Self.playbook(tasks).write(toFile: file, atomically: true, encoding: .utf8)
        var args = ["run", "--json", "-i", inventory, "--limit", provisionNode, file]
        if check { args.append("--check") }
        if diff { args.append("--diff") }
        let (status, out, err) = try Self.exec(provision.path, args, env: [:])
        var outcomes: [Outcome] = []
        for line in out.split(separator: "\n") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  obj["event"] as? String == "host_outcome" else { continue }
            let name = obj["task"] as? String ?? ""
            let st = obj["status"] as? String ?? ""
            let msg = obj["msg"] as? String ?? ""
            outcomes.append(Outcome(task: name, changed: st == "changed", failed: st == "failed", skipped: st == "skipped",
                                    probe: name.hasPrefix("probe") ? Self.parseJSON(msg) : nil, message: msg))
        }
        return Run(outcomes: outcomes, status: status, output: out + err)
    }

    static func parseJSON(_ s: String) -> Value? {
        guard let o = try? JSONSerialization.jsonObject(with: Data(s.utf8), options: [.fragmentsAllowed]) else { return .string(s) }
        return Value(json: o)
    }

    static func exec(_ path: String, _ args: [String], env: [String: String]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        var errData = Data()
        let g = DispatchGroup()
        g.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); g.leave() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        g.wait()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
