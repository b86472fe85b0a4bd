import Foundation
import XCTest
@testable import ProvisionCore

/// Expected results were checked once against ansible-core 2.14.18's replace module on the
/// same inputs.
final class ReplaceModuleTests: ModuleTestCase {
    let cmdline = "console=serial0,115200 console=tty1 root=PARTUUID=abc rootfstype=ext4 fsck.repair=yes rootwait\n"

    func testTable() throws {
        let cgroups = ReplaceEdit(regexp: #"^(.*rootwait)$"#, replacement: #"\1 cgroup_enable=memory cgroup_memory=1"#)
        let withCgroups = cmdline.replacingOccurrences(of: "rootwait", with: "rootwait cgroup_enable=memory cgroup_memory=1")
        let cases: [(String, String, ReplaceEdit, String, Bool, String)] = [
            ("cmdline append", cmdline, cgroups, withCgroups, true, "1 replacements made"),
            ("cmdline idempotent", withCgroups, cgroups, withCgroups, false, ""),
            ("all matches", "a=1\nb=1\na=2\n", .init(regexp: #"^a=\d"#, replacement: "a=0"), "a=0\nb=1\na=0\n", true, "2 replacements made"),
            ("named group", "port 22\n", .init(regexp: #"^port (?P<n>\d+)$"#, replacement: #"port \g<n>22"#), "port 2222\n", true, "1 replacements made"),
            ("after", "x=1\n[s]\nx=1\n", .init(regexp: "x=1", replacement: "x=2", after: #"\[s\]"#), "x=1\n[s]\nx=2\n", true, "1 replacements made"),
            ("before", "x=1\n[s]\nx=1\n", .init(regexp: "x=1", replacement: "x=2", before: #"\[s\]"#), "x=2\n[s]\nx=1\n", true, "1 replacements made"),
            ("between", "x\n<a>\nx\n</a>\nx\n", .init(regexp: "x", replacement: "y", after: "<a>", before: "</a>"), "x\n<a>\ny\n</a>\nx\n", true, "1 replacements made"),
            ("no section", "x\n", .init(regexp: "x", replacement: "y", after: "nope"), "x\n", false,
             "Pattern for before/after params did not match the given file: nope(?P<subsection>.*)"),
            ("delete lines", "keep\n# drop\nkeep2\n", .init(regexp: #"^# drop\n"#, replacement: ""), "keep\nkeep2\n", true, "1 replacements made"),
            ("no match", "abc\n", .init(regexp: "zzz", replacement: "y"), "abc\n", false, ""),
        ]
        for (name, before, edit, after, changed, message) in cases {
            let r = try edit.apply(before)
            XCTAssertEqual(r.text, after, name)
            XCTAssertEqual(r.changed, changed, name)
            XCTAssertEqual(r.message, message, name)
        }
    }

    func testRealRunOnACmdlineFile() throws {
        let p = path("cmdline.txt")
        try write(p, cmdline)
        let args: [String: Value] = ["path": .string(p), "regexp": #"^(.*rootwait)$"#,
                                     "replace": #"\1 cgroup_enable=memory cgroup_memory=1"#, "backup": true]
        let checked = try run("replace", args, check: true, diff: true)
        XCTAssertTrue(checked.changed)
        XCTAssertEqual(read(p), cmdline)
        XCTAssertEqual(checked.diffs.first?.before, cmdline)
        let first = try run("replace", args)
        XCTAssertTrue(first.changed)
        XCTAssertTrue(read(p)?.hasSuffix("rootwait cgroup_enable=memory cgroup_memory=1\n") ?? false)
        XCTAssertEqual(read(try XCTUnwrap(first.data["backup_file"]?.stringValue)), cmdline)
        XCTAssertFalse(try run("replace", args).changed)
        let missing = try run("replace", ["path": .string(path("none")), "regexp": "x"])
        XCTAssertTrue(missing.failed)
    }
}
