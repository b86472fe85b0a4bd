import XCTest
@testable import ProvisionCore

/// `become_method: su` through the one become protocol: su's own prompt is recognised, the
/// password goes to its stdin once, a refusal is told apart; a real su as root runs the command.
final class SuHandshakeTests: XCTestCase {
    func testPromptAnswerAndStart() {
        var h = SudoHandshake(Become(user: "admin", password: Secret("pw-su-1"), method: .su), nonce: "n")
        let line = h.commandLine("id -un")
        XCTAssertTrue(line.hasPrefix("su admin -c "), line)
        XCTAssertFalse(line.contains("pw-su-1"))
        var out = Data(), err = Data("Password: ".utf8)
        guard case .answer(let answer) = h.advance(stdout: &out, stderr: &err) else { return XCTFail("no answer") }
        XCTAssertEqual(String(decoding: answer, as: UTF8.self), "pw-su-1\n")
        out = Data("PROVISION-BECOME-n\nadmin\n".utf8)
        guard case .started = h.advance(stdout: &out, stderr: &err) else { return XCTFail("not started") }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "admin\n")
        XCTAssertEqual(err, Data())
    }

    func testWrongPasswordAndNoPassword() {
        var h = SudoHandshake(Become(user: "admin", password: Secret("bad"), method: .su), nonce: "n")
        var out = Data(), err = Data("Passwort: ".utf8)
        _ = h.advance(stdout: &out, stderr: &err)
        err.append(Data("\nsu: Authentication failure\n".utf8))
        guard case .refused(let why) = h.advance(stdout: &out, stderr: &err) else { return XCTFail("not refused") }
        XCTAssertEqual(why, "incorrect su password (becoming admin)")

        var none = SudoHandshake(Become(user: "admin", method: .su), nonce: "n")
        var e2 = Data("Password: ".utf8)
        guard case .refused(let why2) = none.advance(stdout: &out, stderr: &e2) else { return XCTFail("not refused") }
        XCTAssertTrue(why2.contains("su needs a password"), why2)
    }

    func testRealSuAsRoot() throws {
        try XCTSkipUnless(getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/su")
                          && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd"), "needs root, su and useradd")
        let user = "pv-su-test"
        _ = try LocalTransport().run(RemoteCommand("id \(user) >/dev/null 2>&1 || useradd -m -s /bin/sh \(user)"))
        let r = try LocalTransport().run(RemoteCommand("id -un; cat", stdin: Data("input\n".utf8),
                                                       become: Become(user: user, method: .su)))
        XCTAssertEqual(r.status, 0, r.stderrText)
        XCTAssertEqual(r.stdoutText, "\(user)\ninput\n")
        // A user without a login shell: su refuses, and the reason says so.
        XCTAssertThrowsError(try LocalTransport().run(RemoteCommand("true", become: Become(user: "nobody", method: .su)))) {
            XCTAssertTrue("\($0)".contains("su to nobody failed"), "\($0)")
        }
    }
}
