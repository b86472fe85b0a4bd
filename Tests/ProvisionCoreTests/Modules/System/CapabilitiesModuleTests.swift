import Foundation
import XCTest
@testable import ProvisionCore

/// capabilities against the collection's module, on twin files in temp directories: per
/// task changed/failed/msg, then each file's capabilities as getcap prints them.
final class CapabilitiesModuleTests: ModuleTestCase {
    static let tasks: [AnsibleLocalOracle.Task] = [
        .init(["path": "BASE/tool", "capability": "cap_net_raw+ep"], check: true),
        .init(["path": "BASE/tool", "capability": "cap_net_raw+ep"]),
        .init(["path": "BASE/tool", "capability": "CAP_NET_RAW+EP"]),
        .init(["path": "BASE/tool", "cap": "cap_net_bind_service=ep"]),
        .init(["path": "BASE/tool", "capability": "cap_net_raw+p"]),
        .init(["path": "BASE/tool", "capability": "cap_net_raw", "state": "absent"]),
        .init(["path": "BASE/tool", "capability": "cap_net_raw", "state": "absent"]),
        .init(["path": "BASE/tool", "capability": "cap_net_bind_service", "state": "absent"]),
        .init(["path": "BASE/missing", "capability": "cap_net_raw+ep"]),
        .init(["path": "BASE/tool", "capability": "cap_net_raw"]),
    ]

    func testSameAsAnsible() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/setcap"), getuid() == 0 else {
            throw XCTSkip("setcap as root is needed")
        }
        let a = path("A"), b = path("B")
        for d in [a, b] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            try write(d + "/tool", "#!/bin/sh\n")
        }
        let theirs = try AnsibleLocalOracle.run("community.general.capabilities", Self.tasks, base: a, work: dir)
        let ours = try runEach("community.general.capabilities", Self.tasks, base: b)
        for (i, r) in ours.enumerated() where i < theirs.count {
            XCTAssertEqual(theirs[i]["changed"] == .bool(true), r.changed, "task \(i) changed")
            XCTAssertEqual(theirs[i]["failed"] == .bool(true), r.failed, "task \(i) failed: \(r.message ?? "")")
            XCTAssertEqual(theirs[i]["msg"]?.renderedString, r.message?.replacingOccurrences(of: b, with: "BASE"), "task \(i) msg")
            if !r.failed { XCTAssertEqual(theirs[i]["state"], r.data["state"], "task \(i) state") }
        }
        XCTAssertEqual(try sh("/usr/sbin/getcap -v \(a)/tool").stdoutText.replacingOccurrences(of: a, with: "X"),
                       try sh("/usr/sbin/getcap -v \(b)/tool").stdoutText.replacingOccurrences(of: b, with: "X"))
        // Midway state, against a known value: after task 4 the file had both capabilities.
        _ = try runEach("capabilities", [.init(["path": "BASE/tool", "capability": "cap_net_raw+ep"])], base: b)
        XCTAssertEqual(try sh("/usr/sbin/getcap \(b)/tool").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines),
                       "\(b)/tool cap_net_raw=ep")
        XCTAssertTrue(ModuleRegistry.lookup("community.general.capabilities") == CapabilitiesModule.self)
    }
}
