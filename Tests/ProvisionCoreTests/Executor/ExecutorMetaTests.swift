import Foundation
import XCTest
@testable import ProvisionCore

/// `meta` actions and handlers on failed hosts.
final class ExecutorMetaTests: XCTestCase {
    func testEndHostEndsOnlyThatHostAndFlushSkipsFailedHosts() throws {
        let h = try RunHarness()
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: change
              copy: dest={{ state }}/c content=x
              notify: noted
            - name: red02 fails
              command: /bin/false
              when: inventory_hostname == 'red02'
            - meta: flush_handlers
            - name: red03 ends
              meta: end_host
              when: inventory_hostname == 'red03'
            - name: after
              copy: dest={{ state }}/after content=x
          handlers:
            - name: noted
              shell: echo noted >> {{ state }}/notes
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 2, r.console)
        XCTAssertEqual(h.read("red01", "notes"), "noted\n")
        XCTAssertNil(h.read("red02", "notes"), "a failed host runs no handlers")
        XCTAssertEqual(h.read("red03", "notes"), "noted\n")
        XCTAssertEqual(h.read("red01", "after"), "x")
        XCTAssertNil(h.read("red03", "after"), "end_host took red03 out")
        XCTAssertEqual(r.recap("red03")?.failed, 0)
    }
}
