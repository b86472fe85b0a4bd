import Foundation
import XCTest
@testable import ProvisionCore

/// Two hosts delegating to each other in the same task.
final class ExecutorCrossDelegationTests: XCTestCase {
    func testHostsDelegatingToEachOtherDoNotDeadlock() throws {
        let h = try RunHarness(hosts: ["x1", "x2"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: connect first
              command: "true"
            - name: each on the other
              shell: sleep 1; echo {{ inventory_hostname }} > {{ state }}/by-other
              delegate_to: "{{ 'x2' if inventory_hostname == 'x1' else 'x1' }}"
        """)
        let done = DispatchSemaphore(value: 0)
        var result: RunHarness.Result?
        var failure: Error?
        Thread.detachNewThread {
            do { result = try h.run("site.yml") } catch { failure = error }
            done.signal()
        }
        // A guard against a hang, not a speed check: the run takes about a second.
        guard done.wait(timeout: .now() + 120) == .success else { return XCTFail("the run deadlocked") }
        if let failure { throw failure }
        XCTAssertEqual(result?.recap.exitCode, 0, result?.console ?? "")
        XCTAssertEqual(h.read("x1", "by-other"), "x1\n")
        XCTAssertEqual(result?.results("each on the other")["x1"]?.delegatedTo, "x2")
    }
}
