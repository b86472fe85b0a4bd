import Foundation
import XCTest
@testable import ProvisionCore

final class AuthorizedKeyModuleTests: ModuleTestCase {
    let k1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOne alice@laptop"
    let k2 = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAITwo bob@desk"
    let user = "pvkey\(Int.random(in: 1000...9999))"

    override func tearDownWithError() throws {
        _ = try? sh("userdel -r \(user) 2>/dev/null; true")
        try super.tearDownWithError()
    }

    func testPureEdit() {
        let withOptions = #"from="10.0.0.0/8",command="echo a b" "# + k1
        XCTAssertEqual(AuthorizedKeysEdit.identity(withOptions), AuthorizedKeysEdit.identity(k1))
        let add = AuthorizedKeysEdit(keys: [k1]).apply("# comment\n" + k2 + "\n")
        XCTAssertEqual(add.text, "# comment\n" + k2 + "\n" + k1 + "\n")
        XCTAssertTrue(add.changed)
        XCTAssertFalse(AuthorizedKeysEdit(keys: [k1]).apply(add.text).changed)
        let renamed = AuthorizedKeysEdit(keys: [k1.replacingOccurrences(of: "alice@laptop", with: "alice@new")]).apply(add.text)
        XCTAssertEqual(renamed.message, "1 key(s) updated")
        XCTAssertEqual(AuthorizedKeysEdit(keys: [k1], exclusive: true).apply(add.text).text, "# comment\n" + k1 + "\n")
        XCTAssertEqual(AuthorizedKeysEdit(keys: [k2], present: false).apply(add.text).text, "# comment\n" + k1 + "\n")
        XCTAssertThrowsError(try AuthorizedKeysEdit.parse("not a key"))
        XCTAssertEqual(try AuthorizedKeysEdit.parse("\n" + k1 + "\n# c\n" + k2), [k1, k2])
    }

    func testRealUserGetsSshDirAndFileWithStrictModes() throws {
        try XCTSkipUnless(getuid() == 0, "needs root to create a user")
        XCTAssertEqual(try sh("useradd -m \(user)").status, 0)
        let home = "/home/" + user
        let args: [String: Value] = ["user": .string(user), "key": .string(k1 + "\n" + k2)]
        XCTAssertTrue(try run("authorized_key", args, check: true).changed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: home + "/.ssh"))
        let first = try run("authorized_key", args)
        XCTAssertTrue(first.changed, "\(first)")
        XCTAssertEqual(read(home + "/.ssh/authorized_keys"), k1 + "\n" + k2 + "\n")
        XCTAssertEqual(try sh("stat -c '%a %U' \(home)/.ssh \(home)/.ssh/authorized_keys").stdoutText,
                       "700 \(user)\n600 \(user)\n")
        XCTAssertFalse(try run("authorized_key", args).changed)
        XCTAssertTrue(try run("authorized_key", ["user": .string(user), "key": .string(k2), "state": "absent"]).changed)
        XCTAssertEqual(read(home + "/.ssh/authorized_keys"), k1 + "\n")
        XCTAssertTrue(try run("authorized_key", ["user": "pv-nobody-here", "key": .string(k1)]).failed)
    }
}
