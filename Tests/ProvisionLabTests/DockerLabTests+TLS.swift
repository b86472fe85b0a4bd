import Foundation
import XCTest
@testable import ProvisionCore

/// `docker_daemon tls: true` on the lab's real nodes: certificates made on this controller,
/// dockerd serving TLS on 2376, reached from here with the client files and refused without
/// them, a second run that changes nothing, and the plain 2375 listener put back afterwards
/// (the swarm tests expect it). Needs Docker on the nodes (run after the bare-nodes test).
extension DockerLabTests {
    func testTLSDaemonServesOnlyClientsWithTheCertificate() throws {
        let lab = try LabCluster.load()
        guard try lab.sh("node1", "command -v dockerd || echo none").contains("dockerd"),
              try lab.sh("node3", "command -v dockerd || echo none").contains("dockerd") else {
            throw XCTSkip("the lab nodes have no Docker yet; run testBareNodesBecomeASwarmAndStayOne first")
        }
        let root = NSTemporaryDirectory() + "provision-lab-tls-" + UUID().uuidString.prefix(8)
        let dir = root + "/docker-tls"
        defer { try? FileManager.default.removeItem(atPath: root) }
        defer {
            // Back to the plain listener the other lab tests and the swarm playbook expect.
            if let r = try? lab.runAll(all, DockerDaemonModule()) {
                for n in all { XCTAssertFalse(r[n]?.failed ?? true, "restoring \(n): \(r[n]?.message ?? "")") }
            }
            for n in all { _ = try? lab.sh(n, "rm -rf \(DockerDaemonPlan.tlsDirectory)") }
        }
        let daemon = try DockerDaemonModule(tls: true, tlsDirectory: dir)

        // Check mode: says what it would do, writes nothing here or there.
        let checked = try daemon.run(in: lab.context("node1", check: true))
        XCTAssertTrue(checked.changed && !checked.failed, "\(checked)")
        XCTAssertTrue((checked.message ?? "").contains("would create a CA"), checked.message ?? "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir), "check mode created the CA")
        XCTAssertTrue(try lab.sh("node1", "test -e \(DockerDaemonPlan.tlsDirectory) && echo yes || echo no").contains("no"))

        // All three at once (node3's sudo asks for a password): one CA, every node on 2376.
        var r = try lab.runAll(all, daemon)
        for n in all {
            XCTAssertFalse(r[n]!.failed, "\(n): \(r[n]!.message ?? "")")
            XCTAssertTrue(r[n]!.changed, n)
            XCTAssertFalse(r[n]!.warnings.contains { $0.contains("without TLS") }, "\(n): \(r[n]!.warnings)")
        }
        XCTAssertEqual(r.values.filter { ($0.message ?? "").contains("created a CA") }.count, 1, "\(r.mapValues(\.message))")
        XCTAssertEqual(ControllerFile.mode(of: dir + "/ca-key.pem"), 0o600)
        XCTAssertEqual(ControllerFile.mode(of: dir + "/client/key.pem"), 0o600)
        let ca = try XCTUnwrap(try ControllerFile.read(dir + "/ca.pem"))
        for n in all {
            XCTAssertEqual(try lab.sh(n, "cat \(DockerDaemonPlan.tlsCAPath)"), ca, n)
            XCTAssertEqual(try lab.sh(n, "stat -c '%a %U' \(DockerDaemonPlan.tlsKeyPath)").trimmingCharacters(in: .whitespacesAndNewlines), "600 root", n)
            XCTAssertEqual(try lab.sh(n, "ls \(DockerDaemonPlan.tlsDirectory) | grep -c provision || true").trimmingCharacters(in: .whitespacesAndNewlines), "0",
                           "\(n): staged or backup files left")
        }

        // The keys appear in nothing the module returns, even with --diff.
        let secrets = try ["ca-key.pem", "client/key.pem", "hosts/node1/server-key.pem"].map { try XCTUnwrap(try ControllerFile.read(dir + "/" + $0)) }
        var diffContext = try lab.context("node1")
        diffContext.diffMode = true
        let again = try daemon.run(in: diffContext)
        XCTAssertFalse(again.changed || again.failed, "second run on node1: \(again)")
        for (n, res) in r.merging(["node1-again": again], uniquingKeysWith: { $1 }) {
            let text = res.registered.jsonString + res.warnings.joined() + res.diffs.map { $0.before + $0.after }.joined()
            for s in secrets { XCTAssertFalse(text.contains(s.split(separator: "\n")[1]), "\(n) shows key material") }
        }

        // From this controller: the API answers with the client certificate, not without it.
        let address = try XCTUnwrap(lab.host(named: "node1")?.address)
        let ping = try LocalCommand.run("/usr/bin/curl", ["-sS", "--max-time", "15",
                                                         "--cacert", dir + "/client/ca.pem", "--cert", dir + "/client/cert.pem",
                                                         "--key", dir + "/client/key.pem", "https://\(address):2376/_ping"])
        XCTAssertEqual(ping.status, 0, ping.stderr)
        XCTAssertEqual(ping.stdout, "OK")
        let anonymous = try LocalCommand.run("/usr/bin/curl", ["-sS", "--max-time", "15", "--cacert", dir + "/client/ca.pem",
                                                              "https://\(address):2376/_ping"])
        XCTAssertNotEqual(anonymous.status, 0, "a client without a certificate got an answer: \(anonymous.stdout)")
        let plain = try LocalCommand.run("/usr/bin/curl", ["-sS", "--max-time", "15", "http://\(address):2375/_ping"])
        XCTAssertNotEqual(plain.status, 0, "the plain listener still answers")
        // What the docs tell the user to run, when this machine has a docker CLI.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/docker") {
            let info = try LocalCommand.run("/usr/bin/docker", ["-H", "tcp://\(address):2376", "version", "--format", "{{.Server.Version}}"],
                                           environment: ["DOCKER_CERT_PATH": dir + "/client", "DOCKER_TLS_VERIFY": "1"])
            XCTAssertEqual(info.status, 0, info.stderr)
        }

        // A second run on all: nothing changes and dockerd is not restarted.
        let pids = try all.map { try lab.sh($0, "systemctl show docker -p MainPID --value") }
        r = try lab.runAll(all, daemon)
        for n in all { XCTAssertFalse(r[n]!.changed || r[n]!.failed, "second TLS run on \(n): \(r[n]!)") }
        XCTAssertEqual(try all.map { try lab.sh($0, "systemctl show docker -p MainPID --value") }, pids)

        // A TLS listener dockerd cannot open: the new drop-in and the new certificate (its names
        // changed) are both rolled back, and the node keeps serving TLS with the old files.
        let certBefore = try lab.sh("node2", "cat \(DockerDaemonPlan.tlsCertPath)")
        let bad = try DockerDaemonModule(hosts: ["fd://", "tcp://198.51.100.77:2376"], tls: true, tlsDirectory: dir).run(in: lab.context("node2"))
        XCTAssertTrue(bad.failed && (bad.message ?? "").contains("restored"), "\(bad)")
        XCTAssertEqual(try lab.sh("node2", "cat \(DockerDaemonPlan.tlsCertPath)"), certBefore)
        XCTAssertTrue(try lab.sh("node2", "cat \(DockerDaemonPlan.dropInPath)").contains("tcp://0.0.0.0:2376"))
        XCTAssertEqual(try lab.sh("node2", "ls \(DockerDaemonPlan.tlsDirectory) | grep -c provision || true").trimmingCharacters(in: .whitespacesAndNewlines), "0")
        let node2 = try XCTUnwrap(lab.host(named: "node2")?.address)
        let stillTLS = try LocalCommand.run("/usr/bin/curl", ["-sS", "--max-time", "30", "--retry", "5", "--retry-all-errors", "--retry-delay", "2",
                                                             "--cacert", dir + "/client/ca.pem", "--cert", dir + "/client/cert.pem",
                                                             "--key", dir + "/client/key.pem", "https://\(node2):2376/_ping"])
        XCTAssertEqual(stillTLS.stdout, "OK", stillTLS.stderr)

        // A node whose key was tampered with gets it back, and dockerd restarts with it.
        _ = try lab.sh("node2", "chmod 644 \(DockerDaemonPlan.tlsKeyPath)")
        let repaired = try daemon.run(in: lab.context("node2"))
        XCTAssertTrue(repaired.changed && !repaired.failed, "\(repaired)")
        XCTAssertEqual(try lab.sh("node2", "stat -c '%a' \(DockerDaemonPlan.tlsKeyPath)").trimmingCharacters(in: .whitespacesAndNewlines), "600")
    }
}

/// A program run on this controller for the test's own checks (curl, docker).
private enum LocalCommand {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // The outputs are small (a ping, a version): reading one pipe after the other cannot stall.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
