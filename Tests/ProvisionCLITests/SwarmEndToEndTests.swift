import Foundation
import XCTest

/// The product's main job end to end: the built `provision` binary runs
/// `playbooks/setup-swarm.yml` against the lab's bare nodes (`scripts/lab up 3`: systemd, sshd,
/// sudo, no Docker) over its own SSH transport, then again, then after a node is re-imaged.
/// Runs in scripts/test's lab stage (PROVISION_LAB_TESTS=1, a fresh lab); takes minutes.
final class SwarmEndToEndTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    var repo: String { Self.repo }
    let inventory = "inventories/lab.yml"
    let nodes = ["node1", "node2", "node3"]

    override func setUpWithError() throws {
        guard ProcessInfo.processInfo.environment["PROVISION_LAB_TESTS"] == "1" else {
            throw XCTSkip("lab tests run with PROVISION_LAB_TESTS=1 after: sudo scripts/lab up 3 (scripts/test does both)")
        }
        guard FileManager.default.fileExists(atPath: repo + "/" + inventory) else {
            throw XCTSkip("no lab inventory at \(repo)/\(inventory); run: sudo scripts/lab up 3")
        }
    }

    func testBareNodesToASwarmThenIdempotentThenRepairedAfterReimage() throws {
        let bin = try ProvisionBinary.locate()
        let bare = try exec(bin, "command -v dockerd || echo no-docker")
        XCTAssertEqual(bare.status, 0, bare.stderr)
        XCTAssertEqual(bare.stdout.components(separatedBy: "no-docker").count - 1, 1,
                       "expected the three bare nodes folded into one block: \(bare.stdout)")

        // 1. Bare nodes to a swarm.
        let first = try run(bin)
        XCTAssertEqual(first.exitCode, 0, first.text)
        for n in nodes { XCTAssertGreaterThan(first.recap[n]?["changed"] ?? 0, 0, "\(n) changed nothing on the first run") }
        try checkSwarm(bin, expectNodes: 3)

        // 2. The same command again changes nothing and does not restart Docker.
        let started = try dockerStartTimes(bin)
        let second = try run(bin)
        XCTAssertEqual(second.exitCode, 0, second.text)
        for n in nodes {
            XCTAssertEqual(second.recap[n]?["changed"], 0, "\(n) changed on the second run:\n\(second.text)")
            XCTAssertEqual(second.recap[n]?["failed"], 0)
        }
        XCTAssertEqual(try dockerStartTimes(bin), started, "Docker was restarted by the second run")

        // 2b. The Pi notes' short inventory (`manager: IP`, `worker: [IPs]`), run as a user of
        //     those notes would: `--user pi --private-key KEY -K` with the sudo password piped
        //     in, host keys in ~/.ssh/known_hosts. The same playbook, unchanged, finds the swarm
        //     converged under these new names.
        let short = try seedsShortInventoryRun(bin)
        XCTAssertEqual(short.exitCode, 0, short.text)
        XCTAssertEqual(short.recap.count, 3, short.text)
        for (host, counts) in short.recap {
            XCTAssertEqual(counts["changed"], 0, "\(host) changed under the short inventory:\n\(short.text)")
            XCTAssertEqual(counts["failed"], 0, short.text)
        }

        // 3. A wrong sudo password on one node fails that node only, with a clear message.
        let wrong = try wrongPasswordInventory()
        let bad = try run(bin, inventory: wrong)
        XCTAssertEqual(bad.exitCode, 2, bad.text)
        XCTAssertEqual(bad.recap["node3"]?["failed"], 1, bad.text)
        XCTAssertTrue(bad.text.contains("incorrect sudo password"), bad.text)
        for n in ["node1", "node2"] {
            XCTAssertEqual(bad.recap[n]?["failed"], 0, bad.text)
            XCTAssertEqual(bad.recap[n]?["changed"], 0, bad.text)
        }

        // 4. node2 is re-imaged: new host key, no Docker. Provision refuses the changed key and
        //    says how to forget it; after that step, the same playbook rejoins it.
        try shell("scripts/lab replace node2 --keep-known-hosts")
        let refused = try run(bin)
        XCTAssertEqual(refused.exitCode & 4, 4, refused.text)
        XCTAssertEqual(refused.recap["node2"]?["unreachable"], 1, refused.text)
        XCTAssertTrue(refused.text.contains("ssh-keygen -R"), refused.text)
        let address = try nodeAddress("node2")
        try shell("ssh-keygen -R \(address) -f lab/known_hosts")
        let repaired = try run(bin)
        XCTAssertEqual(repaired.exitCode, 0, repaired.text)
        XCTAssertGreaterThan(repaired.recap["node2"]?["changed"] ?? 0, 0)
        for n in ["node1", "node3"] {
            XCTAssertEqual(repaired.recap[n]?["changed"], 0, "\(n) changed while node2 was repaired:\n\(repaired.text)")
        }
        try checkSwarm(bin, expectNodes: 3)

        // 5. A node that is in another swarm is refused, and moved only with force_rejoin.
        let foreign = try exec(bin, "docker swarm leave --force >/dev/null && docker swarm init --advertise-addr $(hostname -I | cut -d' ' -f1) >/dev/null && echo foreign",
                               limit: "node3", become: true)
        XCTAssertEqual(foreign.status, 0, foreign.stdout + foreign.stderr)
        let refusedForeign = try run(bin)
        XCTAssertEqual(refusedForeign.exitCode, 2, refusedForeign.text)
        XCTAssertEqual(refusedForeign.recap["node3"]?["failed"], 1, refusedForeign.text)
        let forced = try run(bin, extra: ["-e", "force_rejoin=true"])
        XCTAssertEqual(forced.exitCode, 0, forced.text)
        try checkSwarm(bin, expectNodes: 3)
    }

    // MARK: - Checks

    /// Every node Ready in the managers' view (no stale entries), the overlay network attachable,
    /// and each node's Docker API answering on tcp 2375.
    func checkSwarm(_ bin: ProvisionBinary, expectNodes: Int) throws {
        let ls = try exec(bin, "docker node ls --format '{{.Hostname}} {{.Status}}' | sort", limit: "managers", become: true)
        XCTAssertEqual(ls.status, 0, ls.stderr)
        let lines = ls.stdout.split(separator: "\n").filter { $0.hasSuffix(" Ready") || $0.hasSuffix(" Down") }
        XCTAssertEqual(lines.filter { $0.hasSuffix(" Ready") }.count, expectNodes, ls.stdout)
        XCTAssertEqual(lines.count, expectNodes, "stale node entries left: \(ls.stdout)")
        let net = try exec(bin, "docker network inspect clipper_network --format '{{.Driver}} {{.Attachable}}'",
                           limit: "managers", become: true)
        XCTAssertTrue(net.stdout.contains("overlay true"), net.stdout + net.stderr)
        for n in nodes {
            let address = try nodeAddress(n)
            let api = try TestShell.run("curl -sf --max-time 10 http://\(address):2375/version", in: repo)
            XCTAssertEqual(api.status, 0, "\(n): Docker API on tcp 2375 did not answer")
            XCTAssertTrue(api.stdout.contains("ApiVersion"), api.stdout)
        }
    }

    /// When each node's docker.service last became active, by host.
    func dockerStartTimes(_ bin: ProvisionBinary) throws -> [String: String] {
        let r = try exec(bin, "systemctl show docker -p ActiveEnterTimestampMonotonic", become: true, json: true)
        XCTAssertEqual(r.status, 0, r.stderr)
        var times: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let host = obj["host"] as? String, let out = obj["stdout"] as? String else { continue }
            times[host] = out
        }
        XCTAssertEqual(times.count, nodes.count, r.stdout)
        return times
    }

    // MARK: - Running provision

    struct RunResult {
        var exitCode: Int32
        var recap: [String: [String: Int]]
        var text: String
    }

    func run(_ bin: ProvisionBinary, inventory: String? = nil, extra: [String] = []) throws -> RunResult {
        let out = try bin.run(["run", "playbooks/setup-swarm.yml", "-i", inventory ?? self.inventory, "--json"] + extra,
                              in: repo)
        return RunResult(exitCode: out.status, recap: Self.recap(out.stdout), text: out.stdout + out.stderr)
    }

    /// Per host status counts from the `--json` recap event.
    static func recap(_ stdout: String) -> [String: [String: Int]] {
        var recap: [String: [String: Int]] = [:]
        for line in stdout.split(separator: "\n") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  obj["event"] as? String == "recap", let hosts = obj["hosts"] as? [String: [String: Int]]
            else { continue }
            recap = hosts
        }
        return recap
    }

    func exec(_ bin: ProvisionBinary, _ command: String, limit: String? = nil, become: Bool = false,
              json: Bool = false) throws -> ProvisionBinary.Output {
        var args = ["exec", command, "-i", inventory]
        if let limit { args += ["--limit", limit] }
        if become { args.append("--become") }
        if json { args.append("--json") }
        return try bin.run(args, in: repo)
    }

    func shell(_ command: String) throws {
        let r = try TestShell.run(command, in: repo)
        XCTAssertEqual(r.status, 0, "\(command): \(r.stdout)\(r.stderr)")
    }

    func nodeAddress(_ name: String) throws -> String {
        let text = try String(contentsOfFile: repo + "/" + inventory, encoding: .utf8)
        for line in text.split(separator: "\n") where line.contains("\(name):") && line.contains("ansible_host") {
            if let r = line.range(of: #"ansible_host: *([0-9.]+)"#, options: .regularExpression) {
                return String(line[r].split(separator: ":")[1]).trimmingCharacters(in: .whitespaces)
            }
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let i = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "\(name):" }),
           i + 1 < lines.count, let r = lines[i + 1].range(of: #"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+"#, options: .regularExpression) {
            return String(lines[i + 1][r])
        }
        throw XCTSkip("no address for \(name) in \(inventory)")
    }

    /// setup-swarm.yml with the seeds' short inventory and only command-line connection
    /// settings; HOME is a fresh directory whose ~/.ssh/known_hosts holds the lab's host keys.
    func seedsShortInventoryRun(_ bin: ProvisionBinary) throws -> RunResult {
        let home = NSTemporaryDirectory() + "provision-seeds-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home + "/.ssh", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.copyItem(atPath: repo + "/lab/known_hosts", toPath: home + "/.ssh/known_hosts")
        let addresses = try nodes.map(nodeAddress)
        let inventory = "manager: \(addresses[0])\nworker:\n" + addresses.dropFirst().map { "- \($0)\n" }.joined()
        try inventory.write(toFile: home + "/hostnames.yaml", atomically: true, encoding: .utf8)
        let password = try String(contentsOfFile: repo + "/lab/become_password", encoding: .utf8)
        let out = try bin.run(["run", "playbooks/setup-swarm.yml", "-i", home + "/hostnames.yaml", "--json",
                               "--user", "pi", "--private-key", repo + "/lab/id_ed25519", "-K"],
                              in: repo, environment: ["HOME": home], stdin: Data(password.utf8))
        return RunResult(exitCode: out.status, recap: Self.recap(out.stdout), text: out.stdout + out.stderr)
    }

    /// A copy of the lab inventory whose sudo password file holds a wrong password.
    func wrongPasswordInventory() throws -> String {
        let dir = NSTemporaryDirectory() + "provision-wrongpw-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "not-the-password\n".write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: repo + "/" + inventory, encoding: .utf8)
        let replaced = text.replacingOccurrences(of: #"become_password_file: *\S+"#,
                                                 with: "become_password_file: \(dir)/pw", options: .regularExpression)
        XCTAssertNotEqual(replaced, text, "the lab inventory names no become_password_file")
        let path = dir + "/lab.yml"
        try replaced.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// `/bin/sh -c` on the controller, for the lab's own scripts and curl.
enum TestShell {
    static func run(_ command: String, in directory: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
