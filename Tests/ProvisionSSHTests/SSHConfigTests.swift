import Foundation
import ProvisionCore
@testable import ProvisionSSH
import ProvisionTestSupport
import XCTest

final class SSHConfigTests: SSHTestCase {
    private func writeConfig(_ server: SSHTestServer) throws -> String {
        let path = server.directory + "/ssh_config-\(UUID().uuidString.prefix(6))"
        try """
            Host alias-one
              HostName 127.0.0.9
              Port \(server.port)
              User \(server.user)
              IdentityFile \(server.keyPath)
            Host jumped
              HostName 127.0.0.10
              Port \(server.port)
              User \(server.user)
              IdentityFile \(server.keyPath)
              ProxyJump \(server.user)@127.0.0.11:\(server.port)

            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testHostNamePortUserAndIdentityComeFromSSHConfig() throws {
        let server = try server()
        let config = try writeConfig(server)
        let known = server.newKnownHostsPath()
        let factory = SSHTransportFactory(sshConfigFile: config, agentSocket: nil)
        let transport = try factory.connect(to: ConnectionTarget(name: "alias-one", knownHostsFile: known))
        defer { transport.close() }
        let result = try transport.run("id -un; echo $SSH_CONNECTION")
        let lines = result.stdoutText.split(separator: "\n")
        XCTAssertEqual(lines.first, Substring(server.user))
        XCTAssertEqual(lines.last?.split(separator: " ").dropFirst(2).first, "127.0.0.9")
    }

    func testInventoryValuesWinOverSSHConfig() throws {
        let server = try server()
        let config = try writeConfig(server)
        let factory = SSHTransportFactory(sshConfigFile: config, agentSocket: nil)
        // The user is set in the inventory; HostName and Port still come from ssh_config.
        let named = ConnectionTarget(name: "alias-one", user: server.passwordSudoUser,
                                     knownHostsFile: server.newKnownHostsPath())
        let first = try factory.connect(to: named)
        defer { first.close() }
        let lines = try first.run("id -un; echo $SSH_CONNECTION").stdoutText.split(separator: "\n")
        XCTAssertEqual(lines.first, Substring(server.passwordSudoUser))
        XCTAssertEqual(lines.last?.split(separator: " ").dropFirst(2).first, "127.0.0.9")
        // An explicit address wins over HostName (ssh is asked about the address, as Ansible does).
        let addressed = ConnectionTarget(name: "alias-one", address: "127.0.0.12", port: server.port,
                                         user: server.user, identityFiles: [server.keyPath],
                                         knownHostsFile: server.newKnownHostsPath())
        let second = try factory.connect(to: addressed)
        defer { second.close() }
        let connection = try second.run("echo $SSH_CONNECTION").stdoutText
        XCTAssertEqual(connection.split(separator: " ").dropFirst(2).first, "127.0.0.12")
    }

    func testUseSSHConfigFalseIgnoresIt() throws {
        let server = try server()
        let config = try writeConfig(server)
        let factory = SSHTransportFactory(sshConfigFile: config, agentSocket: nil)
        let target = ConnectionTarget(name: "alias-one", connectTimeout: 2, useSSHConfig: false)
        // Without the config, "alias-one" is not a resolvable host name.
        XCTAssertEqual(transportError { _ = try factory.connect(to: target) }?.kind, .unreachable)
    }

    func testProxyJumpThroughOneHost() throws {
        let server = try server()
        let config = try writeConfig(server)
        let known = server.newKnownHostsPath()
        let factory = SSHTransportFactory(sshConfigFile: config, agentSocket: nil)
        let transport = try factory.connect(to: ConnectionTarget(name: "jumped", knownHostsFile: known))
        defer { transport.close() }
        let lines = try transport.run("echo $SSH_CONNECTION").stdoutText.split(separator: " ")
        XCTAssertEqual(lines.dropFirst(2).first, "127.0.0.10")
        // Bytes both ways through the tunnel, more than one window's worth.
        let data = Data((0..<(3 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let path = "/tmp/provision-jump-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try transport.upload(data, to: path, mode: 0o600, become: nil)
        XCTAssertEqual(try transport.download(path, become: nil), data)
        let entries = try String(contentsOfFile: known, encoding: .utf8)
        XCTAssertTrue(entries.contains("[127.0.0.11]:\(server.port) "), entries)
        XCTAssertTrue(entries.contains("[127.0.0.10]:\(server.port) "), entries)
    }

    func testUnreachableJumpHostIsUnreachable() throws {
        let server = try server()
        let dead = try SSHTestServer.unusedPort()
        let path = server.directory + "/ssh_config-dead-jump"
        try "Host behind-dead\n  HostName 127.0.0.13\n  ProxyJump 127.0.0.1:\(dead)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let factory = SSHTransportFactory(sshConfigFile: path, agentSocket: nil)
        let target = ConnectionTarget(name: "behind-dead", port: server.port, user: server.user,
                                      identityFiles: [server.keyPath], knownHostsFile: server.newKnownHostsPath())
        let error = transportError { _ = try factory.connect(to: target) }
        XCTAssertEqual(error?.kind, .unreachable)
        XCTAssertEqual(error?.host, "behind-dead")
        XCTAssertTrue(error?.message.contains("jump host 127.0.0.1") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("port \(dead)") ?? false, error?.message ?? "")
    }

    func testFallbackParserFirstValueWinsAndNegation() throws {
        let path = NSTemporaryDirectory() + "ssh_config-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
            # comment
            Host web* !web-old
              HostName %h.example.test
              User deploy
              IdentityFile ~/.ssh/web_key
            Match host never
              User nobody
            Host *
              User fallback
              Port 2200
              IdentityFile ~/.ssh/other_key
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let web = SSHConfigParser.options(file: path, host: "web1")
        XCTAssertEqual(web.first { $0.0 == "hostname" }?.1, "web1.example.test")
        XCTAssertEqual(web.first { $0.0 == "user" }?.1, "deploy")
        XCTAssertEqual(web.first { $0.0 == "port" }?.1, "2200")
        XCTAssertEqual(web.filter { $0.0 == "identityfile" }.map(\.1), ["~/.ssh/web_key", "~/.ssh/other_key"])
        let old = SSHConfigParser.options(file: path, host: "web-old")
        XCTAssertEqual(old.first { $0.0 == "user" }?.1, "fallback")
        XCTAssertNil(old.first { $0.0 == "hostname" })
    }

    func testProxyJumpSpecParsing() {
        XCTAssertTrue(ProxyJumpTunnel.parse("admin@bastion:2222") == ("admin", "bastion", 2222))
        XCTAssertTrue(ProxyJumpTunnel.parse("bastion") == (nil, "bastion", nil))
        XCTAssertTrue(ProxyJumpTunnel.parse("u@[::1]:22,second") == ("u", "::1", 22))
    }
}
