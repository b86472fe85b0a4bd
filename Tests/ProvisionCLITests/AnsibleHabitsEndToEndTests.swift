import Foundation
import XCTest
import ProvisionCore

/// `provision` used the way `ansible-playbook` is: ansible.cfg in the project directory, an INI
/// inventory, `-u`, `-K` with the password piped in, `-t`, `--syntax-check`, `--list-*`, and
/// usage errors exiting 1.
final class AnsibleHabitsEndToEndTests: XCTestCase {
    var binary: ProvisionBinary!
    var dir = ""

    override func setUpWithError() throws {
        binary = try ProvisionBinary.locate()
        dir = NSTemporaryDirectory() + "provision-habits-" + UUID().uuidString
        let files = [
            "ansible.cfg": "[defaults]\ninventory = inventory/hosts.ini\nremote_user = cfguser\nforks = 2\n",
            "inventory/hosts.ini": """
            [managers]
            m1 ansible_connection=local state=\(dir)/state/m1
            [workers]
            w1 ansible_connection=local state=\(dir)/state/w1 ansible_user=invuser
            w2 ansible_connection=local state=\(dir)/state/w2
            """,
            "site.yml": """
            - hosts: managers:workers[0]
              gather_facts: false
              tasks:
                - name: state directory
                  file: path={{ state }} state=directory
                - name: login user
                  copy: {dest: "{{ state }}/user", content: "{{ ansible_user }}"}
                  tags: [user]
            """,
        ]
        for (rel, text) in files {
            let p = dir + "/" + rel
            try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: p, atomically: true, encoding: .utf8)
        }
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func read(_ host: String) -> String? { try? String(contentsOfFile: dir + "/state/\(host)/user", encoding: .utf8) }

    func testAnsibleCfgInventoryAndLoginUserDefineAnsibleUser() throws {
        let out = try binary.run(["run", "site.yml"], in: dir)
        XCTAssertEqual(out.status, 0, out.stderr + out.stdout)
        XCTAssertEqual(read("m1"), "cfguser", "ansible.cfg's remote_user, as Ansible defines ansible_user")
        XCTAssertEqual(read("w1"), "invuser", "the inventory's ansible_user beats ansible.cfg")
        XCTAssertNil(read("w2"), "workers[0] is w1 only")
        let withUser = try binary.run(["run", "site.yml", "-u", "cliuser", "-t", "user", "-f", "1"], in: dir)
        XCTAssertEqual(withUser.status, 0, withUser.stderr)
        XCTAssertEqual(read("m1"), "cliuser")
        let hosts = try binary.run(["hosts"], in: dir)
        XCTAssertTrue(hosts.stdout.contains("m1"), hosts.stdout)
        XCTAssertTrue(hosts.stdout.contains("cfguser"), hosts.stdout)
    }

    func testBecomePasswordPipedOnStdin() throws {
        let secret = "Piped-Become-Pw-93"
        let out = try binary.run(["run", "site.yml", "-K", "-vvv"], in: dir, stdin: Data("\(secret)\n".utf8))
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse((out.stdout + out.stderr).contains(secret))
        let empty = try binary.run(["run", "site.yml", "--ask-become-pass"], in: dir, stdin: Data())
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("expected on stdin"), empty.stderr)
    }

    func testSyntaxCheckAndListings() throws {
        let check = try binary.run(["run", "site.yml", "--syntax-check"], in: dir)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stdout, "\nplaybook: site.yml\n")
        XCTAssertNil(read("m1"), "--syntax-check runs nothing")
        let list = try binary.run(["run", "site.yml", "--list-hosts", "--list-tasks", "--list-tags"], in: dir)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("  play #1 (managers:workers[0]): managers:workers[0]\tTAGS: []\n"), list.stdout)
        XCTAssertTrue(list.stdout.contains("    hosts (2):\n      m1\n      w1\n"), list.stdout)
        XCTAssertTrue(list.stdout.contains("      login user\tTAGS: [user]\n"), list.stdout)
        XCTAssertTrue(list.stdout.contains("      TASK TAGS: [user]\n"), list.stdout)
        XCTAssertNil(read("m1"))
    }

    func testRolesPathFromAnsibleCfgAndEnvironment() throws {
        let roles = dir + "/shared/roles/greeter/tasks"
        try FileManager.default.createDirectory(atPath: roles, withIntermediateDirectories: true)
        try "- name: greet\n  copy: {dest: \"{{ state }}/user\", content: from-role}\n"
            .write(toFile: roles + "/main.yml", atomically: true, encoding: .utf8)
        try "- hosts: m1\n  gather_facts: false\n  pre_tasks:\n    - file: path={{ state }} state=directory\n  roles: [greeter]\n"
            .write(toFile: dir + "/roles.yml", atomically: true, encoding: .utf8)
        let missing = try binary.run(["run", "roles.yml"], in: dir)
        XCTAssertEqual(missing.status, 1, missing.stdout)
        let viaEnv = try binary.run(["run", "roles.yml"], in: dir, environment: ["ANSIBLE_ROLES_PATH": dir + "/shared/roles"])
        XCTAssertEqual(viaEnv.status, 0, viaEnv.stderr)
        XCTAssertEqual(read("m1"), "from-role")
        try "[defaults]\ninventory = inventory/hosts.ini\nroles_path = shared/roles\n"
            .write(toFile: dir + "/ansible.cfg", atomically: true, encoding: .utf8)
        let viaCfg = try binary.run(["run", "roles.yml"], in: dir)
        XCTAssertEqual(viaCfg.status, 0, viaCfg.stderr)
    }

    func testUsageErrorsExitOne() throws {
        for args in [["run"], ["hosts", "--no-such-option"], ["exec"], ["run", "site.yml", "--forks", "0"]] {
            let out = try binary.run(args, in: dir)
            XCTAssertEqual(out.status, 1, "\(args): \(out.stderr)")
            XCTAssertFalse(out.stderr.isEmpty)
        }
    }

    func testHostsListAndHostJSON() throws {
        let list = try binary.run(["hosts", "--list"], in: dir)
        XCTAssertEqual(list.status, 0, list.stderr)
        let v = Value(jsonText: list.stdout)
        XCTAssertEqual(v?["workers"]?["hosts"], .list([.string("w1"), .string("w2")]))
        XCTAssertEqual(v?["all"]?["children"], .list([.string("ungrouped"), .string("managers"), .string("workers")]))
        let host = try binary.run(["hosts", "--host", "w1"], in: dir)
        XCTAssertEqual(Value(jsonText: host.stdout)?["ansible_user"], .string("invuser"))
    }
}
