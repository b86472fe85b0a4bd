import Foundation
import XCTest
@testable import ProvisionCore

/// iptables against a fake netfilter (`FakeNetfilter`, a recording `iptables` on PATH): the
/// same task list runs through ansible-playbook (`connection: local`) and through the module
/// here, each on its own fake; per task `changed`/`failed`/`rule`/`msg` and the exact command
/// lines each side ran must be equal, and so must the chains afterwards. The machine's real
/// firewall is never touched by either side.
final class IptablesModuleTests: ModuleTestCase {
    struct Case {
        var args: [String: Value]
        var check = false
    }

    static let cases: [Case] = [
        Case(args: ["chain": "INPUT", "protocol": "tcp", "destination_port": 22, "ctstate": ["NEW"], "jump": "ACCEPT",
                    "comment": "allow ssh", "in_interface": "eth0", "source": "10.0.0.0/8"]),
        Case(args: ["chain": "INPUT", "protocol": "tcp", "destination_port": 22, "ctstate": ["NEW"], "jump": "ACCEPT",
                    "comment": "allow ssh", "in_interface": "eth0", "source": "10.0.0.0/8"]),
        Case(args: ["chain": "INPUT", "protocol": "tcp", "destination_port": 22, "ctstate": ["NEW"], "jump": "ACCEPT",
                    "comment": "allow ssh", "in_interface": "eth0", "source": "10.0.0.0/8", "state": "absent"], check: true),
        Case(args: ["chain": "INPUT", "protocol": "udp", "destination_ports": [53, "1000:2000"], "jump": "ACCEPT",
                    "action": "insert", "rule_num": 1]),
        Case(args: ["table": "nat", "chain": "PREROUTING", "protocol": "tcp", "destination_port": 80, "jump": "REDIRECT",
                    "to_ports": 8080]),
        Case(args: ["chain": "INPUT", "log_prefix": "DROP: ", "log_level": "4", "protocol": "icmp"]),
        Case(args: ["chain": "INPUT", "source": "!192.168.1.1", "reject_with": "icmp-port-unreachable"]),
        Case(args: ["chain": "FORWARD", "policy": "DROP"]),
        Case(args: ["chain": "FORWARD", "policy": "DROP"]),
        Case(args: ["chain": "MYCHAIN", "jump": "RETURN", "chain_management": true]),
        Case(args: ["chain": "MYCHAIN", "flush": true]),
        Case(args: ["chain": "MYCHAIN", "state": "absent", "chain_management": true]),
        Case(args: ["chain": "MYCHAIN", "state": "absent", "chain_management": true]),
        Case(args: ["ip_version": "ipv6", "chain": "INPUT", "protocol": "ipv6-icmp", "icmp_type": "echo-request", "jump": "ACCEPT"]),
        Case(args: ["chain": "OUTPUT", "wait": "5", "jump": "ACCEPT", "out_interface": "lo"]),
        Case(args: ["chain": "INPUT", "action": "insert", "rule_num": 2, "wait": "5", "jump": "DROP", "protocol": "tcp",
                    "match": ["conntrack", "limit"], "ctstate": ["ESTABLISHED", "RELATED"], "syn": "negate",
                    "tcp_flags": ["flags": ["ALL"], "flags_set": ["SYN", "ACK"]], "limit": "5/min", "limit_burst": 10,
                    "uid_owner": "!1000", "src_range": "10.0.0.1-10.0.0.9", "match_set": "blocked",
                    "match_set_flags": "src", "set_counters": "1 2", "fragment": "!x"]),
        Case(args: ["chain": "INPUT", "protocol": "udp", "destination_ports": [53, "1000:2000"], "jump": "ACCEPT",
                    "state": "absent"]),
        Case(args: ["chain": "INPUT", "log_prefix": "x", "jump": "ACCEPT"]),
        Case(args: ["protocol": "tcp"]),
        Case(args: ["chain": "INPUT", "ctstate": ["NEW"], "match": ["state"], "jump": "ACCEPT", "destination": "1.2.3.4",
                    "goto": "MYCHAIN", "comment": "it's \"quoted\" & <odd>"]),
        Case(args: ["chain": "NOPE", "jump": "ACCEPT"]),
        Case(args: ["flush": true, "table": "nat"]),
    ]

    /// Per task: changed, failed, rule (when not failed), msg (when failed), and the
    /// commands run (fake root replaced by ROOT).
    typealias Outcome = (changed: Bool, failed: Bool, rule: String?, msg: String?, commands: [String])

