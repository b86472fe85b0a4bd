import Foundation
import XCTest
@testable import ProvisionCore

/// `ansible_play_hosts`/`ansible_play_batch` as ansible-core 2.14 keeps them (checked against
/// ansible-playbook on the same playbook): a host that failed for good leaves both at once,
/// across serial batches; a host in a rescue is still in; the rescue sees
/// `ansible_failed_task` and `ansible_failed_result`.
final class ExecutorPlayHostsTests: XCTestCase {
    func testPlayHostsDropFailedHostsAndRescueSeesTheFailure() throws {
        let h = try RunHarness(hosts: ["h1", "h2", "h3"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          serial: 2
          tasks:
            - name: fail h1
              fail: msg=x
              when: inventory_hostname == 'h1'
            - name: show
              copy:
                dest: "{{ state }}/hosts"
                content: "{{ ansible_play_hosts }} {{ ansible_play_batch }} {{ ansible_play_hosts_all }} {{ play_hosts }}"
            - block:
                - name: fail h2 in block
                  fail: msg=y
                  when: inventory_hostname == 'h2'
              rescue:
                - name: in rescue
                  copy:
                    dest: "{{ state }}/rescue"
                    content: "{{ ansible_play_hosts }} {{ ansible_failed_task.name }} {{ ansible_failed_result.msg }}"
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 2, r.console)
        XCTAssertEqual(h.read("h2", "hosts"), "['h2', 'h3'] ['h2'] ['h1', 'h2', 'h3'] ['h2']")
        XCTAssertEqual(h.read("h3", "hosts"), "['h2', 'h3'] ['h3'] ['h1', 'h2', 'h3'] ['h3']")
        XCTAssertEqual(h.read("h2", "rescue"), "['h2', 'h3'] fail h2 in block y")
        XCTAssertNil(h.read("h1", "hosts"))
    }
}
