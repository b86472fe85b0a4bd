import Foundation
import ProvisionCore
import ProvisionSSH
import ProvisionTestSupport
import XCTest

final class SSHHostKeyTests: SSHTestCase {
    private func keygenFind(_ name: String, in file: String) throws -> TestCommand.Output {
        try TestCommand.run("/usr/bin/ssh-keygen", ["-F", name, "-f", file])
    }

    func testAcceptNewRecordsAKeyThatSSHKeygenFinds() throws {
        let server = try server()
        let file = server.newKnownHostsPath()
        let transport = try connect(server.target(address: "127.0.0.3", knownHosts: file))
        transport.close()
        let found = try keygenFind("[127.0.0.3]:\(server.port)", in: file)
        let contents = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        XCTAssertEqual(found.status, 0, "ssh-keygen -F did not find the entry:\n\(contents)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(server.hostPublicKeys.contains { lines[0] == "[127.0.0.3]:\(server.port) \($0)" }, String(lines[0]))
        // Known now: a second connection adds nothing, and OpenSSH's own client agrees.
        try connect(server.target(address: "127.0.0.3", knownHosts: file, hostKeyChecking: .strict)).close()
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").count, 1)
        let ssh = try TestCommand.run("/usr/bin/ssh", [
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=\(file)",
            "-o", "GlobalKnownHostsFile=/dev/null", "-F", "/dev/null", "-i", server.keyPath,
            "-p", String(server.port), "\(server.user)@127.0.0.3", "echo via-openssh"])
        XCTAssertEqual(ssh.stdout, "via-openssh\n", ssh.stderr)
    }

    func testStrictRefusesAnUnknownHost() throws {
        let server = try server()
        let file = server.newKnownHostsPath()
        let error = transportError {
            _ = try connect(server.target(address: "127.0.0.4", knownHosts: file, hostKeyChecking: .strict))
        }
        XCTAssertEqual(error?.kind, .hostKey)
        XCTAssertTrue(error?.message.contains("strict") ?? false, error?.message ?? "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: file), "strict must not record anything")
    }

    func testChangedKeyIsRefusedWithBothFingerprints() throws {
        let server = try server()
        let file = server.newKnownHostsPath()
        let name = "[127.0.0.5]:\(server.port)"
        // Learn the real key, then replace it with another key of the same type.
        try connect(server.target(address: "127.0.0.5", knownHosts: file)).close()
        let real = try String(contentsOfFile: file, encoding: .utf8)
        let realFields = real.split(separator: " ")
        let other = try otherKey(type: String(realFields[1]), server: server)
        try "# a comment\n\(name) \(other)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = transportError { _ = try connect(server.target(address: "127.0.0.5", knownHosts: file)) }
        XCTAssertEqual(error?.kind, .hostKey)
        let message = error?.message ?? ""
        let newPrint = try fingerprint(String(realFields[1]) + " " + String(realFields[2]), server: server)
        let oldPrint = try fingerprint(other, server: server)
        XCTAssertTrue(message.contains(newPrint), "new fingerprint \(newPrint) missing: \(message)")
        XCTAssertTrue(message.contains(oldPrint), "old fingerprint \(oldPrint) missing: \(message)")
        XCTAssertTrue(message.contains("\(file) line 2"), message)
        XCTAssertTrue(message.contains("ssh-keygen -R '\(name)' -f \(file)"), message)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "# a comment\n\(name) \(other)\n",
                       "a refused key must not be written")
    }

    func testOtherKeyTypeOnFileCountsAsChanged() throws {
        let server = try server()
        let file = server.newKnownHostsPath()
        // Only a key type the server does not have (ssh-rsa) is on file for this host.
        let other = try otherKey(type: "ssh-rsa", server: server)
        try "[127.0.0.6]:\(server.port) \(other)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = transportError { _ = try connect(server.target(address: "127.0.0.6", knownHosts: file)) }
        XCTAssertEqual(error?.kind, .hostKey)
        XCTAssertTrue(error?.message.contains("HOST KEY CHANGED") ?? false, error?.message ?? "")
    }

    func testHashedEntriesAndRevokedMarker() throws {
        let server = try server()
        let file = server.newKnownHostsPath()
        try connect(server.target(address: "127.0.0.7", knownHosts: file)).close()
        // ssh-keygen -H hashes the names in place: the hashed entry must still be recognised.
        try TestCommand.check("/usr/bin/ssh-keygen", ["-H", "-f", file])
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("|1|"))
        try connect(server.target(address: "127.0.0.7", knownHosts: file, hostKeyChecking: .strict)).close()
        // A revoked key is refused even though it is also listed as known.
        let line = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")[0]
        let key = line.split(separator: " ").dropFirst().joined(separator: " ")
        try "@revoked * \(key)\n\(line)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = transportError { _ = try connect(server.target(address: "127.0.0.7", knownHosts: file)) }
        XCTAssertEqual(error?.kind, .hostKey)
        XCTAssertTrue(error?.message.contains("@revoked") ?? false, error?.message ?? "")
    }

    func testOffChecksNothingAndRecordsNothing() throws {
        let server = try server()
        let file = server.newKnownHostsPath()
        try "[127.0.0.8]:\(server.port) \(try otherKey(type: "ssh-ed25519", server: server))\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        try connect(server.target(address: "127.0.0.8", knownHosts: file, hostKeyChecking: .off)).close()
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").count, 1)
    }

    func testTwentyParallelFirstContactsGiveTwentyEntries() throws {
        let server = try server()
        let file = server.newKnownHostsPath()
        try "# existing comment\n".write(toFile: file, atomically: true, encoding: .utf8)
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 20) { index in
            let address = "127.0.1.\(index + 1)"
            do {
                let transport = try factory.connect(to: server.target(address: address, knownHosts: file))
                results.append(.success(try transport.run("echo \(address)").stdoutText))
                transport.close()
            } catch {
                results.append(.failure(error))
            }
        }
        let outputs = results.values.compactMap { try? $0.get() }
        XCTAssertEqual(outputs.count, 20, "\(results.values)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "# existing comment")
        XCTAssertEqual(lines.count, 21, lines.joined(separator: "\n"))
        for index in 1...20 {
            let found = try keygenFind("[127.0.1.\(index)]:\(server.port)", in: file)
            XCTAssertEqual(found.status, 0, "127.0.1.\(index) missing")
            XCTAssertEqual(found.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }.count, 1,
                           "127.0.1.\(index) recorded more than once")
        }
    }

    /// "type base64" of a freshly generated key of `type`.
    private func otherKey(type: String, server: SSHTestServer) throws -> String {
        let path = server.directory + "/other-\(UUID().uuidString.prefix(6))"
        let keygenType = type.hasPrefix("ecdsa") ? "ecdsa" : type == "ssh-rsa" ? "rsa" : "ed25519"
        try TestCommand.check("/usr/bin/ssh-keygen", ["-q", "-t", keygenType, "-N", "", "-f", path])
        return try String(contentsOfFile: path + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
    }

    /// OpenSSH's SHA256 fingerprint of "type base64".
    private func fingerprint(_ key: String, server: SSHTestServer) throws -> String {
        let path = server.directory + "/fp-\(UUID().uuidString.prefix(6)).pub"
        try (key + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let output = try TestCommand.check("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", path]).stdout
        return String(output.split(separator: " ")[1])
    }
}
