import Foundation
import ProvisionCore
import ProvisionSSH
import ProvisionTestSupport
import XCTest

final class SSHAuthenticationTests: SSHTestCase {
    private func whoami(_ target: ConnectionTarget, factory: SSHTransportFactory? = nil) throws -> String {
        let transport = try (factory ?? self.factory).connect(to: target)
        defer { transport.close() }
        return try transport.run("id -un").stdoutText
    }

    func testEd25519Key() throws {
        let server = try server()
        XCTAssertEqual(try whoami(server.target(identityFiles: [server.keyPath])), "\(server.user)\n")
    }

    func testECDSAKey() throws {
        let server = try server()
        XCTAssertEqual(try whoami(server.target(identityFiles: [server.ecdsaKeyPath])), "\(server.user)\n")
    }

    func testEncryptedKeyWithPassphrase() throws {
        let server = try server()
        var target = server.target(identityFiles: [server.encryptedKeyPath])
        target.passphrase = Secret(server.passphrase)
        XCTAssertEqual(try whoami(target), "\(server.user)\n")
    }

    func testEncryptedKeyWithoutPassphraseSaysSo() throws {
        let server = try server()
        let target = server.target(identityFiles: [server.encryptedKeyPath])
        let error = transportError { _ = try whoami(target) }
        XCTAssertEqual(error?.kind, .authentication)
        XCTAssertTrue(error?.message.contains("is encrypted and no passphrase was given") ?? false, error?.message ?? "")
    }

    func testWrongPassphraseIsReportedWithoutTheSecret() throws {
        let server = try server()
        var target = server.target(identityFiles: [server.encryptedKeyPath])
        target.passphrase = Secret("not-the-passphrase-123")
        let error = transportError { _ = try whoami(target) }
        XCTAssertEqual(error?.kind, .authentication)
        let message = error?.message ?? ""
        XCTAssertTrue(message.contains("wrong passphrase?"), message)
        XCTAssertFalse(message.contains("not-the-passphrase-123"), message)
    }

    func testAgentIdentity() throws {
        let server = try server()
        let agent = try server.startAgent()
        defer { agent.stop() }
        // No identity file at all: only the agent's key can let us in.
        let target = server.target(identityFiles: [])
        let withAgent = SSHTransportFactory(agentSocket: agent.socketPath)
        XCTAssertEqual(try whoami(target, factory: withAgent), "\(server.user)\n")
        let error = transportError { _ = try whoami(target, factory: SSHTransportFactory(agentSocket: nil)) }
        XCTAssertEqual(error?.kind, .authentication)
    }

    func testPasswordAuthentication() throws {
        let server = try server()
        var target = server.target(identityFiles: [])
        target.password = Secret(server.password)
        XCTAssertEqual(try whoami(target), "\(server.user)\n")
    }

    func testKeyboardInteractiveWithThePassword() throws {
        let server = try server()
        var target = server.target(identityFiles: [], knownHosts: server.newKnownHostsPath())
        target.port = try server.keyboardInteractivePort()
        target.password = Secret(server.password)
        XCTAssertEqual(try whoami(target), "\(server.user)\n")
        target.password = Secret("wrong-kbd-password")
        let error = transportError { _ = try whoami(target) }
        XCTAssertEqual(error?.kind, .authentication)
        XCTAssertTrue(error?.message.contains("keyboard-interactive") ?? false, error?.message ?? "")
        XCTAssertFalse(error?.message.contains("wrong-kbd-password") ?? true)
    }

    func testFailureListsMethodsTriedAndHoldsNoSecret() throws {
        let server = try server()
        var target = server.target(identityFiles: [server.dummyKeyPath()])
        target.password = Secret("wrong-password-xyz")
        let started = Date()
        let error = transportError { _ = try whoami(target) }
        XCTAssertEqual(error?.kind, .authentication)
        let message = error?.message ?? ""
        XCTAssertTrue(message.contains("key \(server.dummyKeyPath())"), message)
        XCTAssertTrue(message.contains("password"), message)
        XCTAssertTrue(message.contains("the server accepts: publickey"), message)
        XCTAssertFalse(message.contains("wrong-password-xyz"), message)
        XCTAssertFalse(String(describing: error as Any).contains("wrong-password-xyz"))
        // Not retried: one password attempt costs sshd's single failure delay, not several.
        XCTAssertLessThan(Date().timeIntervalSince(started), 8)
    }

    func testRSAKeyRefusalExplainsTheLibraryLimit() throws {
        let server = try server()
        let rsa = server.directory + "/id_rsa_\(UUID().uuidString.prefix(6))"
        try TestCommand.check("/usr/bin/ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa])
        try server.authorize(rsa + ".pub")
        let target = server.target(identityFiles: [rsa])
        do {
            let name = try whoami(target)
            // libssh2 ≥ 1.11 signs with rsa-sha2: then the key simply works.
            XCTAssertEqual(name, "\(server.user)\n")
        } catch let error as TransportError {
            XCTAssertEqual(error.kind, .authentication)
            XCTAssertTrue(error.message.contains("is an RSA key"), error.message)
            XCTAssertTrue(error.message.contains("ed25519"), error.message)
            XCTAssertTrue(error.message.contains("1.11"), error.message)
        }
    }
}
