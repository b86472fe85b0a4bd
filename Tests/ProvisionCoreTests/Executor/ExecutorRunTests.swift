import Foundation
import XCTest
@testable import ProvisionCore

/// Real runs through LocalTransport: three "hosts", each with its own state directory.
final class ExecutorRunTests: XCTestCase {
    func testFirstRunChangesSecondRunChangesNothingAndHandlersRunOnce() throws {
        let h = try RunHarness()
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          vars:
            greeting: hello
          tasks:
            - name: write motd
              copy:
                dest: "{{ state }}/motd"
                content: "{{ greeting }} from {{ inventory_hostname }}\\n"
              notify: note restart
            - name: make a directory
              file: path={{ state }}/conf.d state=directory
            - name: record
              command: cat {{ state }}/motd
              register: shown
              changed_when: false
            - name: check what was read
              assert:
                that:
                  - shown.stdout == greeting ~ ' from ' ~ inventory_hostname
          handlers:
            - name: note restart
              shell: echo restarted >> {{ state }}/restarts
        """)
        let first = try h.run("site.yml", verbosity: 1)
        if ProcessInfo.processInfo.environment["PB_SHOW"] != nil { print(first.console, first.json) }
        XCTAssertEqual(first.recap.exitCode, 0, first.console)
        for host in h.hosts {
            XCTAssertEqual(h.read(host, "motd"), "hello from \(host)\n")
            XCTAssertEqual(h.read(host, "restarts"), "restarted\n")
            XCTAssertEqual(first.recap(host)?.changed, 3, first.console)   // copy, file, handler
            XCTAssertEqual(first.recap(host)?.failed, 0)
        }
        XCTAssertEqual(first.status("write motd"), ["red01": .changed, "red02": .changed, "red03": .changed])
        XCTAssertTrue(first.console.contains("changed: red[01-03]"), first.console)
        XCTAssertTrue(first.console.contains("HANDLER [note restart]"), first.console)

        let second = try h.run("site.yml")
        XCTAssertEqual(second.recap.exitCode, 0, second.console)
        for host in h.hosts {
            XCTAssertEqual(second.recap(host)?.changed, 0, second.console)
            XCTAssertEqual(h.read(host, "restarts"), "restarted\n", "handler ran without a change")
        }
        XCTAssertTrue(second.console.contains("ok: red[01-03]"), second.console)
        XCTAssertFalse(second.taskOrder.contains("note restart"))
    }

    func testCheckModeChangesNothingAndSkipsCommandsUnlessCheckModeFalse() throws {
        let h = try RunHarness(hosts: ["a1", "a2"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: write
              copy: dest={{ state }}/f content=x
            - name: cmd
              command: touch {{ state }}/touched
            - name: forced
              command: touch {{ state }}/forced
              check_mode: false
        """)
        let r = try h.run("site.yml", options: RunOptions(checkMode: true))
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(r.status("write"), ["a1": .changed, "a2": .changed])
        XCTAssertEqual(r.status("cmd"), ["a1": .skipped, "a2": .skipped])
        for host in h.hosts {
            XCTAssertNil(h.read(host, "f"), "check mode wrote a file")
            XCTAssertNil(h.read(host, "touched"))
            XCTAssertEqual(h.read(host, "forced"), "", "check_mode: false runs for real")
        }
    }

    func testDiffShowsTheChangeFoldedWhenIdentical() throws {
        let h = try RunHarness(hosts: ["b1", "b2"])
        for host in h.hosts { try "old\n".write(toFile: h.state(host) + "/conf", atomically: true, encoding: .utf8) }
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: edit
              copy: {dest: "{{ state }}/../conf-{{ 'x' }}", content: "new\\n"}
              when: false
            - name: replace
              copy: {dest: "{{ state }}/conf", content: "new\\n"}
        """)
        let r = try h.run("site.yml", options: RunOptions(diffMode: true))
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        let diffs = r.results("replace")
        XCTAssertEqual(diffs["b1"]?.diffs.count, 1)
        XCTAssertTrue(r.console.contains("-old"), r.console)
        XCTAssertTrue(r.console.contains("+new"), r.console)
        // Paths differ per host, so the two diffs are shown apart; contents match.
        XCTAssertTrue(r.console.contains("diff: b1") || r.console.contains("diff: b[1-2]"), r.console)
    }

    func testFailedHostLeavesThePlayOthersGoOnAndExitStatusIsTwo() throws {
        let h = try RunHarness()
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: maybe fail
              shell: "echo bad thing >&2; exit 3"
              when: inventory_hostname == 'red02'
            - name: after
              copy: dest={{ state }}/after content=ok
        - hosts: all
          gather_facts: false
          tasks:
            - name: second play
              copy: dest={{ state }}/second content=ok
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 2)
        XCTAssertEqual(r.status("maybe fail")["red02"], .failed)
        XCTAssertTrue(r.console.contains("failed: red02"), r.console)
        XCTAssertTrue(r.console.contains("bad thing"), "the last lines of stderr are shown: \(r.console)")
        XCTAssertNil(h.read("red02", "after"))
        XCTAssertNil(h.read("red02", "second"), "a failed host stays out of later plays")
        XCTAssertEqual(h.read("red01", "second"), "ok")
        XCTAssertEqual(r.recap.failedHosts, ["red02"])
    }

    func testUnreachableHostIsCountedAndExitStatusIsFour() throws {
        let h = try RunHarness()
        try h.write("site.yml", """
        - hosts: all
          tasks:
            - name: write
              copy: dest={{ state }}/f content=x
        """)
        let r = try h.run("site.yml", unreachable: ["red03"])
        XCTAssertEqual(r.recap.exitCode, 4, r.console)
        XCTAssertEqual(r.recap("red03")?.unreachable, 1)
        XCTAssertEqual(h.read("red01", "f"), "x")
        XCTAssertTrue(r.console.contains("unreachable: red03"), r.console)
        XCTAssertFalse(r.taskOrder.isEmpty)
    }

    func testFactsAreGatheredWithOneCommandAndUsable() throws {
        let h = try RunHarness(hosts: ["f1"])
        try h.write("site.yml", """
        - hosts: all
          tasks:
            - name: use facts
              copy:
                dest: "{{ state }}/facts"
                content: "{{ ansible_system }} {{ ansible_facts.system }} {{ ansible_facts['kernel'] | length > 0 }}"
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(h.read("f1", "facts"), "Linux Linux True")
        XCTAssertEqual(r.taskOrder.first, "Gathering Facts")
    }
}
