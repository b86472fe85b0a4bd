import Foundation
import XCTest
@testable import ProvisionCore

/// filesystem against the collection's module on twin image files (regular files, never a
/// real device): per task changed/failed/msg, then what blkid sees; growing ext4 after the
/// image file grew, here only.
final class FilesystemModuleTests: ModuleTestCase {
    static let tasks: [AnsibleLocalOracle.Task] = [
        .init(["fstype": "ext4", "dev": "BASE/img"], check: true),
        .init(["fstype": "ext4", "dev": "BASE/img"]),
        .init(["fstype": "ext4", "dev": "BASE/img", "opts": "-L data"]),
        .init(["fstype": "ext3", "dev": "BASE/img"]),
        .init(["fstype": "ext4", "dev": "BASE/img", "resizefs": true]),
        .init(["dev": "BASE/img", "state": "absent"], check: true),
        .init(["dev": "BASE/img", "state": "absent"]),
        .init(["dev": "BASE/img", "state": "absent"]),
        .init(["type": "swap", "device": "BASE/img"]),
        .init(["fstype": "ext2", "dev": "BASE/img", "force": true, "opts": "-L second"]),
        .init(["fstype": "ext4", "dev": "BASE/nope"]),
        .init(["dev": "BASE/nope", "state": "absent"]),
    ]

    func blkid(_ p: String) throws -> String {
        try sh("/usr/sbin/blkid -c /dev/null -o value -s TYPE -s LABEL \(Shell.quote(p))").stdoutText
    }

    func testSameAsAnsible() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/mkfs.ext4"),
              FileManager.default.isExecutableFile(atPath: "/usr/sbin/wipefs") else { throw XCTSkip("e2fsprogs/util-linux missing") }
        let a = path("A"), b = path("B")
        for d in [a, b] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            _ = try sh("truncate -s 8M \(Shell.quote(d + "/img"))")
        }
        let theirs = try AnsibleLocalOracle.run("community.general.filesystem", Self.tasks, base: a, work: dir)
        let ours = try runEach("community.general.filesystem", Self.tasks, base: b)
        for (i, r) in ours.enumerated() where i < theirs.count {
            XCTAssertEqual(theirs[i]["changed"] == .bool(true), r.changed, "task \(i) changed")
            XCTAssertEqual(theirs[i]["failed"] == .bool(true), r.failed, "task \(i) failed: \(r.message ?? "")")
            XCTAssertEqual(theirs[i]["msg"]?.renderedString, r.message?.replacingOccurrences(of: b, with: "BASE"), "task \(i) msg")
        }
        XCTAssertEqual(try blkid(a + "/img"), try blkid(b + "/img"))
    }

    func testGrowExt4() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/resize2fs") else { throw XCTSkip("e2fsprogs missing") }
        let img = path("img")
        _ = try sh("truncate -s 8M \(Shell.quote(img))")
        XCTAssertTrue(try run("filesystem", ["fstype": "ext4", "dev": .string(img)]).changed)
        let whole = try run("filesystem", ["fstype": "ext4", "dev": .string(img), "resizefs": true])
        XCTAssertFalse(whole.changed)
        XCTAssertEqual(whole.message, "Ext4 filesystem is using the whole device \(img)")
        _ = try sh("truncate -s 16M \(Shell.quote(img))")
        XCTAssertTrue(try run("filesystem", ["fstype": "ext4", "dev": .string(img), "resizefs": true], check: true).changed)
        XCTAssertTrue(try run("filesystem", ["fstype": "ext4", "dev": .string(img), "resizefs": true]).changed)
        XCTAssertFalse(try run("filesystem", ["fstype": "ext4", "dev": .string(img), "resizefs": true]).changed)
        XCTAssertTrue(try run("filesystem", ["fstype": "xfs", "dev": .string(img), "resizefs": true]).failed, "ext only, said plainly")
    }
}
