import Foundation
import XCTest
import ProvisionCore

/// Runs the built binary against several hosts of the controller itself (`connection: local`),
/// one of which runs as another user through sudo, and one SSH host that nothing answers.
final class ExecEndToEndTests: XCTestCase {
    static let inventory = """
    all:
      vars:
        ansible_connection: local
      children:
        reds:
          hosts:
            red[01:03]:
            red05:
            red04:
              ansible_become: true
              ansible_become_user: nobody
        gone:
          hosts:
            ghost:
              ansible_connection: ssh
              address: 127.0.0.1
              port: 1
    """

    var binary: ProvisionBinary!
    var workspace: Workspace!

    override func setUpWithError() throws {
        binary = try ProvisionBinary.locate()
        workspace = try Workspace(inventory: Self.inventory)
    }

    override func tearDown() { workspace?.remove() }

    func testIdenticalResultsFoldAndUnreachableHostsComeLast() throws {
        let out = try binary.run(["exec", "id -un"], in: workspace.path, environment: ["NO_COLOR": "1"])
        XCTAssertEqual(out.status, 4, out.stderr)
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(9)), [
            "---------------", "red[01-03,05] (4)", "---------------", currentUser(),
            "---------------", "red04 (1)", "---------------", "nobody",
            "---------------",
        ], out.stdout)
        XCTAssertTrue(lines.count > 10 && lines[9].hasPrefix("ghost (1) unreachable: ") && lines[10] == "---------------",
                      out.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("6 hosts: 5 ok, 1 unreachable (") }, out.stdout)
        XCTAssertFalse(out.stdout.contains("\u{1B}["), "no colours when not on a terminal")
        let failed = try String(contentsOfFile: workspace.path + "/.provision/last-failed", encoding: .utf8)
        XCTAssertEqual(failed, "ghost\n")
    }

    func testJSONPrintsOneObjectPerHostAndNothingElse() throws {
        let out = try binary.run(["exec", "test \"$(id -un)\" != nobody && echo fine", "--json", "-i", workspace.inventory],
                                 in: NSTemporaryDirectory())
        XCTAssertEqual(out.status, 6, out.stderr)
        let lines = out.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 6, out.stdout)
        var byHost: [String: Value] = [:]
        for line in lines {
            let v = try XCTUnwrap(Value(jsonText: String(line)), "not JSON: \(line)")
            byHost[v["host"]?.stringValue ?? "?"] = v
            for key in ["host", "status", "stdout", "stderr", "duration", "error"] {
                XCTAssertNotNil(v[key], "\(key) missing in \(line)")
            }
        }
        XCTAssertEqual(Set(byHost.keys), ["red01", "red02", "red03", "red04", "red05", "ghost"])
        XCTAssertEqual(byHost["red01"]?["status"], "ok")
        XCTAssertEqual(byHost["red01"]?["stdout"], "fine\n")
        XCTAssertEqual(byHost["red01"]?["error"], .null)
        XCTAssertEqual(byHost["red04"]?["status"], "failed")
        XCTAssertEqual(byHost["red04"]?["rc"], 1)
        XCTAssertEqual(byHost["ghost"]?["status"], "unreachable")
        XCTAssertNotEqual(byHost["ghost"]?["error"], .null)
    }

    func testLimitSelectsHostsAndAllOkExitsZero() throws {
        let out = try binary.run(["exec", "echo hi", "--limit", "reds:!red04", "--forks", "2"], in: workspace.path)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.hasPrefix("---------------\nred[01-03,05] (4)\n---------------\nhi\n"), out.stdout)
        XCTAssertTrue(out.stdout.contains("4 hosts: 4 ok ("), out.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.path + "/.provision/last-failed"))
    }

    func testRetryingTheLastFailedHosts() throws {
        _ = try binary.run(["exec", "test \"$(id -un)\" != nobody"], in: workspace.path)
        let retry = try binary.run(["exec", "true", "--limit", "@.provision/last-failed", "--json"], in: workspace.path)
        let hosts = retry.stdout.split(separator: "\n").compactMap { Value(jsonText: String($0))?["host"]?.stringValue }
        XCTAssertEqual(Set(hosts), ["red04", "ghost"], retry.stderr)
    }

    func testLoadErrorsContactNoHostAndExitOne() throws {
        let marker = workspace.path + "/touched"
        let bad = try Workspace(inventory: """
        all:
          vars:
            ansible_connection: local
          hosts:
            ok1:
            red[3:1]:
            typo:
              adress: 10.0.0.1
        """)
        defer { bad.remove() }
        let out = try binary.run(["exec", "touch \(marker)"], in: bad.path)
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stdout, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "no host may run anything")
        XCTAssertTrue(out.stderr.contains("inventories/hosts.yml:6:8: error: host range '[3:1]' begins after it ends"), out.stderr)
        XCTAssertTrue(out.stderr.contains("inventories/hosts.yml:8:7: error: unknown connection key 'adress'"), out.stderr)
        XCTAssertTrue(out.stderr.contains("\n        ^"), "a caret under the column: \(out.stderr)")
        XCTAssertTrue(out.stderr.contains("2 errors"), out.stderr)
    }

    func testPatternMatchingNothingListsGroups() throws {
        let out = try binary.run(["exec", "true", "--limit", "webservers"], in: workspace.path)
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("'webservers' matches no host or group"), out.stderr)
        XCTAssertTrue(out.stderr.contains("groups: all, ungrouped, reds, gone"), out.stderr)
    }

    func testMissingInventoryAndUsageErrorsExitOne() throws {
        let empty = NSTemporaryDirectory()
        let out = try binary.run(["exec", "true"], in: empty)
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("inventories/hosts.yml: error: file not found"), out.stderr)
        let usage = try binary.run(["exec"], in: workspace.path)
        XCTAssertNotEqual(usage.status, 0)
        XCTAssertTrue(usage.stderr.contains("Missing the command"), usage.stderr)
        let forks = try binary.run(["exec", "true", "--forks", "0"], in: workspace.path)
        XCTAssertNotEqual(forks.status, 0)
    }

    func testCtrlCReportsInFlightHostsAsInterrupted() throws {
        let out = try binary.run(["exec", "sleep 4", "--json", "--limit", "reds", "-vv"], in: workspace.path) { p, stderr in
            // Interrupt once every host has started its command (-vv says so on stderr).
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, p.isRunning,
                  stderr().components(separatedBy: "running: sleep 4").count - 1 < 5 {
                Thread.sleep(forTimeInterval: 0.05)
            }
            kill(p.processIdentifier, SIGINT)
        }
        XCTAssertEqual(out.status, 130, out.stderr)
        let statuses = out.stdout.split(separator: "\n").compactMap { Value(jsonText: String($0))?["status"]?.stringValue }
        XCTAssertEqual(statuses.count, 5, out.stdout)
        XCTAssertTrue(statuses.allSatisfy { $0 == "interrupted" }, out.stdout)
    }

    func testVerboseTellsConnectionStepsOnStderrWithoutSecrets() throws {
        let out = try binary.run(["exec", "true", "--limit", "red01", "-vv"], in: workspace.path,
                                 environment: ["PROVISION_BECOME_PASSWORD": "sekrit-pw-123", "PROVISION_PASSWORD": "sekrit-pw-456"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stderr.contains("[red01] connecting to red01"), out.stderr)
        XCTAssertTrue(out.stderr.contains("[red01] running: true"), out.stderr)
        XCTAssertFalse((out.stdout + out.stderr).contains("sekrit"))
    }

    func testTimeoutEndsTheCommandAndCountsAsFailed() throws {
        let out = try binary.run(["exec", "sleep 20", "--timeout", "0.5", "--limit", "red01,red02"], in: workspace.path,
                                 environment: ["NO_COLOR": "1"])
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stdout.hasPrefix("---------------\nred[01-02] (2) error: command timed out"), out.stdout)
        XCTAssertTrue(out.stdout.contains("2 hosts: 0 ok, 2 error ("), out.stdout)
    }

    func testHelpHasExamplesAndVersionWorks() throws {
        let help = try binary.run(["exec", "--help"], in: workspace.path)
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("provision exec \"uptime\""), help.stdout)
        XCTAssertTrue(help.stdout.contains("--host-key-checking"), help.stdout)
        let version = try binary.run(["--version"], in: workspace.path)
        XCTAssertEqual(version.stdout, ProvisionVersion.string + "\n")
        let subVersion = try binary.run(["hosts", "--version"], in: workspace.path)
        XCTAssertEqual(subVersion.stdout, ProvisionVersion.string + "\n")
    }
}

func currentUser() -> String {
    guard let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name else { return "" }
    return String(cString: name)
}
