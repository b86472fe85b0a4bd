import Foundation
import XCTest
@testable import ProvisionCore

/// `meta: clear_host_errors`, as ansible-playbook 2.14 runs it.
final class ExecutorMetaClearTests: XCTestCase {
    /// The failed host stays out of the rest of its play but later plays take it again; a
    /// host that fails after the clear stays out.
    func testClearHostErrorsBringsFailedHostsBackForLaterPlays() throws {
        let h = try RunHarness(hosts: ["a1", "a2", "a3"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: a1 fails
              command: "false"
              when: inventory_hostname == 'a1'
            - meta: clear_host_errors
            - name: after clear
              copy: dest={{ state }}/after content=x
            - name: a3 fails after the clear
              command: "false"
              when: inventory_hostname == 'a3'
        - hosts: all
          gather_facts: false
          tasks:
            - name: second play
              copy: dest={{ state }}/second content=x
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.status("after clear"), ["a2": .changed, "a3": .changed])
        XCTAssertEqual(r.status("second play"), ["a1": .changed, "a2": .changed])
        XCTAssertEqual(r.recap("a1")?.failed, 1)
        XCTAssertEqual(r.recap.exitCode, 2)
    }

    func testWithoutClearAFailedHostStaysOut() throws {
        let h = try RunHarness(hosts: ["a1", "a2"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: a1 fails
              command: "false"
              when: inventory_hostname == 'a1'
        - hosts: all
          gather_facts: false
          tasks:
            - name: second play
              copy: dest={{ state }}/second content=x
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.status("second play"), ["a2": .changed])
    }
}
