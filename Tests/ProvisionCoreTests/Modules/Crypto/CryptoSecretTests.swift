import Foundation
import XCTest
@testable import ProvisionCore

/// Passphrases and private keys given to the crypto modules reach the host on stdin only:
/// never in a command line (every user of the host can read those in the process list), and
/// never in a result; and a task costs one command.
final class CryptoSecretTests: ModuleTestCase {
    /// A real LocalTransport that remembers every command line it ran.
    final class RecordingTransport: Transport {
        let inner = LocalTransport(hostName: "local", defaultTimeout: 120)
        var lines: [String] = []
        var hostName: String { inner.hostName }
        func run(_ command: RemoteCommand) throws -> CommandResult { lines.append(command.line); return try inner.run(command) }
        func upload(_ data: Data, to path: String, mode: Int, become: Become?) throws {
            try inner.upload(data, to: path, mode: mode, become: become)
        }
        func download(_ path: String, become: Become?) throws -> Data { try inner.download(path, become: become) }
        func close() { inner.close() }
    }

    func testSecretsTravelOnStdinOnly() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs openssl")
        let recorder = RecordingTransport()
        let secret = "pv-Secret-\(UUID().uuidString.prefix(8))"
        func run(_ key: String, _ args: [String: Value]) throws -> ModuleResult {
            let type = try XCTUnwrap(ModuleRegistry.lookup(key))
            let before = recorder.lines.count
            let r = try ModuleRegistry.make(type, arguments: args)
                .run(in: HostContext(host: "local", transport: recorder, checkMode: false, diffMode: false, controllerBaseDirectory: dir))
            XCTAssertFalse(r.failed, "\(key): \(r.message ?? "")")
            XCTAssertEqual(recorder.lines.count - before, 1, "\(key) costs one command")
            XCTAssertFalse(r.registered.jsonString.contains(secret), "\(key) result")
            return r
        }
        let key = path("ca.key")
        try run("openssl_privatekey", ["path": .string(key), "type": "ECC", "curve": "secp256r1",
                                       "passphrase": .string(secret), "cipher": "auto"])
        XCTAssertTrue(read(key)?.contains("ENCRYPTED") ?? false)
        XCTAssertFalse(try run("openssl_privatekey", ["path": .string(key), "type": "ECC", "curve": "secp256r1",
                                                      "passphrase": .string(secret), "cipher": "auto"]).changed)
        try run("openssl_publickey", ["path": .string(path("ca.pub")), "privatekey_path": .string(key),
                                      "privatekey_passphrase": .string(secret)])
        try run("openssl_csr", ["path": .string(path("ca.csr")), "privatekey_path": .string(key),
                                "privatekey_passphrase": .string(secret), "common_name": "CA"])
        let cert = try run("x509_certificate", ["path": .string(path("ca.crt")), "provider": "selfsigned",
                                                "privatekey_path": .string(key), "privatekey_passphrase": .string(secret),
                                                "csr_path": .string(path("ca.csr"))])
        XCTAssertTrue(cert.changed)
        // A plain key given as content: it must not show up in a command line either.
        let plain = try sh("openssl genpkey -algorithm ED25519").stdoutText
        let body = plain.split(separator: "\n").dropFirst().first.map(String.init) ?? "missing"
        try run("openssl_publickey", ["path": .string(path("c.pub")), "privatekey_content": .string(plain)])
        for line in recorder.lines {
            XCTAssertFalse(line.contains(secret), "a passphrase in a command line")
            XCTAssertFalse(line.contains(body), "a private key in a command line")
        }
        XCTAssertEqual(try sh("ls -A \(Shell.quote(dir)) | sort | tr '\\n' ' '").stdoutText,
                       "c.pub ca.crt ca.csr ca.key ca.pub ", "no temporary files left beside the results")
    }
}
