import Foundation
import XCTest
import ProvisionCore
import ProvisionTestSupport

/// `provision exec` over real SSH: five loopback "hosts" (127.0.0.2…6) on the test sshd, one
/// address where nothing listens; folded output, JSON, become, password login, exit status.
/// (Rename to .swift once ProvisionTestSupport's SSHTestServer is on main.)
final class SSHExecEndToEndTests: XCTestCase {
    var binary: ProvisionBinary!
    var server: SSHTestServer!
    var workspace: Workspace!
    var knownHosts: String { workspace.path + "/known_hosts" }

    override func setUpWithError() throws {
        do { server = try SSHTestServer.shared() } catch let e as SSHTestServer.Unavailable {
            throw XCTSkip(e.reason)
        }
        binary = try ProvisionBinary.locate()
        let dead = try SSHTestServer.unusedPort()
        // A key the server does not accept, so the password host falls back to its password.
        let stranger = NSTemporaryDirectory() + "provision-stranger-" + UUID().uuidString
        let keygen = Process()
        keygen.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        keygen.arguments = ["-q", "-t", "ed25519", "-N", "", "-f", stranger]
        try keygen.run()
        keygen.waitUntilExit()
        // node1…node5 live at 127.0.0.2…6: one sshd answers every loopback address.
        let nodes = (1...5).map { "        node\($0):\n          address: 127.0.0.\($0 + 1)" }.joined(separator: "\n")
        workspace = try Workspace(inventory: """
        all:
          vars:
            ansible_user: \(server.user)
            ansible_ssh_private_key_file: \(server.keyPath)
            ansible_port: \(server.port)
          children:
            nodes:
              hosts:
        \(nodes)
            pw:
              hosts:
                pwhost:
                  address: 127.0.0.7
                  user: \(server.passwordSudoUser)
                  identity_file: \(stranger)
            gone:
              hosts:
                ghost:
                  address: 127.0.0.1
                  port: \(dead)
        """, files: [:])
    }

    override func tearDown() { workspace?.remove() }

    func testFoldsIdenticalOutputAndReportsTheUnreachableHost() throws {
        let out = try binary.run(["exec", "echo same; id -un", "--limit", "nodes:gone",
                                  "--known-hosts", knownHosts], in: workspace.path, environment: ["NO_COLOR": "1"])
        XCTAssertEqual(out.status, 4, out.stderr)
        XCTAssertTrue(out.stdout.hasPrefix("---------------\nnode[1-5] (5)\n---------------\nsame\n\(server.user)\n"),
                      out.stdout)
        XCTAssertTrue(out.stdout.contains("\nghost (1) unreachable: "), out.stdout)
        XCTAssertTrue(out.stdout.contains("6 hosts: 5 ok, 1 unreachable ("), out.stdout)
        // accept-new recorded the new hosts' keys.
        let known = try String(contentsOfFile: knownHosts, encoding: .utf8)
        XCTAssertTrue(known.contains("[127.0.0.2]:\(server.port)"), known)
    }

    func testJSONWithBecomeAndAFailingHost() throws {
        let out = try binary.run(["exec", "id -un; test $(hostname) = nohost", "--become", "--json",
                                  "--limit", "nodes", "--host-key-checking", "off"], in: workspace.path)
        XCTAssertEqual(out.status, 2, out.stderr)
        let objects = out.stdout.split(separator: "\n").compactMap { Value(jsonText: String($0)) }
        XCTAssertEqual(objects.count, 5, out.stdout)
        for o in objects {
            XCTAssertEqual(o["status"], "failed")
            XCTAssertEqual(o["rc"], 1)
            XCTAssertEqual(o["stdout"], "root\n")
        }
    }

    func testPasswordLoginAndSudoPasswordFromTheEnvironmentNeverShow() throws {
        let out = try binary.run(["exec", "id -un", "--become", "--limit", "pwhost", "--host-key-checking", "off",
                                  "-vvv"], in: workspace.path,
                                 environment: ["PROVISION_PASSWORD": server.password,
                                               "PROVISION_BECOME_PASSWORD": server.password])
        XCTAssertEqual(out.status, 0, out.stderr + out.stdout)
        XCTAssertTrue(out.stdout.contains("pwhost (1)\n---------------\nroot\n"), out.stdout)
        XCTAssertFalse((out.stdout + out.stderr).contains(server.password))
    }
}
