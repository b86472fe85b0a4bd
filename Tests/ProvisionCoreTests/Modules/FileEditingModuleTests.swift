import Foundation
import XCTest
@testable import ProvisionCore

/// copy, template, lineinfile, blockinfile for real against temp dirs: first run changes,
/// second run does not, check mode touches nothing, diff mode returns the diff.
final class FileEditingModuleTests: ModuleTestCase {
    func testCopyContentIdempotentWithModeCheckAndDiff() throws {
        let dest = path("app.conf")
        let args: [String: Value] = ["content": "port=80\n", "dest": .string(dest), "mode": "0640"]
        let checked = try run("copy", args, check: true, diff: true)
        XCTAssertTrue(checked.changed)
        XCTAssertNil(read(dest), "check mode wrote nothing")
        XCTAssertEqual(checked.diffs, [FileDiff(path: dest, before: "", after: "port=80\n")])

        let first = try run("copy", args)
        XCTAssertTrue(first.changed, "\(first)")
        XCTAssertEqual(read(dest), "port=80\n")
        XCTAssertEqual(try mode(dest), 0o640)

        let second = try run("copy", args)
        XCTAssertFalse(second.changed, "\(second)")

        try write(dest, "port=8080\n")
        let diffed = try run("copy", args, check: true, diff: true)
        XCTAssertTrue(diffed.changed)
        XCTAssertEqual(diffed.diffs.first?.before, "port=8080\n")
        XCTAssertEqual(read(dest), "port=8080\n", "check mode left the file alone")
        XCTAssertEqual(UnifiedDiff.render(try XCTUnwrap(diffed.diffs.first)),
                       "--- before: \(dest)\n+++ after: \(dest)\n@@ -1 +1 @@\n-port=8080\n+port=80\n")
    }

    func testCopyFixesOnlyTheModeWithoutSendingContent() throws {
        let dest = path("m")
        try write(dest, "same\n")
        _ = try sh("chmod 600 '\(dest)'")
        let r = try run("copy", ["content": "same\n", "dest": .string(dest), "mode": "u=rw,g=r,o=r"])
        XCTAssertTrue(r.changed)
        XCTAssertEqual(try mode(dest), 0o644)
        XCTAssertFalse(try run("copy", ["content": "same\n", "dest": .string(dest), "mode": "u=rw,g=r,o=r"]).changed)
        _ = try sh("chmod 600 '\(dest)'")
        let diffed = try run("copy", ["content": "same\n", "dest": .string(dest), "mode": "0644"], check: true, diff: true)
        XCTAssertEqual(diffed.diffs, [FileDiff(path: dest + " (attributes)", before: "mode: 0600\n", after: "mode: 0644\n")])
        XCTAssertEqual(try mode(dest), 0o600)
    }

    func testCopySrcIntoDirectoryWithBackupAndOwner() throws {
        let src = path("hosts.txt")
        try write(src, "127.0.0.1 a\n")
        let target = path("etc")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try write(target + "/hosts.txt", "old\n")
        let r = try run("copy", ["src": "hosts.txt", "dest": .string(target), "backup": true, "owner": "root", "group": "root"])
        XCTAssertTrue(r.changed)
        XCTAssertEqual(read(target + "/hosts.txt"), "127.0.0.1 a\n")
        let backup = try XCTUnwrap(r.data["backup_file"]?.stringValue)
        XCTAssertTrue(backup.hasPrefix(target + "/hosts.txt."), backup)
        XCTAssertEqual(read(backup), "old\n")
        XCTAssertFalse(try run("copy", ["src": "hosts.txt", "dest": .string(target)]).changed)
    }

