import XCTest
@testable import ProvisionCore

/// The become protocol both transports share, fed with what sudo prints (recorded from sudo
/// 1.9 on Debian).
final class SudoHandshakeTests: XCTestCase {
    func testTheLineNeverCarriesThePassword() {
        let h = SudoHandshake(Become(user: "root", password: Secret("hunter2-pw")), nonce: "n1")
        let line = h.commandLine("id -u")
        XCTAssertFalse(line.contains("hunter2-pw"))
        XCTAssertTrue(line.hasPrefix("sudo -H -S -p '[provision-sudo-n1] password: ' -u root -- /bin/sh -c "), line)
        XCTAssertTrue(line.hasSuffix("'echo PROVISION-BECOME-n1; id -u'"), line)
        let noPassword = SudoHandshake(Become(user: "postgres"), nonce: "n2").commandLine("true")
        XCTAssertTrue(noPassword.hasPrefix("sudo -H -n -u postgres -- "), noPassword)
    }

    func testPromptIsAnsweredOnceThenTheMarkerStartsTheCommand() {
        var h = SudoHandshake(Become(password: Secret("pw")), nonce: "n")
        var out = Data(), err = Data("[provision-sudo-n] password: ".utf8)
        guard case .answer(let line) = h.advance(stdout: &out, stderr: &err) else { return XCTFail("no answer") }
        XCTAssertEqual(String(decoding: line, as: UTF8.self), "pw\n")
        guard case .waiting = h.advance(stdout: &out, stderr: &err) else { return XCTFail("answered twice") }
        out.append(Data("PROVISION-BECOME-n\nhello\n".utf8))
        err.append(Data("warn\n".utf8))
        guard case .started = h.advance(stdout: &out, stderr: &err) else { return XCTFail("not started") }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "hello\n")
        XCTAssertEqual(String(decoding: err, as: UTF8.self), "warn\n")
        XCTAssertTrue(h.isStarted)
    }

    func testASecondPromptMeansAWrongPassword() {
        var h = SudoHandshake(Become(user: "root", password: Secret("bad")), nonce: "n")
        var out = Data(), err = Data("[provision-sudo-n] password: ".utf8)
        _ = h.advance(stdout: &out, stderr: &err)
        err.append(Data("Sorry, try again.\n[provision-sudo-n] password: ".utf8))
        guard case .refused(let why) = h.advance(stdout: &out, stderr: &err) else { return XCTFail("not refused") }
        XCTAssertEqual(why, "incorrect sudo password (becoming root)")
    }

    func testWhySudoEndedBeforeTheCommand() {
        let none = SudoHandshake(Become(user: "root"), nonce: "n")
        XCTAssertTrue(none.failure(stderr: Data("sudo: a password is required\n".utf8)).contains("--ask-become-pass"))
        let denied = none.failure(stderr: Data("pi is not in the sudoers file.  This incident will be reported.\n".utf8))
        XCTAssertTrue(denied.contains("may not become root"), denied)
        XCTAssertEqual(none.failure(stderr: Data("sudo: unknown user bob\n".utf8)), "sudo to root failed: sudo: unknown user bob")
    }
}
