import Foundation
import XCTest
@testable import ProvisionCore

/// sudoers against the collection's module, on twin `sudoers_path` directories in temp
/// directories: per task changed/failed, then the files (content and mode).
final class SudoersModuleTests: ModuleTestCase {
    static let tasks: [AnsibleLocalOracle.Task] = [
        .init(["name": "deploy", "sudoers_path": "BASE/s", "user": "deploy", "commands": ["/usr/bin/systemctl restart app", "/bin/true"]], check: true),
        .init(["name": "deploy", "sudoers_path": "BASE/s", "user": "deploy", "commands": ["/usr/bin/systemctl restart app", "/bin/true"]]),
        .init(["name": "deploy", "sudoers_path": "BASE/s", "user": "deploy", "commands": ["/usr/bin/systemctl restart app", "/bin/true"]]),
        .init(["name": "ops", "sudoers_path": "BASE/s", "group": "ops", "commands": "ALL", "nopassword": false, "runas": "root",
               "setenv": true, "host": "web1"]),
        .init(["name": "ops", "sudoers_path": "BASE/s", "group": "ops", "commands": "ALL", "nopassword": false, "runas": "root",
               "setenv": true, "host": "web1"]),
        .init(["name": "modeonly", "sudoers_path": "BASE/s", "user": "u1", "commands": ["ALL"]]),
        .init(["name": "bad", "sudoers_path": "BASE/s", "user": "u1", "commands": ["not/absolute"], "validation": "required"]),
        .init(["name": "bad", "sudoers_path": "BASE/s", "user": "u1", "commands": ["not/absolute"], "validation": "absent"]),
        .init(["name": "deploy", "sudoers_path": "BASE/s", "state": "absent"], check: true),
        .init(["name": "deploy", "sudoers_path": "BASE/s", "state": "absent"]),
        .init(["name": "deploy", "sudoers_path": "BASE/s", "state": "absent"]),
        .init(["name": "nocmd", "sudoers_path": "BASE/s", "user": "u1"]),
        .init(["name": "both", "sudoers_path": "BASE/s", "user": "u1", "group": "g", "commands": ["ALL"]]),
    ]

    func testSameAsAnsible() throws {
        let a = path("A"), b = path("B")
        for d in [a, b] {
            try FileManager.default.createDirectory(atPath: d + "/s", withIntermediateDirectories: true)
            try write(d + "/s/modeonly", "u1 ALL=NOPASSWD: ALL\n")
            chmod(d + "/s/modeonly", 0o644)
        }
        let theirs = try AnsibleLocalOracle.run("community.general.sudoers", Self.tasks, base: a, work: dir)
        let ours = try runEach("community.general.sudoers", Self.tasks, base: b)
        for (i, r) in ours.enumerated() {
            guard i < theirs.count else { break }
            XCTAssertEqual(theirs[i]["changed"] == .bool(true), r.changed, "task \(i) changed")
            XCTAssertEqual(theirs[i]["failed"] == .bool(true), r.failed, "task \(i) failed: \(r.message ?? "")")
        }
        let files = { (d: String) -> [String] in
            ((try? FileManager.default.contentsOfDirectory(atPath: d + "/s")) ?? []).sorted().map { name in
                let p = d + "/s/" + name
                let mode = ((try? FileManager.default.attributesOfItem(atPath: p))?[.posixPermissions] as? NSNumber)?.intValue ?? 0
                return name + " " + String(mode, radix: 8) + " " + ((try? String(contentsOfFile: p, encoding: .utf8)) ?? "")
            }
        }
        XCTAssertEqual(files(a), files(b))
        XCTAssertEqual(read(b + "/s/ops"), "%ops web1=(root)SETENV: ALL\n")
        XCTAssertTrue(ModuleRegistry.lookup("community.general.sudoers") == SudoersModule.self)
    }
}
