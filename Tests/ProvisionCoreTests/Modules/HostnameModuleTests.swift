import Foundation
import XCTest
@testable import ProvisionCore

/// This machine's name is not ours to change: the script runs against a stand-in `hostname`
/// command (state in a file) and a temporary /etc/hostname.
final class HostnameModuleTests: ModuleTestCase {
    func testSetsRuntimeAndPermanentNameOnce() throws {
        let bin = path("bin"), state = path("current"), file = path("etc-hostname")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try write(bin + "/hostname", "#!/bin/sh\nif [ $# -eq 0 ]; then cat '\(state)'; else echo \"$1\" > '\(state)'; fi\n")
        _ = try sh("chmod +x '\(bin)/hostname'")
        try write(state, "raspberrypi\n")
        try write(file, "raspberrypi\n")
        let env = ["PATH": bin + ":/usr/sbin:/usr/bin:/sbin:/bin"]
        guard var m = try ModuleRegistry.make(HostnameModule.self, arguments: ["name": "pi-node1", "use": "debian"]) as? HostnameModule else {
            return XCTFail("not a HostnameModule")
        }
        m.hostnameFile = file
        var ctx = context(check: true, diff: true, environment: env)
        let checked = try m.run(in: ctx)
        XCTAssertTrue(checked.changed)
        XCTAssertEqual(checked.diffs.first?.before, "raspberrypi\n")
        XCTAssertEqual(read(file), "raspberrypi\n")
        ctx.checkMode = false
        XCTAssertTrue(try m.run(in: ctx).changed)
        XCTAssertEqual(read(file), "pi-node1\n")
        XCTAssertEqual(read(state), "pi-node1\n")
        XCTAssertFalse(try m.run(in: ctx).changed)
    }

    func testRejectsInvalidNames() {
        for bad in ["pi_node", "-pi", "a b", "x;reboot", ""] {
            XCTAssertThrowsError(try ModuleRegistry.make(HostnameModule.self, arguments: ["name": .string(bad)]), bad)
        }
        XCTAssertNoThrow(try ModuleRegistry.make(HostnameModule.self, arguments: ["name": "node-1.lab.example"]))
    }
}
