import Foundation
import XCTest
@testable import ProvisionCore

final class FileModuleTests: ModuleTestCase {
    func testDirectoryCreateIdempotentAndCheckMode() throws {
        let d = path("a/b/c")
        let checked = try run("file", ["path": .string(d), "state": "directory", "mode": "0750"], check: true)
        XCTAssertTrue(checked.changed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: d))
        XCTAssertTrue(try run("file", ["path": .string(d), "state": "directory", "mode": "0750"]).changed)
        XCTAssertEqual(try mode(d), 0o750)
        XCTAssertFalse(try run("file", ["path": .string(d), "state": "directory", "mode": "0750"]).changed)
        XCTAssertTrue(try run("file", ["path": .string(d), "state": "directory", "mode": "0755"]).changed)
        XCTAssertEqual(try mode(d), 0o755)
    }

    func testRecurseAppliesModeBelow() throws {
        let d = path("tree")
        try FileManager.default.createDirectory(atPath: d + "/x", withIntermediateDirectories: true)
        try write(d + "/x/f", "1")
        _ = try sh("chmod 600 '\(d)/x/f'")
        let r = try run("file", ["path": .string(d), "state": "directory", "recurse": true, "mode": "u+rwX,g+rX,o+rX"])
        XCTAssertTrue(r.changed)
        XCTAssertEqual(try mode(d + "/x/f"), 0o644)
        XCTAssertFalse(try run("file", ["path": .string(d), "state": "directory", "recurse": true, "mode": "u+rwX,g+rX,o+rX"]).changed)
    }

    func testLinkAbsentTouchAndHard() throws {
        let target = path("target"), link = path("link")
        try write(target, "t")
        XCTAssertTrue(try run("file", ["path": .string(link), "src": .string(target), "state": "link"]).changed)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target)
        XCTAssertFalse(try run("file", ["path": .string(link), "src": .string(target), "state": "link"]).changed)
        // A regular file is not silently replaced by a link.
        let plain = path("plain")
        try write(plain, "p")
        let refused = try run("file", ["path": .string(plain), "src": .string(target), "state": "link"])
        XCTAssertTrue(refused.failed)
        XCTAssertTrue(try run("file", ["path": .string(plain), "src": .string(target), "state": "link", "force": true]).changed)

        let hard = path("hard")
        XCTAssertTrue(try run("file", ["path": .string(hard), "src": .string(target), "state": "hard"]).changed)
        XCTAssertFalse(try run("file", ["path": .string(hard), "src": .string(target), "state": "hard"]).changed)

        let t = path("touched")
        XCTAssertTrue(try run("file", ["path": .string(t), "state": "touch"]).changed)
        XCTAssertTrue(FileManager.default.fileExists(atPath: t))
        XCTAssertFalse(try run("file", ["path": .string(t), "state": "touch", "modification_time": "preserve",
                                        "access_time": "preserve"]).changed)

        XCTAssertTrue(try run("file", ["path": .string(t), "state": "absent"], check: true).changed)
        XCTAssertTrue(FileManager.default.fileExists(atPath: t), "check mode removed nothing")
        XCTAssertTrue(try run("file", ["path": .string(t), "state": "absent"]).changed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: t))
        XCTAssertFalse(try run("file", ["path": .string(t), "state": "absent"]).changed)
    }

    func testStateFileOnMissingPathFails() throws {
        let r = try run("file", ["path": .string(path("missing")), "state": "file"])
        XCTAssertTrue(r.failed)
        XCTAssertTrue(r.message?.contains("does not exist") ?? false)
        let noState = try run("file", ["path": .string(path("missing"))])
        XCTAssertTrue(noState.failed)
    }

    func testPathsWithQuotesAndSpacesAreSafe() throws {
        let weird = path("it's a \"dir\" $(touch pwned)")
        XCTAssertTrue(try run("file", ["path": .string(weird), "state": "directory"]).changed)
        var isDir: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: weird, isDirectory: &isDir) && isDir.boolValue)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("pwned")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "pwned"))
    }

    func testNumericModeOnASetgidDirectoryIsExactAndIdempotent() throws {
        let d = path("shared")
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        _ = try sh("chmod 2775 '\(d)'")
        XCTAssertTrue(try run("file", ["path": .string(d), "state": "directory", "mode": "0755"]).changed)
        XCTAssertEqual(try mode(d) & 0o7777, 0o755)
        XCTAssertFalse(try run("file", ["path": .string(d), "state": "directory", "mode": "0755"]).changed)
        XCTAssertTrue(try run("file", ["path": .string(d), "state": "directory", "mode": "2775"]).changed)
        XCTAssertFalse(try run("file", ["path": .string(d), "state": "directory", "mode": "2775"]).changed)
    }

    func testBecomeRunsTheScriptsAsAnotherUser() throws {
        try XCTSkipUnless(getuid() == 0, "root can become any user without a password")
        let d = path("nobody-home")
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        _ = try sh("chown nobody '\(d)' && chmod 755 '\(dir)'")
        let f = d + "/note"
        var ctx = context()
        ctx.become = Become(user: "nobody")
        let copy = try ModuleRegistry.make(CopyModule.self, arguments: ["content": "hi\n", "dest": .string(f)])
        XCTAssertTrue(try copy.run(in: ctx).changed)
        XCTAssertEqual(try sh("stat -c %U '\(f)'").stdoutText, "nobody\n")
        XCTAssertFalse(try copy.run(in: ctx).changed)
        let line = try ModuleRegistry.make(LineInFileModule.self, arguments: ["path": .string(f), "line": "there"])
        XCTAssertTrue(try line.run(in: ctx).changed)
        XCTAssertEqual(read(f), "hi\nthere\n")
        XCTAssertEqual(try sh("stat -c %U '\(f)'").stdoutText, "nobody\n")
    }

    func testStatReportsWhatIsThere() throws {
        let f = path("s.txt")
        try write(f, "abc")
        _ = try sh("chmod 4750 '\(f)'")
        let r = try run("stat", ["path": .string(f)])
        XCTAssertFalse(r.changed)
        let st = try XCTUnwrap(r.data["stat"])
        XCTAssertEqual(st["exists"], true)
        XCTAssertEqual(st["isreg"], true)
        XCTAssertEqual(st["isdir"], false)
        XCTAssertEqual(st["mode"], "4750")
        XCTAssertEqual(st["isuid"], true)
        XCTAssertEqual(st["size"], 3)
        XCTAssertEqual(st["pw_name"], .string(NSUserName()))
        XCTAssertEqual(st["checksum"], "a9993e364706816aba3e25717850c26c9cd0d89d", "sha1 of 'abc', Ansible's default")
        let link = path("l")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: dir)
        let l = try XCTUnwrap(try run("stat", ["path": .string(link)]).data["stat"])
        XCTAssertEqual(l["islnk"], true)
        XCTAssertEqual(l["lnk_source"], .string(dir))
        XCTAssertEqual(try XCTUnwrap(try run("stat", ["path": .string(link), "follow": true]).data["stat"])["isdir"], true)
        XCTAssertEqual(try run("stat", ["path": .string(path("none"))]).data["stat"], ["exists": false])
    }

    func testTouchWithFixedTimesIsIdempotent() throws {
        let t = path("stamped")
        let args: [String: Value] = ["path": .string(t), "state": "touch",
                                     "modification_time": "202001021304.05", "access_time": "202001021304.05"]
        XCTAssertTrue(try run("file", args).changed)
        let attrs = try FileManager.default.attributesOfItem(atPath: t)
        let mtime = try XCTUnwrap(attrs[.modificationDate] as? Date)
        var parts = DateComponents(year: 2020, month: 1, day: 2, hour: 13, minute: 4, second: 5)
        parts.timeZone = TimeZone.current
        XCTAssertEqual(mtime, Calendar(identifier: .gregorian).date(from: parts))
        XCTAssertFalse(try run("file", args).changed, "same fixed times: no change")
        XCTAssertFalse(try run("file", args, check: true).changed)
        // Only the modification time given, in another format; access time kept.
        let other: [String: Value] = ["path": .string(t), "state": "touch", "modification_time": "2021-06-07 08:09",
                                      "modification_time_format": "%Y-%m-%d %H:%M", "access_time": "preserve"]
        XCTAssertTrue(try run("file", other, check: true).changed)
        XCTAssertTrue(try run("file", other).changed)
        XCTAssertFalse(try run("file", other).changed)
        // "now" (the default for touch) changes every run, as in Ansible.
        XCTAssertTrue(try run("file", ["path": .string(t), "state": "touch"]).changed)
        XCTAssertTrue(try run("file", ["path": .string(t), "state": "touch"]).changed)
        // state=file with a fixed time sets it too, then settles.
        let f: [String: Value] = ["path": .string(t), "state": "file", "modification_time": "199912312359.59"]
        XCTAssertTrue(try run("file", f).changed)
        XCTAssertFalse(try run("file", f).changed)
        XCTAssertThrowsError(try run("file", ["path": .string(t), "state": "touch", "modification_time": "yesterday"]))
    }
}
