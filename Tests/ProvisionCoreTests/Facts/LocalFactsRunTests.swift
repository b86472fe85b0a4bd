import Foundation
import XCTest
@testable import ProvisionCore

/// A play's `fact_path` reaches its fact gathering: `ansible_local` holds each `*.fact` file
/// (JSON, INI, executable) of that directory, as Ansible's, on a real run on the controller.
final class LocalFactsRunTests: XCTestCase {
    func testPlayFactPathFillsAnsibleLocal() throws {
        let h = try RunHarness(hosts: ["red01"])
        let dir = h.dir + "/facts d"
        try h.write("facts d/plain.fact", #"{"port": 5432, "names": ["a"]}"#)
        try h.write("facts d/conf.fact", "[Main]\nUser = pg\n")
        let script = try h.write("facts d/run.fact", "#!/bin/sh\necho '{\"ran\": true}'\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        try h.write("facts d/fails.fact", "#!/bin/sh\necho oops >&2\nexit 3\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: h.dir + "/facts d/fails.fact")
        try h.write("site.yml", """
            - hosts: all
              fact_path: "\(dir)"
              tasks:
                - copy: {content: "{{ ansible_local | to_json }}", dest: "{{ state }}/local.json"}
                - copy: {content: "{{ ansible_facts.ansible_local.plain.port }}", dest: "{{ state }}/port"}
            """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap("red01")?.failed, 0, r.console)
        let local = try XCTUnwrap(Value(jsonText: h.read("red01", "local.json") ?? ""))
        XCTAssertEqual(local["plain"], .dict(["port": 5432, "names": ["a"]]))
        XCTAssertEqual(local["conf"], .dict(["Main": .dict(["user": "pg"])]))
        XCTAssertEqual(local["run"], .dict(["ran": true]))
        XCTAssertEqual(local["fails"], .string("Failure executing fact script (\(dir)/fails.fact), rc: 3, err: oops\n"))
        XCTAssertEqual(h.read("red01", "port"), "5432")
    }
}
