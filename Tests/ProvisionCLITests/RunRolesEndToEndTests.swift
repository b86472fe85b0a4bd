import Foundation
import XCTest
import ProvisionCore

/// `provision run` with roles as a user runs it: the built binary, roles found through
/// `PROVISION_ROLES_PATH`, local hosts writing real files.
final class RunRolesEndToEndTests: XCTestCase {
    var binary: ProvisionBinary!
    var workspace: Workspace!
    var base = ""

    override func setUpWithError() throws {
        binary = try ProvisionBinary.locate()
        base = NSTemporaryDirectory() + "provision-roles-" + UUID().uuidString
        var inv = "all:\n  hosts:\n"
        for h in ["red01", "red02"] { inv += "    \(h):\n      ansible_connection: local\n      state: \(base)/state/\(h)\n" }
        inv += "    pi9:\n      ansible_host: 127.0.0.1\n      ansible_port: 1\n"
        workspace = try Workspace(inventory: inv, files: [
            "site.yml": """
            - hosts: red*
              gather_facts: false
              roles:
                - role: motd
                  greeting: hi
            """,
            "other-user.yml": """
            - hosts: all
              gather_facts: false
              remote_user: somebody-else
              tasks:
                - debug: msg=never
            """,
        ])
        let files: [String: String] = [
            "motd/defaults/main.yml": "greeting: hello\n",
            "motd/templates/motd.j2": "{{ greeting }} from {{ inventory_hostname }}\n",
            "motd/tasks/main.yml": """
            - name: state directory
              file: path={{ state }} state=directory
            - name: write motd
              template: {src: motd.j2, dest: "{{ state }}/motd"}
              notify: motd written
            """,
            "motd/handlers/main.yml": "- name: motd written\n  copy: {dest: \"{{ state }}/notified\", content: \"yes\\n\"}\n",
        ]
        for (rel, text) in files {
            let p = base + "/roles/" + rel
            try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: p, atomically: true, encoding: .utf8)
        }
    }

    override func tearDown() {
        workspace?.remove()
        try? FileManager.default.removeItem(atPath: base)
    }

    func testARoleFromTheRolesPathRunsAndASecondRunChangesNothing() throws {
        let env = ["PROVISION_ROLES_PATH": "/nonexistent:" + base + "/roles"]
        let first = try binary.run(["run", "site.yml", "-i", workspace.inventory], in: workspace.path, environment: env)
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        XCTAssertTrue(first.stdout.contains("TASK [motd : write motd]\n  changed: red[01-02]"), first.stdout)
        XCTAssertTrue(first.stdout.contains("HANDLER [motd : motd written]"), first.stdout)
        XCTAssertEqual(try String(contentsOfFile: base + "/state/red02/motd", encoding: .utf8), "hi from red02\n")
        XCTAssertEqual(try String(contentsOfFile: base + "/state/red01/notified", encoding: .utf8), "yes\n")

        let second = try binary.run(["run", "site.yml", "-i", workspace.inventory], in: workspace.path, environment: env)
        XCTAssertEqual(second.status, 0, second.stdout + second.stderr)
        XCTAssertTrue(second.stdout.contains("changed=0"), second.stdout)
        XCTAssertFalse(second.stdout.contains("changed: "), second.stdout)

        let missing = try binary.run(["run", "site.yml", "-i", workspace.inventory], in: workspace.path)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("site.yml:4:13: error: role 'motd' not found; looked in: "), missing.stderr)
    }

    func testARemoteUserTheSessionCannotHonourIsRefusedBeforeAnyHostIsContacted() throws {
        let out = try binary.run(["run", "other-user.yml", "-i", workspace.inventory, "--user", "pi"], in: workspace.path)
        XCTAssertNotEqual(out.status, 0, out.stdout)
        XCTAssertTrue(out.stderr.contains("other-user.yml:3:16: error: remote_user 'somebody-else' differs from the user host 'pi9' logs in as ('pi')"),
                      out.stderr)
        XCTAssertFalse(out.stdout.contains("TASK ["), "nothing ran: " + out.stdout)
    }
}
