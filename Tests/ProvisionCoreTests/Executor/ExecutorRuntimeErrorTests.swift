import Foundation
import XCTest
@testable import ProvisionCore

/// Errors found only on a host, once its values are known.
final class ExecutorRuntimeErrorTests: XCTestCase {
    func testAnUndefinedValueOnOneHostNamesWhereItWasWritten() throws {
        let h = try RunHarness(hosts: ["e1", "e2"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: only on e1
              command: echo hi
              register: res
              when: inventory_hostname == 'e1'
            - name: use it
              copy:
                dest: "{{ state }}/out"
                content: "{{ res.stdout }}"
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 2, r.console)
        XCTAssertEqual(h.read("e1", "out"), "hi")
        let message = r.results("use it")["e2"]?.message ?? ""
        XCTAssertTrue(message.hasPrefix(h.dir + "/site.yml:11:18: content: template error"), message)
        XCTAssertTrue(message.contains("res.stdout"), message)
    }
}
