import Foundation
import ProvisionCore
import ProvisionSSH
import ProvisionTestSupport
import XCTest

/// `reconnect(timeout:)` against the real loopback sshd: a new session in place, after a
/// killed session, while the host refuses connections for a while, and when nothing answers.
final class SSHReconnectTests: SSHTestCase {
    func reconnectable(_ target: ConnectionTarget, factory: SSHTransportFactory? = nil) throws -> ReconnectableTransport {
        let transport = try (factory ?? self.factory).connect(to: target)
        guard let reconnectable = transport as? ReconnectableTransport else {
            transport.close()
            throw XCTSkip("SSHTransport is not a ReconnectableTransport")
        }
        return reconnectable
    }

    /// The pid of the sshd process serving the transport's current session.
    func sessionPID(_ transport: Transport) throws -> Int32 {
        let text = try transport.run("echo $PPID").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = Int32(text), pid > 1 else { throw XCTSkip("no sshd pid in '\(text)'") }
        return pid
    }

    /// Whether `pid` still exists, waiting up to `seconds` for it to go away.
    func stillRunning(_ pid: Int32, within seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if kill(pid, 0) != 0 && errno == ESRCH { return false }
            usleep(50_000)
        }
        return true
    }

    /// An ssh_config that sends host `alias-reconnect` to 127.0.0.1 on `port`.
    func writeConfig(_ path: String, port: Int, server: SSHTestServer) throws {
        try """
            Host alias-reconnect
              HostName 127.0.0.1
              Port \(port)
              User \(server.user)
              IdentityFile \(server.keyPath)

            """.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func testReconnectOpensANewSessionUsedByLaterCommands() throws {
        let server = try server()
        let transport = try reconnectable(server.target())
        defer { transport.close() }
        let before = try sessionPID(transport)
        try transport.reconnect(timeout: 10)
        let after = try sessionPID(transport)
        XCTAssertNotEqual(before, after, "a new sshd child serves the new session")
        XCTAssertEqual(try transport.run("echo again").stdoutText, "again\n")
        // The old session was really closed, not leaked.
        XCTAssertFalse(stillRunning(before, within: 10), "the old session's sshd process is gone")
    }

    func testReconnectAfterTheSessionWasKilledFromTheHost() throws {
        let server = try server()
        let transport = try reconnectable(server.target())
        defer { transport.close() }
        let before = try sessionPID(transport)
        // Kills the sshd process serving this very session, as a reboot would.
        _ = try? transport.run("kill $PPID; sleep 5")
        XCTAssertFalse(stillRunning(before, within: 10))
        let dead = transportError { _ = try transport.run("true") }
        XCTAssertEqual(dead?.kind, .unreachable, "the killed session is not usable")
        try transport.reconnect(timeout: 10)
        let after = try sessionPID(transport)
        XCTAssertNotEqual(before, after)
        XCTAssertEqual(try transport.run("id -un").stdoutText, server.user + "\n")
    }

    func testReconnectRetriesWhileTheHostRefusesConnections() throws {
        let server = try server()
        let config = server.directory + "/ssh_config-reconnect-\(UUID().uuidString.prefix(8))"
        try writeConfig(config, port: server.port, server: server)
        let factory = SSHTransportFactory(sshConfigFile: config, agentSocket: nil)
        let transport = try reconnectable(ConnectionTarget(name: "alias-reconnect", knownHostsFile: server.knownHostsPath,
                                                           connectTimeout: 5),
                                          factory: factory)
        defer { transport.close() }
        let before = try sessionPID(transport)
        // The "host" refuses connections (nothing listens there) until the config points back.
        try writeConfig(config, port: try SSHTestServer.unusedPort(), server: server)
        let restored = expectation(description: "config restored")
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
            try? self.writeConfig(config, port: server.port, server: server)
            restored.fulfill()
        }
        let started = Date()
        try transport.reconnect(timeout: 30)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1.9, "it connected only once the host was back")
        wait(for: [restored], timeout: 5)
        XCTAssertNotEqual(try sessionPID(transport), before)
    }

    func testReconnectWhereNothingListensEndsUnreachableAfterTheTimeout() throws {
        let server = try server()
        let config = server.directory + "/ssh_config-reconnect-\(UUID().uuidString.prefix(8))"
        try writeConfig(config, port: server.port, server: server)
        let factory = SSHTransportFactory(sshConfigFile: config, agentSocket: nil)
        let transport = try reconnectable(ConnectionTarget(name: "alias-reconnect", knownHostsFile: server.knownHostsPath),
                                          factory: factory)
        defer { transport.close() }
        XCTAssertEqual(try transport.run("echo up").stdoutText, "up\n")
        try writeConfig(config, port: try SSHTestServer.unusedPort(), server: server)
        let started = Date()
        let error = transportError { try transport.reconnect(timeout: 3) }
        let waited = Date().timeIntervalSince(started)
        XCTAssertEqual(error?.kind, .unreachable)
        XCTAssertEqual(error?.host, "alias-reconnect")
        XCTAssertTrue(error?.message.contains("alias-reconnect") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("within 3 s") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("refused") ?? false, error?.message ?? "")
        XCTAssertGreaterThanOrEqual(waited, 2.9, "it kept trying for the whole timeout")
        XCTAssertLessThan(waited, 20, "it gave up instead of hanging")
        // Later commands fail fast with the reason; a later reconnect may still succeed.
        XCTAssertEqual(transportError { _ = try transport.run("true") }?.kind, .unreachable)
        try writeConfig(config, port: server.port, server: server)
        try transport.reconnect(timeout: 10)
        XCTAssertEqual(try transport.run("echo back").stdoutText, "back\n")
    }

    func testReconnectAfterCloseIsRefused() throws {
        let server = try server()
        let transport = try reconnectable(server.target())
        transport.close()
        XCTAssertEqual(transportError { try transport.reconnect(timeout: 1) }?.kind, .failed)
    }

    /// The reboot module's wait loop through SSH with a stand-in reboot: the "reboot" writes a
    /// new boot id and kills the sshd process serving the session, so the module must
    /// reconnect to read the new id.
    func testRebootModuleWaitsThroughAKilledSession() throws {
        let server = try server()
        let transport = try reconnectable(server.target())
        defer { transport.close() }
        let dir = try transport.run("mktemp -d").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(dir.isEmpty)
        defer { _ = try? transport.run("rm -rf \(Shell.quote(dir))") }
        let id = Shell.quote(dir + "/boot_id")
        XCTAssertTrue(try transport.run("echo old-boot > \(id)").succeeded)
        let before = try sessionPID(transport)
        let module = try RebootModule(arguments: ModuleArguments([
            "boot_time_command": .string("cat \(id)"),
            "reboot_command": .string("echo new-boot > \(id); kill \(before)"),
            "test_command": .string("test -s \(id)"),
            "post_reboot_delay": 1, "connect_timeout": 5, "reboot_timeout": 60,
        ], spec: RebootModule.argumentSpec))
        let result = try module.run(in: HostContext(host: "127.0.0.1", transport: transport))
        XCTAssertTrue(result.changed, "\(result)")
        XCTAssertFalse(result.failed, result.message ?? "")
        XCTAssertEqual(result.data["rebooted"], true)
        XCTAssertFalse(stillRunning(before, within: 10), "the stand-in reboot killed the old session")
        XCTAssertNotEqual(try sessionPID(transport), before)
        XCTAssertEqual(try transport.run("cat \(id)").stdoutText, "new-boot\n")
    }
}
