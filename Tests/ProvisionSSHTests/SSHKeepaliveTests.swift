import Foundation
import ProvisionCore
import ProvisionSSH
import ProvisionTestSupport
import XCTest

final class SSHKeepaliveTests: SSHTestCase {
    func testHostThatFallsSilentAfterLoginEndsAsUnreachable() throws {
        let server = try server()
        var target = server.target()
        target.keepaliveInterval = 1
        let transport = try connect(target)
        defer { transport.close() }
        // The sshd process serving this session; stopping it makes the host silent mid-session.
        guard let pid = Int32(try transport.run("echo $PPID").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return XCTFail("no sshd pid")
        }
        kill(pid, SIGSTOP)
        defer { kill(pid, SIGKILL); kill(pid, SIGCONT) }
        let started = Date()
        let error = transportError { _ = try transport.run("echo never") }
        XCTAssertEqual(error?.kind, .unreachable)
        XCTAssertTrue(error?.message.contains("keepalive") ?? false, error?.message ?? "")
        XCTAssertLessThan(Date().timeIntervalSince(started), 9, "three missed keepalives, not the 10 s setup limit")
        // The dead session is dropped: the next call fails at once instead of waiting again.
        let again = transportError { _ = try transport.run("true") }
        XCTAssertEqual(again?.kind, .unreachable)
        XCTAssertTrue(again?.message.contains("lost earlier") ?? false, again?.message ?? "")
    }
}
