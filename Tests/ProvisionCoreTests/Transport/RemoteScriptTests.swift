import Foundation
import XCTest
@testable import ProvisionCore

/// `environment:` reaches the command through stdin, never its argv.
final class RemoteScriptTests: XCTestCase {
    func testEnvironmentTravelsOnStdinAndArrivesWhole() throws {
        let secret = "Env-Canary-'q\"$x`\n2nd line"
        let command = RemoteCommand("printf '%s|' \"$CANARY\" \"$OTHER\"; cat", stdin: Data("input".utf8),
                                    environment: ["CANARY": secret, "OTHER": "two"])
        let (script, stdin) = try RemoteScript.withEnvironment(command, host: "h")
        XCTAssertFalse(script.contains("Env-Canary"), script)
        XCTAssertTrue(String(decoding: stdin ?? Data(), as: UTF8.self).hasSuffix("\ninput"))
        let r = try LocalTransport().run(command)
        XCTAssertEqual(r.stdoutText, secret + "|two|input")
    }

    func testNoEnvironmentLeavesTheCommandAsIs() throws {
        let (script, stdin) = try RemoteScript.withEnvironment(RemoteCommand("echo hi"), host: "h")
        XCTAssertEqual(script, "echo hi")
        XCTAssertNil(stdin)
    }

    func testBadNamesAndNULsAreRefused() {
        XCTAssertThrowsError(try RemoteScript.withEnvironment(RemoteCommand("true", environment: ["A-B": "x"]), host: "h"))
        XCTAssertThrowsError(try RemoteScript.withEnvironment(RemoteCommand("true", environment: ["A": "x\0y"]), host: "h"))
    }

    func testTheValueIsNotInAnyProcessArguments() throws {
        let canary = "Argv-Canary-\(UUID().uuidString.prefix(8))"
        let command = RemoteCommand("for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done | grep -c 'Argv-Canar[y]-' || true",
                                    environment: ["TOKEN": canary])
        let r = try LocalTransport().run(command)
        XCTAssertEqual(r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines), "0")
        let shown = try LocalTransport().run(RemoteCommand("echo \"$TOKEN\"", environment: ["TOKEN": canary]))
        XCTAssertEqual(shown.stdoutText, canary + "\n")
    }
}