    func testCopyValidateRejectsBadContentAndKeepsTheOldFile() throws {
        let dest = path("sudoers-like")
        try write(dest, "good\n")
        let r = try? run("copy", ["content": "bad\n", "dest": .string(dest), "validate": "grep -q good %s"])
        XCTAssertEqual(read(dest), "good\n")
        XCTAssertTrue(r == nil || r?.failed == true)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".provision") }
        XCTAssertEqual(leftovers, [], "temporary file removed")
    }

    func testTemplateRendersOnTheControllerWithTheClosure() throws {
        try write(path("motd.j2"), "Welcome to {{ name }}\n")
        let render: (String) throws -> String = { $0.replacingOccurrences(of: "{{ name }}", with: "pi-node1") }
        let dest = path("motd")
        let first = try run("template", ["src": "motd.j2", "dest": .string(dest)], render: render)
        XCTAssertTrue(first.changed)
        XCTAssertEqual(read(dest), "Welcome to pi-node1\n")
        XCTAssertFalse(try run("template", ["src": "motd.j2", "dest": .string(dest)], render: render).changed)
        let other: (String) throws -> String = { $0.replacingOccurrences(of: "{{ name }}", with: "pi-node2") }
        let checked = try run("template", ["src": "motd.j2", "dest": .string(dest)], check: true, diff: true, render: other)
        XCTAssertTrue(checked.changed)
        XCTAssertEqual(checked.diffs.first?.after, "Welcome to pi-node2\n")
        XCTAssertEqual(read(dest), "Welcome to pi-node1\n")
        // A directory destination gets the template's name without .j2.
        let d = path("dir")
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        XCTAssertTrue(try run("template", ["src": "motd.j2", "dest": .string(d)], render: render).changed)
        XCTAssertEqual(read(d + "/motd"), "Welcome to pi-node1\n")
    }

    func testTemplateRenderFailureFailsTheTask() throws {
        try write(path("t.j2"), "{{ x }}")
        let r = try run("template", ["src": "t.j2", "dest": .string(path("t"))],
                        render: { _ in throw ModuleError("undefined variable x") })
        XCTAssertTrue(r.failed)
        XCTAssertTrue(r.message?.contains("undefined variable x") ?? false)
        XCTAssertNil(read(path("t")))
    }

    func testLineInFileRealRun() throws {
        let p = path("sshd_config")
        try write(p, "Port 22\n#PasswordAuthentication yes\nUsePAM yes\n")
        let args: [String: Value] = ["path": .string(p), "regexp": "^#?PasswordAuthentication", "line": "PasswordAuthentication no"]
        let checked = try run("lineinfile", args, check: true, diff: true)
        XCTAssertTrue(checked.changed)
        XCTAssertEqual(read(p), "Port 22\n#PasswordAuthentication yes\nUsePAM yes\n")
        XCTAssertEqual(checked.diffs.first?.after, "Port 22\nPasswordAuthentication no\nUsePAM yes\n")
        let first = try run("lineinfile", args)
        XCTAssertTrue(first.changed)
        XCTAssertEqual(first.message, "line replaced")
        XCTAssertEqual(read(p), "Port 22\nPasswordAuthentication no\nUsePAM yes\n")
        XCTAssertFalse(try run("lineinfile", args).changed)

        let removed = try run("lineinfile", ["path": .string(p), "regexp": "^UsePAM", "state": "absent"])
        XCTAssertTrue(removed.changed)
        XCTAssertEqual(removed.data["found"], 1)
        XCTAssertEqual(read(p), "Port 22\nPasswordAuthentication no\n")
    }

    func testLineInFileCreateAndMissingFile() throws {
        let p = path("sub/dir/new.conf")
        let missing = try run("lineinfile", ["path": .string(p), "line": "a=1"])
        XCTAssertTrue(missing.failed)
        XCTAssertTrue(missing.message?.contains("does not exist") ?? false)
        let created = try run("lineinfile", ["path": .string(p), "line": "a=1", "create": true, "mode": "0600"])
        XCTAssertTrue(created.changed, "\(created)")
        XCTAssertEqual(read(p), "a=1\n")
        XCTAssertEqual(try mode(p), 0o600)
        XCTAssertFalse(try run("lineinfile", ["path": .string(p), "line": "a=1", "create": true, "mode": "0600"]).changed)
        XCTAssertFalse(try run("lineinfile", ["path": .string(path("nope")), "line": "x", "state": "absent"]).changed)
    }

    func testLineInFileFollowsASymlinkAndKeepsIt() throws {
        let real = path("real.conf"), link = path("link.conf")
        try write(real, "a\n")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        XCTAssertTrue(try run("lineinfile", ["path": .string(link), "line": "b"]).changed)
        XCTAssertEqual(read(real), "a\nb\n")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), real)
    }

    func testBlockInFileRealRun() throws {
        let p = path("hosts")
        try write(p, "127.0.0.1 localhost\n")
        let args: [String: Value] = ["path": .string(p), "block": "10.0.0.1 n1\n10.0.0.2 n2", "backup": true]
        let checked = try run("blockinfile", args, check: true, diff: true)
        XCTAssertTrue(checked.changed)
        XCTAssertEqual(read(p), "127.0.0.1 localhost\n")
        XCTAssertFalse(checked.diffs.isEmpty)
        let first = try run("blockinfile", args)
        XCTAssertTrue(first.changed)
        XCTAssertEqual(read(p), "127.0.0.1 localhost\n# BEGIN ANSIBLE MANAGED BLOCK\n10.0.0.1 n1\n10.0.0.2 n2\n# END ANSIBLE MANAGED BLOCK\n")
        let backup = try XCTUnwrap(first.data["backup_file"]?.stringValue)
        XCTAssertEqual(read(backup), "127.0.0.1 localhost\n")
        XCTAssertFalse(try run("blockinfile", args).changed)
        XCTAssertTrue(try run("blockinfile", ["path": .string(p), "state": "absent"]).changed)
        XCTAssertEqual(read(p), "127.0.0.1 localhost\n")
    }

    func testOwnerThatDoesNotExistFailsClearly() throws {
        let p = path("f")
        try write(p, "x\n")
        XCTAssertThrowsError(try run("copy", ["content": "x\n", "dest": .string(p), "owner": "no-such-user-pv"])) { e in
            XCTAssertTrue("\(e)".contains("no-such-user-pv"), "\(e)")
        }
    }

    func testCopyDirectoryRecursivelyThenOnlyWhatChanged() throws {
        let src = path("files/conf.d")
        try FileManager.default.createDirectory(atPath: src + "/sub", withIntermediateDirectories: true)
        try write(src + "/a.conf", "a\n")
        try write(src + "/sub/b.conf", "b\n")
        let dest = path("etc")
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        let args: [String: Value] = ["src": "files/conf.d", "dest": .string(dest), "mode": "0640"]
        let checked = try run("copy", args, check: true)
        XCTAssertTrue(checked.changed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dest + "/conf.d"))
        let first = try run("copy", args)
        XCTAssertTrue(first.changed, "\(first)")
        XCTAssertEqual(read(dest + "/conf.d/a.conf"), "a\n")
        XCTAssertEqual(read(dest + "/conf.d/sub/b.conf"), "b\n")
        XCTAssertEqual(try mode(dest + "/conf.d/sub/b.conf"), 0o640)
        XCTAssertFalse(try run("copy", args).changed)
        try write(src + "/sub/b.conf", "b2\n")
        let second = try run("copy", args)
        XCTAssertEqual(second.data["changed_files"], ["sub/b.conf"])
        XCTAssertEqual(read(dest + "/conf.d/sub/b.conf"), "b2\n")
        // A trailing slash copies the contents, not the directory.
        let flat = path("flat")
        XCTAssertTrue(try run("copy", ["src": "files/conf.d/", "dest": .string(flat)]).changed)
        XCTAssertEqual(read(flat + "/a.conf"), "a\n")
        XCTAssertEqual(read(flat + "/sub/b.conf"), "b2\n")
    }

    func testCopyRemoteSrcOnTheHost() throws {
        let src = path("on-host.txt"), dest = path("copied.txt")
        try write(src, "host data\n")
        _ = try sh("chmod 640 '\(src)'")
        let args: [String: Value] = ["src": .string(src), "dest": .string(dest), "remote_src": true]
        XCTAssertTrue(try run("copy", args, check: true).changed)
        XCTAssertNil(read(dest))
        XCTAssertTrue(try run("copy", args).changed)
        XCTAssertEqual(read(dest), "host data\n")
        // As ansible-core 2.14 (checked in ModuleTwinTests): a new copy gets the umask's mode.
        let umask = Int(try sh("umask").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines), radix: 8) ?? 0o022
        XCTAssertEqual(try mode(dest), 0o666 & ~umask, "a new copy gets the umask's mode, not the source's")
        XCTAssertFalse(try run("copy", args).changed)
        let missing = try run("copy", ["src": .string(path("nope")), "dest": .string(dest), "remote_src": true])
        XCTAssertTrue(missing.failed)
    }

    func testFileContentThatLooksLikeStatusLinesIsJustContent() throws {
        let p = path("tricky")
        try write(p, "@@pv failed not really\n@@pv attr mode 1 2 x\n")
        let r = try run("lineinfile", ["path": .string(p), "line": "end"])
        XCTAssertTrue(r.changed)
        XCTAssertFalse(r.failed)
        XCTAssertEqual(r.message, "line added")
        XCTAssertEqual(read(p), "@@pv failed not really\n@@pv attr mode 1 2 x\nend\n")
    }
}
