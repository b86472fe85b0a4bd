import Foundation
import ProvisionCore
@testable import ProvisionSSH
import XCTest

final class RemoteCommandLineTests: XCTestCase {
    func testBecomePasswordNeverInTheLine() throws {
        let command = RemoteCommand("id", become: Become(user: "admin", password: Secret("hunter2-sudo")),
                                    environment: ["A": "1"])
        let remote = try RemoteCommandLine(command, timeout: 30, host: "h")
        XCTAssertFalse(remote.line.contains("hunter2-sudo"))
        XCTAssertTrue(remote.line.hasPrefix("sudo -H -S -p "), remote.line)
        XCTAssertTrue(remote.line.contains("-u admin"), remote.line)
        XCTAssertEqual(remote.become?.password?.reveal(), "hunter2-sudo")
        XCTAssertTrue(remote.line.contains(remote.become?.marker ?? "?"))
    }

    func testNoPasswordUsesNonInteractiveSudo() throws {
        let remote = try RemoteCommandLine(RemoteCommand("id", become: Become()), timeout: nil, host: "h")
        XCTAssertTrue(remote.line.hasPrefix("sudo -H -n -u root -- /bin/sh -c "), remote.line)
    }

    func testInvalidEnvironmentNameIsAnError() {
        XCTAssertThrowsError(try RemoteCommandLine(RemoteCommand("true", environment: ["A-B": "x"]), timeout: nil, host: "h")) {
            XCTAssertEqual(($0 as? TransportError)?.kind, .failed)
        }
        XCTAssertNoThrow(try RemoteCommandLine(RemoteCommand("true", environment: ["_A1": "x"]), timeout: nil, host: "h"))
    }

    func testPlainCommandIsSentAsIs() throws {
        let remote = try RemoteCommandLine(RemoteCommand("echo hi"), timeout: nil, host: "h")
        XCTAssertEqual(remote.line, "PROVISION_CMD=\(remote.token); export PROVISION_CMD; echo hi")
    }
}
