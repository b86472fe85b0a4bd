import Foundation
import XCTest
@testable import ProvisionCore

/// pam_limits against the collection's module: the same tasks on twin limits files in temp
/// directories, through ansible-playbook (`connection: local`) and through the module here;
/// per task changed/failed/msg, then the files byte for byte.
final class PamLimitsModuleTests: ModuleTestCase {
    static let start = """
    # /etc/security/limits.conf
    #<domain>      <type>  <item>         <value>
    *               soft    nofile          1024
    @admin hard nproc 100   # admins
      # indented comment
    not a limit line at all here

    root - core 0
    """

    static let tasks: [AnsibleLocalOracle.Task] = [
        .init(["dest": "BASE/limits.conf", "domain": "joe", "limit_type": "soft", "limit_item": "nofile", "value": 4096], check: true),
        .init(["dest": "BASE/limits.conf", "domain": "joe", "limit_type": "soft", "limit_item": "nofile", "value": 4096]),
        .init(["dest": "BASE/limits.conf", "domain": "joe", "limit_type": "soft", "limit_item": "nofile", "value": 4096]),
        .init(["dest": "BASE/limits.conf", "domain": "*", "limit_type": "soft", "limit_item": "nofile", "value": 2048, "use_max": true]),
        .init(["dest": "BASE/limits.conf", "domain": "*", "limit_type": "soft", "limit_item": "nofile", "value": 100, "use_max": true]),
        .init(["dest": "BASE/limits.conf", "domain": "*", "limit_type": "soft", "limit_item": "nofile", "value": 512, "use_min": true]),
        .init(["dest": "BASE/limits.conf", "domain": "*", "limit_type": "soft", "limit_item": "nofile", "value": "unlimited", "use_min": true]),
        .init(["dest": "BASE/limits.conf", "domain": "@admin", "limit_type": "hard", "limit_item": "nproc", "value": "unlimited"]),
        .init(["dest": "BASE/limits.conf", "domain": "@dev", "limit_type": "-", "limit_item": "memlock", "value": "-1", "comment": "set by us"]),
        .init(["dest": "BASE/limits.conf", "domain": "@dev", "limit_type": "-", "limit_item": "nice", "value": "-5"]),
        .init(["dest": "BASE/limits.conf", "domain": "@dev", "limit_type": "-", "limit_item": "priority", "value": "30"]),
        .init(["dest": "BASE/limits.conf", "domain": "@dev", "limit_type": "-", "limit_item": "nproc", "value": "abc"]),
        .init(["dest": "BASE/limits.conf", "domain": "x", "limit_type": "-", "limit_item": "nproc", "value": 1, "use_min": true, "use_max": true]),
        .init(["dest": "BASE/new.conf", "domain": "x", "limit_type": "hard", "limit_item": "nproc", "value": 10, "comment": "c"]),
        .init(["dest": "BASE/new.conf", "domain": "x", "limit_type": "hard", "limit_item": "nproc", "value": 10, "comment": "c"]),
        .init(["dest": "BASE/none/limits.conf", "domain": "x", "limit_type": "hard", "limit_item": "nproc", "value": 10]),
        .init(["dest": "BASE/limits.conf", "domain": "root", "limit_type": "-", "limit_item": "core", "value": "unlimited", "backup": true]),
        .init(["dest": "BASE/limits.d/check.conf", "domain": "x", "limit_type": "soft", "limit_item": "cpu", "value": 5], check: true),
    ]

    func testSameAsAnsible() throws {
        let a = path("A"), b = path("B")
        for d in [a, b] {
            try FileManager.default.createDirectory(atPath: d + "/limits.d", withIntermediateDirectories: true)
            try write(d + "/limits.conf", Self.start)
        }
        let theirs = try AnsibleLocalOracle.run("pam_limits", Self.tasks, base: a, work: dir)
        let ours = try runEach("pam_limits", Self.tasks, base: b)
        for (i, r) in ours.enumerated() {
            guard i < theirs.count else { break }
            let want = theirs[i]
            XCTAssertEqual(want["changed"] == .bool(true), r.changed, "task \(i) changed")
            XCTAssertEqual(want["failed"] == .bool(true), r.failed, "task \(i) failed: \(r.message ?? "")")
            XCTAssertEqual(want["msg"]?.renderedString, r.message?.replacingOccurrences(of: b, with: "BASE"), "task \(i) msg")
            XCTAssertEqual(want["backup_file"] != nil, r.data["backup_file"] != nil, "task \(i) backup_file")
        }
        for f in ["limits.conf", "new.conf", "limits.d/check.conf", "none"] {
            XCTAssertEqual(read(a + "/" + f), read(b + "/" + f), f)
        }
        let backups = { (d: String) in ((try? FileManager.default.contentsOfDirectory(atPath: d)) ?? []).filter { $0.hasSuffix("~") } }
        XCTAssertEqual(backups(a).count, 1)
        XCTAssertEqual(backups(b).count, 1)
        XCTAssertTrue(ModuleRegistry.lookup("community.general.pam_limits") == PamLimitsModule.self)
    }

    func testPlanKeepsOtherLines() throws {
        guard let m = try ModuleRegistry.make(PamLimitsModule.self, arguments: [
            "domain": "*", "limit_type": "hard", "limit_item": "nofile", "value": "65535", "comment": "raised",
        ]) as? PamLimitsModule else { return XCTFail("not pam_limits") }
        let p = try m.plan(current: "# c\n*\thard\tnofile\t1024\nroot soft core 0")
        XCTAssertEqual(p.text, "# c\n*\thard\tnofile\t65535\t#raised\nroot soft core 0")
        XCTAssertTrue(p.changed)
        XCTAssertFalse(try m.plan(current: p.text).changed)
        XCTAssertThrowsError(try m.plan(current: "x soft nofile lots\n"))
    }
}
