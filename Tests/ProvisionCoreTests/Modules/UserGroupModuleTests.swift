import Foundation
import XCTest
@testable import ProvisionCore

/// Real useradd/groupadd on this machine (as root) with throwaway names, removed afterwards.
final class UserGroupModuleTests: ModuleTestCase {
    let user = "pvtest\(Int.random(in: 1000...9999))"
    var group: String { user + "g" }
    var extra: String { user + "x" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try XCTSkipUnless(getuid() == 0, "needs root to create users")
    }

    override func tearDownWithError() throws {
        _ = try? sh("userdel -r \(user) 2>/dev/null; groupdel \(group) 2>/dev/null; groupdel \(extra) 2>/dev/null; true")
        try super.tearDownWithError()
    }

    func testGroupLifecycle() throws {
        XCTAssertTrue(try run("group", ["name": .string(group), "gid": 45_123], check: true).changed)
        XCTAssertNotEqual(try sh("getent group \(group)").status, 0, "check mode created nothing")
        let created = try run("group", ["name": .string(group), "gid": 45_123])
        XCTAssertTrue(created.changed)
        XCTAssertEqual(created.data["gid"], 45_123)
        XCTAssertFalse(try run("group", ["name": .string(group), "gid": 45_123]).changed)
        XCTAssertTrue(try run("group", ["name": .string(group), "gid": 45_124]).changed)
        XCTAssertEqual(try sh("getent group \(group) | cut -d: -f3").stdoutText, "45124\n")
        XCTAssertTrue(try run("group", ["name": .string(group), "state": "absent"]).changed)
        XCTAssertFalse(try run("group", ["name": .string(group), "state": "absent"]).changed)
    }

    func testUserLifecycleWithGroupsShellAndPassword() throws {
        try run("group", ["name": .string(group)])
        try run("group", ["name": .string(extra)])
        let hash = "$6$saltsalt$9dHh5nIr5jxmvdGdWr4I3ZvPp4E2uXyLqJLYWq4D9u5oHUa2YOpWwz4p0dC8ZEtkR2rB7GPyGnWv3bHxkGqMv."
        let args: [String: Value] = ["name": .string(user), "groups": [.string(group)], "shell": "/bin/sh",
                                     "home": .string("/home/" + user), "comment": "Provision Test", "password": .string(hash)]
        XCTAssertTrue(try run("user", args, check: true).changed)
        XCTAssertNotEqual(try sh("getent passwd \(user)").status, 0)
        let created = try run("user", args)
        XCTAssertTrue(created.changed, "\(created)")
        XCTAssertEqual(created.data["shell"], "/bin/sh")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "/home/" + user))
        XCTAssertEqual(try sh("getent shadow \(user) | cut -d: -f2").stdoutText, hash + "\n")
        XCTAssertFalse(try run("user", args).changed, "second run changes nothing")

        XCTAssertTrue(try run("user", ["name": .string(user), "groups": [.string(extra)], "append": true]).changed)
        XCTAssertEqual(Set(try sh("id -Gn \(user)").stdoutText.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }),
                       [user, group, extra])
        XCTAssertFalse(try run("user", ["name": .string(user), "groups": [.string(extra)], "append": true]).changed)
        XCTAssertTrue(try run("user", ["name": .string(user), "groups": [.string(extra)]]).changed, "without append: exactly these")
        XCTAssertEqual(Set(try sh("id -Gn \(user)").stdoutText.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }),
                       [user, extra])
        XCTAssertTrue(try run("user", ["name": .string(user), "shell": "/bin/bash"]).changed)

        let gone = try run("user", ["name": .string(user), "state": "absent", "remove": true])
        XCTAssertTrue(gone.changed)
        XCTAssertNotEqual(try sh("getent passwd \(user)").status, 0)
        XCTAssertFalse(try run("user", ["name": .string(user), "state": "absent"]).changed)
    }

    func testPasswordHashNeverAppearsInTheScriptOrResult() throws {
        let secret = "$6$x$SECRETHASHSECRETHASH"
        let m = try UserModule(arguments: ModuleArguments(["name": .string(user), "password": .string(secret)], spec: UserModule.argumentSpec))
        XCTAssertFalse(m.script(checkMode: false).text.contains("SECRETHASH"))
        XCTAssertFalse("\(m)".contains("SECRETHASH"))
        let r = try run("user", ["name": .string(user), "password": .string(secret), "create_home": false])
        XCTAssertFalse("\(r.registered)".contains("SECRETHASH"))
    }

    func testMissingGroupFailsClearly() throws {
        let r = try run("user", ["name": .string(user), "groups": ["pv-no-such-group"]])
        XCTAssertTrue(r.failed)
        XCTAssertTrue(r.message?.contains("pv-no-such-group does not exist") ?? false, r.message ?? "")
    }

    func testNamesAreValidated() {
        XCTAssertThrowsError(try ModuleRegistry.make(UserModule.self, arguments: ["name": "bad name;rm"]))
        XCTAssertThrowsError(try ModuleRegistry.make(GroupModule.self, arguments: ["name": "-x"]))
    }
}
