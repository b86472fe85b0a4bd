import Foundation
import XCTest
@testable import ProvisionCore

/// `include_tasks` with `loop`: the task file runs per item, per host.
final class ExecutorIncludeLoopTests: XCTestCase {
    func testIncludedFileRunsOncePerItemWithPerHostItems() throws {
        let h = try RunHarness(hosts: ["i1", "i2"], hostVars: ["i1": "users: [ann, bob]", "i2": "users: [cat]"])
        try h.write("tasks/user.yml", """
        - name: write the user
          shell: echo {{ idx }}:{{ user }} >> {{ state }}/users
        - name: and a file per user
          copy: dest={{ state }}/{{ user }} content={{ user }}
        """)
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - include_tasks: tasks/user.yml
              loop: "{{ users }}"
              loop_control:
                loop_var: user
                index_var: idx
            - name: after
              shell: echo done >> {{ state }}/users
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(h.read("i1", "users"), "0:ann\n1:bob\ndone\n")
        XCTAssertEqual(h.read("i2", "users"), "0:cat\ndone\n")
        XCTAssertEqual(h.read("i1", "bob"), "bob")
        // The include is a task of its own (Ansible's "included: … for i1, i2"), as in Ansible.
        XCTAssertEqual(r.taskOrder, ["include_tasks", "write the user", "and a file per user", "write the user", "and a file per user", "after"])
    }

    func testImportTasksCannotLoopAndABadLoopFailsTheHost() throws {
        XCTAssertThrowsError(try PlaybookLoader().parse("""
        - hosts: all
          tasks:
            - import_tasks: x.yml
              loop: [1]
        """, file: "p.yml")) { e in
            XCTAssertTrue("\(e)".contains("p.yml:4:7: error: an import (import_tasks, import_role, a static include) cannot loop"), "\(e)")
        }
        let h = try RunHarness(hosts: ["j1"])
        try h.write("t.yml", "- command: echo {{ item }}\n")
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - include_tasks: t.yml
              loop: "{{ 'not a list' }}"
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 2, r.console)
        XCTAssertTrue(r.console.contains("loop needs a list"), r.console)
    }
}