    func provisionOutcomes(_ fake: FakeNetfilter) throws -> [Outcome] {
        var out: [Outcome] = []
        let env = ["PATH": fake.bin + ":/usr/bin:/bin:/usr/sbin:/sbin"]
        for c in Self.cases {
            fake.clearLog()
            var r: ModuleResult
            do { r = try run("iptables", c.args, check: c.check, environment: env) } catch let e as ModuleError {
                r = .failed(e.message)
            }
            let cmds = fake.commands().map { $0.replacingOccurrences(of: fake.root, with: "ROOT") }
            let rule: String? = r.failed ? nil : r.data["rule"]?.renderedString
            out.append((r.changed, r.failed, rule, r.failed ? r.message : nil, cmds))
        }
        return out
    }

    func ansibleOutcomes(_ fake: FakeNetfilter) throws -> [Outcome] {
        let tasks = Self.cases.map { AnsibleLocalOracle.Task($0.args, check: $0.check) }
        let d = try AnsibleLocalOracle.run("iptables", tasks, base: dir, work: dir,
                                           path: fake.bin + ":/usr/bin:/bin:/usr/sbin:/sbin", markerLog: fake.log)
        // The log split at the markers: the commands of each task.
        var perTask: [[String]] = Array(repeating: [], count: Self.cases.count)
        var cur = -1
        for line in (read(fake.log) ?? "").split(separator: "\n").map(String.init) {
            if line.hasPrefix("=== "), let n = Int(line.dropFirst(4)) { cur = n; continue }
            if cur >= 0 && !line.hasSuffix("--version") { perTask[cur].append(line.replacingOccurrences(of: fake.root, with: "ROOT")) }
        }
        return Self.cases.indices.map { i in
            guard i < d.count else { return (false, true, nil, "no result", []) }
            let r = d[i]
            let failed = r["failed"] == .bool(true)
            return (r["changed"] == .bool(true), failed, failed ? nil : r["rule"]?.renderedString,
                    failed ? r["msg"]?.renderedString : nil, perTask[i])
        }
    }

    func testSameCommandsAndResultsAsAnsible() throws {
        let mine = try FakeNetfilter(root: path("fake-provision"))
        let ours = try provisionOutcomes(mine)
        let theirsFake = try FakeNetfilter(root: path("fake-ansible"))
        let theirs = try ansibleOutcomes(theirsFake)
        for (i, (a, b)) in zip(theirs, ours).enumerated() {
            XCTAssertEqual(a.changed, b.changed, "task \(i) changed")
            XCTAssertEqual(a.failed, b.failed, "task \(i) failed: \(b.msg ?? "")")
            XCTAssertEqual(a.rule, b.rule, "task \(i) rule")
            XCTAssertEqual(a.commands, b.commands, "task \(i) commands")
            if a.failed, a.commands.isEmpty { XCTAssertEqual(a.msg, b.msg, "task \(i) msg") }
        }
        let state = { (f: FakeNetfilter) -> [String] in
            ((try? FileManager.default.contentsOfDirectory(atPath: f.root + "/state")) ?? []).sorted().map {
                $0 + ": " + ((try? String(contentsOfFile: f.root + "/state/" + $0, encoding: .utf8)) ?? "")
            }
        }
        XCTAssertEqual(state(theirsFake), state(mine), "the chains afterwards")
    }

    func testChainsAndIdempotenceOnTheFake() throws {
        let fake = try FakeNetfilter(root: path("fake"))
        let env = ["PATH": fake.bin + ":/usr/bin:/bin"]
        let ssh: [String: Value] = ["chain": "INPUT", "protocol": "tcp", "destination_port": "22", "jump": "ACCEPT",
                                    "comment": "ssh in"]
        XCTAssertTrue(try run("iptables", ssh, check: true, environment: env).changed)
        XCTAssertEqual(fake.rules("INPUT"), [], "check mode changes nothing")
        let r = try run("iptables", ssh, environment: env)
        XCTAssertTrue(r.changed)
        XCTAssertEqual(r.data["rule"], "-p tcp -j ACCEPT --destination-port 22 -m comment --comment ssh in")
        XCTAssertEqual(fake.rules("INPUT"), ["-p tcp -j ACCEPT --destination-port 22 -m comment --comment ssh in"])
        XCTAssertFalse(try run("iptables", ssh, environment: env).changed)
        XCTAssertTrue(try run("iptables", ["chain": "INPUT", "jump": "DROP", "action": "insert"], environment: env).changed)
        XCTAssertEqual(fake.rules("INPUT")?.first, "-j DROP")
        // An old iptables takes no -w seconds: Ansible drops the value, so do we.
        let old = try FakeNetfilter(root: path("old"), version: "1.4.21")
        old.clearLog()
        try run("iptables", ["chain": "INPUT", "jump": "ACCEPT", "wait": "3"], environment: ["PATH": old.bin + ":/usr/bin:/bin"])
        XCTAssertEqual(old.commands(), ["iptables -t filter -C INPUT -j ACCEPT", "iptables -t filter -L INPUT", "iptables -t filter -A INPUT -j ACCEPT"])
        XCTAssertTrue(ModuleRegistry.lookup("ansible.builtin.iptables") == IptablesModule.self)
    }
}
