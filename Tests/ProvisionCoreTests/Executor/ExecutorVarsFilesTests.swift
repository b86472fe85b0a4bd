import Foundation
import XCTest
@testable import ProvisionCore

/// Templated `vars_files`, read per host at run time as Ansible does.
final class ExecutorVarsFilesTests: XCTestCase {
    func testTemplatedVarsFilesArePerHostAndFirstFoundWins() throws {
        let h = try RunHarness(hosts: ["red01", "red02"], hostVars: ["red01": "flavour: sweet", "red02": "flavour: sour"])
        try h.write("vars/sweet.yml", "taste: sugar\n")
        try h.write("vars/fallback.yml", "taste: plain\nextra: '{{ inventory_hostname }}'\n")
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          vars_files:
            - ["vars/{{ flavour }}.yml", "vars/fallback.yml"]
          tasks:
            - name: write
              copy: dest={{ state }}/taste content="{{ taste }} {{ extra | default('-') }}"
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(h.read("red01", "taste"), "sugar -")
        XCTAssertEqual(h.read("red02", "taste"), "plain red02")
    }

    /// Ansible: "ERROR! vars file … was not found", the run ends (exit 1), later plays do not run.
    func testMissingTemplatedVarsFileEndsTheRun() throws {
        let h = try RunHarness(hosts: ["red01", "red02"], hostVars: ["red01": "flavour: sweet", "red02": "flavour: none"])
        try h.write("vars/sweet.yml", "taste: sugar\n")
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          vars_files:
            - "vars/{{ flavour }}.yml"
          tasks:
            - name: write
              copy: dest={{ state }}/taste content="{{ taste }}"
        - hosts: all
          gather_facts: false
          tasks:
            - name: later
              copy: dest={{ state }}/later content=x
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 1, r.console)
        XCTAssertNotNil(r.recap.error)
        XCTAssertTrue(r.recap.error?.contains("vars/{{ flavour }}.yml was not found") ?? false, r.recap.error ?? "")
        XCTAssertNil(h.read("red01", "later"))
        XCTAssertNil(h.read("red02", "later"))
    }
}
