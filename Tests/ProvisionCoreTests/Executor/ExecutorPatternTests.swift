import Foundation
import XCTest
@testable import ProvisionCore

/// Play patterns with parts that match nothing, as Ansible runs them.
final class ExecutorPatternTests: XCTestCase {
    func testEmptyAndUnknownPartsAddNothingAndUnknownOnesAreWarnedAbout() throws {
        let h = try RunHarness(hosts: ["m1", "m2"],
                               groups: "  children:\n    managers:\n      hosts:\n        m1:\n        m2:\n    workers:\n")
        try h.write("site.yml", """
        - hosts: managers:workers
          gather_facts: false
          tasks:
            - name: union
              copy: dest={{ state }}/union content=x
        - hosts: managers:!workers:nosuch
          gather_facts: false
          tasks:
            - name: exclusion
              copy: dest={{ state }}/exclusion content=x
        - hosts: managers:&workers
          gather_facts: false
          tasks:
            - name: intersection
              copy: dest={{ state }}/intersection content=x
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(r.status("union"), ["m1": .changed, "m2": .changed])
        XCTAssertEqual(r.status("exclusion"), ["m1": .changed, "m2": .changed])
        XCTAssertEqual(r.status("intersection"), [:])
        let warnings = r.events.compactMap { e -> String? in if case .warning(let w) = e { return w }; return nil }
        XCTAssertEqual(warnings, ["Could not match supplied host pattern, ignoring: nosuch"])
    }
}
