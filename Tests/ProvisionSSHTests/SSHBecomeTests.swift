import Foundation
import ProvisionCore
import ProvisionSSH
import ProvisionTestSupport
import XCTest

final class SSHBecomeTests: SSHTestCase {
    func testSudoWithoutPassword() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let result = try transport.run(RemoteCommand("id -un; cat; echo \"$FOO\" >&2", stdin: Data("input\n".utf8),
                                                     become: Become(), environment: ["FOO": "bar baz"]))
        XCTAssertEqual(result.status, 0, result.stderrText)
        XCTAssertEqual(result.stdoutText, "root\ninput\n")
        XCTAssertEqual(result.stderrText, "bar baz\n")
    }

    func testSudoWithPasswordSentOnlyOnStdin() throws {
        let server = try server()
        let transport = try connect(server.target(user: server.passwordSudoUser))
        defer { transport.close() }
        let become = Become(user: "root", password: Secret(server.password))
        // The password must appear in no process's argv or environment while the command runs;
        // grep takes the needle from stdin so that its own argv does not hold it either.
        let result = try transport.run(RemoteCommand(
            "id -un; read -r line; echo \"$line\"; "
                + "grep -l -a -F -f /dev/stdin /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null | wc -l",
            stdin: Data("after-password\n\(server.password)\n".utf8), become: become))
        XCTAssertEqual(result.status, 0, result.stderrText)
        XCTAssertEqual(result.stdoutText.replacingOccurrences(of: " ", with: ""), "root\nafter-password\n0\n")
        XCTAssertFalse(result.stderrText.contains("password"), result.stderrText)
    }

    func testWrongSudoPasswordFailsQuickly() throws {
        let server = try server()
        let transport = try connect(server.target(user: server.passwordSudoUser))
        defer { transport.close() }
        let started = Date()
        let error = transportError {
            _ = try transport.run(RemoteCommand("id -un", become: Become(password: Secret("wrong-sudo-pw-42"))))
        }
        XCTAssertEqual(error?.kind, .become)
        XCTAssertTrue(error?.message.contains("incorrect sudo password") ?? false, error?.message ?? "")
        XCTAssertFalse(error?.message.contains("wrong-sudo-pw-42") ?? true)
        XCTAssertLessThan(Date().timeIntervalSince(started), 15)
        // The session survives a refused become.
        XCTAssertEqual(try transport.run("echo still-here").stdoutText, "still-here\n")
    }

    func testMissingSudoPasswordSaysOneIsNeeded() throws {
        let server = try server()
        let transport = try connect(server.target(user: server.passwordSudoUser))
        defer { transport.close() }
        let error = transportError { _ = try transport.run(RemoteCommand("id -un", become: Become())) }
        XCTAssertEqual(error?.kind, .become)
        XCTAssertTrue(error?.message.contains("--ask-become-pass") ?? false, error?.message ?? "")
    }

    func testFailingCommandUnderSudoIsAResultNotABecomeError() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let result = try transport.run(RemoteCommand("echo oops >&2; exit 7", become: Become()))
        XCTAssertEqual(result.status, 7)
        XCTAssertEqual(result.stderrText, "oops\n")
    }

    func testUploadAndDownloadWithBecome() throws {
        let server = try server()
        let transport = try connect(server.target(user: server.passwordSudoUser))
        defer { transport.close() }
        let become = Become(password: Secret(server.password))
        let path = "/root/provision-become-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try transport.upload(Data("secret content\n".utf8), to: path, mode: 0o600, become: become)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.ownerAccountID] as? NSNumber)?.intValue, 0)
        XCTAssertEqual(try transport.download(path, become: become), Data("secret content\n".utf8))
        XCTAssertEqual(transportError { _ = try transport.download(path, become: nil) }?.kind, .failed)
    }

    func testTimeoutUnderSudoEndsTheCommand() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let marker = "provision-sudo-timeout-\(UUID().uuidString.prefix(8))"
        let error = transportError {
            _ = try transport.run(RemoteCommand("sleep 200 # \(marker)", timeout: 1, become: Become()))
        }
        XCTAssertEqual(error?.kind, .timeout)
        let check = try transport.run("pgrep -f '[p]\(marker.dropFirst())' || echo none")
        XCTAssertEqual(check.stdoutText, "none\n")
    }
}
