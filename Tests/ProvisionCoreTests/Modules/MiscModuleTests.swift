import Foundation
import XCTest
@testable import ProvisionCore

/// Modules whose Ansible twin cannot run the same input here: async_status against job files
/// written as the async contract says, wait_for_connection on a live transport, and the
/// `provision doc` pages rendered from the argument specifications.
final class MiscModuleTests: ModuleTestCase {
    func testAsyncStatusReadsTheJobFileContract() throws {
        let jobs = path("async")
        try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
        let type = try XCTUnwrap(ModuleRegistry.lookup("async_status"))
        func status(_ jid: String, mode: String = "status") throws -> ModuleResult {
            let m = try ModuleRegistry.make(type, arguments: ["jid": .string(jid), "mode": .string(mode)])
            return try m.run(in: HostContext(host: "local", transport: transport, vars: ["ansible_async_dir": .string(jobs)]))
        }
        try write(jobs + "/1.1", #"{"started": 1, "finished": 0, "ansible_job_id": "1.1"}"#)
        var r = try status("1.1")
        XCTAssertEqual(r.data["finished"], 0)
        XCTAssertFalse(r.failed)
        try write(jobs + "/1.2", "")
        r = try status("1.2")
        XCTAssertEqual(r.data["finished"], 0, "an empty file is a job still starting")
        XCTAssertEqual(r.data["started"], 1)
        try write(jobs + "/1.3", #"{"rc": 0, "stdout": "done", "changed": true}"#)
        r = try status("1.3")
        XCTAssertEqual(r.data["finished"], 1)
        XCTAssertEqual(r.data["stdout"], "done")
        XCTAssertTrue(r.changed)
        try write(jobs + "/1.4", #"{"rc": 2, "failed": true, "msg": "boom"}"#)
        r = try status("1.4")
        XCTAssertTrue(r.failed)
        XCTAssertEqual(r.message, "boom")
        r = try status("nope")
        XCTAssertTrue(r.failed)
        XCTAssertEqual(r.message, "could not find job")
        r = try status("1.3", mode: "cleanup")
        XCTAssertEqual(r.data["erased"], .string(jobs + "/1.3"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: jobs + "/1.3"))
        XCTAssertThrowsError(try ModuleRegistry.make(type, arguments: ["jid": "../x"]))
    }

    func testWaitForConnectionOnALiveHost() throws {
        let r = try run("wait_for_connection", ["timeout": 5])
        XCTAssertFalse(r.failed, r.message ?? "")
        XCTAssertEqual(r.data["elapsed"], 0)
        XCTAssertThrowsError(try run("wait_for_connection", ["timeout": "soon"]))
    }

    func testDocPagesComeFromTheSpecification() throws {
        let page = ModuleDocRenderer.page(for: try XCTUnwrap(ModuleRegistry.lookup("community.general.ini_file")))
        XCTAssertTrue(page.contains("exclusive  (bool; default: true)"), page)
        XCTAssertTrue(page.contains("path  (string; required; aliases: dest)"), page)
        XCTAssertTrue(page.contains("state  (string; default: \"present\"; choices: absent, present)"), page)
        XCTAssertTrue(page.contains("RETURN VALUES"), page)
        XCTAssertTrue(page.contains("EXAMPLE"), page)
        // Every argument the loader accepts is on the page, for every module.
        for type in ModuleRegistry.builtins {
            let p = ModuleDocRenderer.page(for: type)
            for f in type.argumentSpec.fields where !f.name.hasPrefix("_") {
                XCTAssertTrue(p.contains("  \(f.name)  ("), "\(type.name): \(f.name)")
            }
        }
        XCTAssertTrue(ModuleDocRenderer.list().contains("slurp"))
    }

    func testGetentParsesLikeAnsible() {
        let facts = GetentModule.parse("root:x:0:0:root:/root:/bin/bash\nssh 22/tcp\nssh 22/udp\n", split: nil)
        XCTAssertEqual(facts["ssh"], .list([.list(["22/tcp"]), .list(["22/udp"])]))
        let colon = GetentModule.parse("root:x:0:0:root:/root:/bin/bash\n", split: ":")
        XCTAssertEqual(colon["root"], .list(["x", "0", "0", "root", "/root", "/bin/bash"]))
    }
}
