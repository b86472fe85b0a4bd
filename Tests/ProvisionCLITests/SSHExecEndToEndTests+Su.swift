import Foundation
import XCTest
import ProvisionCore
import ProvisionTestSupport

/// `become_method: su` over real SSH, with the password asked the Ansible ways: `-K` with the
/// password piped in, and `-e ansible_become_password` (never shown, even at -vvv).
extension SSHExecEndToEndTests {
    func testSuWithPipedBecomePassword() throws {
        let args = ["exec", "id -un", "--become", "--become-method", "su", "--become-user", server.passwordSudoUser,
                    "--limit", "node1", "--host-key-checking", "off", "-K", "-vvv"]
        let out = try binary.run(args, in: workspace.path, stdin: Data("\(server.password)\n".utf8))
        XCTAssertEqual(out.status, 0, out.stderr + out.stdout)
        XCTAssertTrue(out.stdout.contains("\(server.passwordSudoUser)\n"), out.stdout)
        XCTAssertFalse((out.stdout + out.stderr).contains(server.password))

        let wrong = try binary.run(args, in: workspace.path, stdin: Data("not-the-password\n".utf8))
        XCTAssertEqual(wrong.status, 2, wrong.stderr + wrong.stdout)
        XCTAssertTrue(wrong.stdout.contains("incorrect su password"), wrong.stdout)
    }

    /// Extra vars beat the play's `become_user: root` (whose password the test does not know).
    func testBecomePasswordAndMethodAsExtraVariables() throws {
        try """
        - hosts: node2
          gather_facts: false
          become: true
          become_user: root
          tasks:
            - command: id -un
              register: who
            - copy: {dest: "\(workspace.path)/su-{{ inventory_hostname }}", content: "{{ who.stdout }}"}
              delegate_to: localhost
              become: false
        """.write(toFile: workspace.path + "/su.yml", atomically: true, encoding: .utf8)
        let out = try binary.run(["run", "su.yml", "--host-key-checking", "off", "-vvv",
                                  "-e", "ansible_become_method=su", "-e", "ansible_become_password=\(server.password)",
                                  "-e", "ansible_become_user=\(server.passwordSudoUser)"],
                                 in: workspace.path)
        XCTAssertEqual(out.status, 0, out.stderr + out.stdout)
        XCTAssertEqual(try String(contentsOfFile: workspace.path + "/su-node2", encoding: .utf8), server.passwordSudoUser)
        XCTAssertFalse((out.stdout + out.stderr).contains(server.password))
    }

    /// The `become_method` keyword (play, block, task) takes su like the variable does; a
    /// method provision does not speak fails only the tasks that reach it.
    func testBecomeMethodKeywordSuAndAnUnsupportedMethod() throws {
        try """
        - hosts: node2
          gather_facts: false
          become: true
          become_method: su
          become_user: \(server.passwordSudoUser)
          tasks:
            - command: id -un
              register: who
            - copy: {dest: "\(workspace.path)/kw-{{ inventory_hostname }}", content: "{{ who.stdout }}"}
              delegate_to: localhost
              become: false
            - name: doas
              command: id -un
              become_method: doas
              register: doas
              ignore_errors: true
            - copy: {dest: "\(workspace.path)/doas-{{ inventory_hostname }}", content: "{{ doas.msg }}"}
              delegate_to: localhost
              become: false
        """.write(toFile: workspace.path + "/kw.yml", atomically: true, encoding: .utf8)
        let out = try binary.run(["run", "kw.yml", "--host-key-checking", "off",
                                  "-e", "ansible_become_password=\(server.password)"], in: workspace.path)
        XCTAssertEqual(out.status, 0, out.stderr + out.stdout)
        XCTAssertEqual(try String(contentsOfFile: workspace.path + "/kw-node2", encoding: .utf8), server.passwordSudoUser)
        let doas = try String(contentsOfFile: workspace.path + "/doas-node2", encoding: .utf8)
        XCTAssertTrue(doas.contains("become_method 'doas' is not supported"), doas)
    }
}
