import Foundation
import X509
import XCTest
@testable import ProvisionCore
import ProvisionTestSupport

/// The controller's TLS directory in a real temporary directory: what is created, with which
/// modes, what a second run reuses, what makes a certificate new, and many hosts at once.
final class DockerTLSAuthorityTests: XCTestCase {
    var dir = ""
    let names = ["172.30.213.11", "node1", "127.0.0.1", "localhost"]

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "provision-tls-" + UUID().uuidString.prefix(8) + "/docker-tls"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent)
    }

    func mode(_ rel: String) -> Int? { ControllerFile.mode(of: dir + "/" + rel) }
    func text(_ rel: String) throws -> String { try XCTUnwrap(try ControllerFile.read(dir + "/" + rel), rel) }

    func testFirstRunCreatesEverythingWithPrivateModesAndSecondRunReusesIt() throws {
        let a = DockerTLSAuthority(directory: dir)
        let first = try a.prepare(host: "node1", names: names, write: true)
        XCTAssertEqual(first.actions.count, 3, "\(first.actions)")
        XCTAssertTrue(first.actions[0].hasPrefix("created a CA"))
        XCTAssertEqual(mode(""), 0o700)
        XCTAssertEqual(mode("ca-key.pem"), 0o600)
        XCTAssertEqual(mode("ca.pem"), 0o644)
        XCTAssertEqual(mode("hosts/node1/server-key.pem"), 0o600)
        XCTAssertEqual(mode("hosts/node1/server-cert.pem"), 0o644)
        XCTAssertEqual(mode("client/key.pem"), 0o600)
        XCTAssertEqual(mode("client/cert.pem"), 0o644)
        XCTAssertEqual(try text("client/ca.pem"), try text("ca.pem"))
        XCTAssertEqual(first.caPEM, try text("ca.pem"))
        XCTAssertEqual(first.serverCertificatePEM, try text("hosts/node1/server-cert.pem"))
        XCTAssertEqual(first.serverKey?.reveal(), try text("hosts/node1/server-key.pem"))
        XCTAssertTrue(try text("ca-key.pem").contains("PRIVATE KEY"))
        // No action line names key material.
        XCTAssertFalse(first.actions.joined().contains("PRIVATE"))
        // No temporary file left behind.
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: dir).filter { $0.contains(".provision-tmp") }
        XCTAssertEqual(leftovers, [])

        let caBefore = try text("ca.pem"), keyBefore = try text("ca-key.pem")
        let second = try DockerTLSAuthority(directory: dir).prepare(host: "node1", names: names.reversed(), write: true)
        XCTAssertEqual(second.actions, [])
        XCTAssertEqual(second.serverCertificatePEM, first.serverCertificatePEM)
        XCTAssertEqual(second.serverKey, first.serverKey)
        XCTAssertEqual(try text("ca.pem"), caBefore)
        XCTAssertEqual(try text("ca-key.pem"), keyBefore)
    }

    func testCheckModeWritesNothingAndSaysWhatItWouldDo() throws {
        let a = DockerTLSAuthority(directory: dir)
        let planned = try a.prepare(host: "node1", names: names, write: false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir))
        XCTAssertNil(planned.caPEM)
        XCTAssertNil(planned.serverKey)
        XCTAssertTrue(planned.actions.contains { $0.contains("would create a CA") }, "\(planned.actions)")

        _ = try a.prepare(host: "node1", names: names, write: true)
        let converged = try a.prepare(host: "node1", names: names, write: false)
        XCTAssertEqual(converged.actions, [])
        XCTAssertNotNil(converged.serverKey)
        let newName = try a.prepare(host: "node1", names: names + ["pi.example"], write: false)
        XCTAssertEqual(newName.actions, ["would issue a server certificate for node1"])
        XCTAssertNil(newName.serverCertificatePEM)
    }

    func testServerCertificateIsReplacedWhenNamesChangeOrItNearsItsEnd() throws {
        let a = DockerTLSAuthority(directory: dir)
        let first = try a.prepare(host: "node1", names: names, write: true)
        let renamed = try a.prepare(host: "node1", names: names + ["10.0.0.9"], write: true)
        XCTAssertEqual(renamed.actions.count, 1)
        XCTAssertTrue(renamed.actions[0].contains("names differ"), renamed.actions[0])
        XCTAssertNotEqual(renamed.serverCertificatePEM, first.serverCertificatePEM)
        XCTAssertNotEqual(renamed.serverKey, first.serverKey)

        let late = Date() + DockerCertificates.leafLifetime - 10 * 86_400
        let renewed = try a.prepare(host: "node1", names: names + ["10.0.0.9"], write: true, now: late)
        XCTAssertTrue(renewed.actions.contains { $0.contains("server certificate") && $0.contains("expires") }, "\(renewed.actions)")
        XCTAssertTrue(renewed.actions.contains { $0.contains("client certificate") && $0.contains("expires") }, "\(renewed.actions)")
        XCTAssertFalse(renewed.actions.contains { $0.contains("created a CA") })
    }

    func testAnExistingCAIsNeverReplaced() throws {
        // A CA made elsewhere (another process, or the user's own) is used as it is.
        let theirs = try DockerCertificates.makeAuthority()
        try ControllerFile.ensureDirectory(dir)
        XCTAssertTrue(try ControllerFile.createOnce(Data(try theirs.key.serializeAsPEM().pemString.utf8), at: dir + "/ca-key.pem", mode: 0o600))
        XCTAssertTrue(try ControllerFile.createOnce(Data(try theirs.certificatePEM.utf8), at: dir + "/ca.pem", mode: 0o644))
        XCTAssertFalse(try ControllerFile.createOnce(Data("other".utf8), at: dir + "/ca.pem", mode: 0o644), "createOnce replaced a file")
        let m = try DockerTLSAuthority(directory: dir).prepare(host: "node1", names: names, write: true)
        XCTAssertEqual(m.caPEM, try theirs.certificatePEM)
        XCTAssertFalse(m.actions.contains { $0.contains("CA") && $0.hasPrefix("created") })
        let cert = try Certificate(pemEncoded: try XCTUnwrap(m.serverCertificatePEM))
        XCTAssertTrue(theirs.certificate.publicKey.isValidSignature(cert.signature, for: cert))
    }

    func testAHalfMadeCAIsFinishedOrRefused() throws {
        // Key without certificate (a run stopped between the two): the key is kept.
        let key = try DockerCertificates.makeAuthority().key
        let keyPEM = try key.serializeAsPEM().pemString
        try ControllerFile.ensureDirectory(dir)
        try ControllerFile.createOnce(Data(keyPEM.utf8), at: dir + "/ca-key.pem", mode: 0o600)
        let m = try DockerTLSAuthority(directory: dir).prepare(host: "node1", names: names, write: true)
        XCTAssertEqual(try text("ca-key.pem"), keyPEM)
        XCTAssertEqual(try Certificate(pemEncoded: try text("ca.pem")).publicKey, key.publicKey)
        XCTAssertNotNil(m.serverKey)

        // Certificate without key: nothing can be signed; the message says what to do.
        try FileManager.default.removeItem(atPath: dir + "/ca-key.pem")
        XCTAssertThrowsError(try DockerTLSAuthority(directory: dir).prepare(host: "node2", names: names, write: true)) { e in
            XCTAssertTrue("\(e)".contains("ca-key.pem") && "\(e)".contains("move"), "\(e)")
        }
    }

    func testManyHostsAtOnceMakeOneCA() throws {
        let hosts = (1...16).map { "node\($0)" }
        var results: [String: Result<DockerTLSMaterial, Error>] = [:]
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: hosts.count) { i in
            // A new authority value per host, as each host's task builds its own.
            let r = Result { try DockerTLSAuthority(directory: dir).prepare(host: hosts[i], names: [hosts[i], "127.0.0.1"], write: true) }
            lock.lock(); results[hosts[i]] = r; lock.unlock()
        }
        let materials = try results.mapValues { try $0.get() }
        XCTAssertEqual(Set(materials.values.compactMap(\.caPEM)).count, 1, "every host got the same CA")
        XCTAssertEqual(materials.values.filter { $0.actions.contains { $0.hasPrefix("created a CA") } }.count, 1)
        XCTAssertEqual(materials.values.filter { $0.actions.contains { $0.contains("client certificate") } }.count, 1)
        let ca = try DockerCertificates.Authority(certificatePEM: try text("ca.pem"), keyPEM: Secret(try text("ca-key.pem")))
        for h in hosts {
            let m = try XCTUnwrap(materials[h])
            XCTAssertNil(DockerCertificates.replacementReason(certificatePEM: try XCTUnwrap(m.serverCertificatePEM),
                                                              keyPEM: try XCTUnwrap(m.serverKey), names: [h, "127.0.0.1"], ca: ca), h)
        }
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir + "/hosts")), Set(hosts))
    }

    /// The lock is a real `flock`, so another process (here flock(1)) cannot take it meanwhile.
    func testTheLockExcludesOtherProcesses() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/flock"), "no flock(1)")
        try ControllerFile.ensureDirectory(dir)
        let inside = try ControllerFile.withLock(in: dir) {
            try TestCommand.run("/usr/bin/flock", ["-n", dir + "/.lock", "true"]).status
        }
        XCTAssertNotEqual(inside, 0, "another process took the lock while it was held")
        XCTAssertEqual(try TestCommand.run("/usr/bin/flock", ["-n", dir + "/.lock", "true"]).status, 0, "the lock was not released")
    }

    func testHostDirectoryNamesStayInsideTheDirectory() {
        let a = DockerTLSAuthority(directory: "/t")
        XCTAssertEqual(a.hostDirectory("node1"), "/t/hosts/node1")
        XCTAssertEqual(a.hostDirectory("../../etc"), "/t/hosts/.._.._etc")
        XCTAssertEqual(a.hostDirectory(".."), "/t/hosts/_")
    }

    /// The files work with an independent TLS stack: OpenSSL serves with the server
    /// certificate and requires a client certificate; curl with the client files gets in,
    /// curl without them is refused — what dockerd with `--tlsverify` does.
    func testOpenSSLServerAcceptsTheClientCertificateAndRefusesNone() throws {
        for tool in ["/usr/bin/openssl", "/usr/bin/curl"] {
            try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: tool), "\(tool) missing")
        }
        let a = DockerTLSAuthority(directory: dir)
        _ = try a.prepare(host: "node1", names: ["node1", "127.0.0.1", "localhost"], write: true)
        let verify = try TestCommand.run("/usr/bin/openssl", ["verify", "-CAfile", dir + "/ca.pem", "-purpose", "sslserver",
                                                              dir + "/hosts/node1/server-cert.pem"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let clientVerify = try TestCommand.run("/usr/bin/openssl", ["verify", "-CAfile", dir + "/ca.pem", "-purpose", "sslclient",
                                                                    dir + "/client/cert.pem"])
        XCTAssertEqual(clientVerify.status, 0, clientVerify.stdout + clientVerify.stderr)

        let port = try SSHTestServer.unusedPort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-quiet", "-www", "-accept", "127.0.0.1:\(port)",
                            "-cert", dir + "/hosts/node1/server-cert.pem", "-key", dir + "/hosts/node1/server-key.pem",
                            "-CAfile", dir + "/ca.pem", "-Verify", "1"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        var up = false
        for _ in 0..<50 where !up {
            up = SSHTestServer.canConnect(port: port)
            if !up { usleep(100_000) }
        }
        XCTAssertTrue(up, "openssl s_server did not listen")
        let url = "https://127.0.0.1:\(port)/"
        let ok = try TestCommand.run("/usr/bin/curl", ["-sS", "--max-time", "10", "--cacert", dir + "/client/ca.pem",
                                                       "--cert", dir + "/client/cert.pem", "--key", dir + "/client/key.pem", url])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("s_server"), ok.stdout)
        let refused = try TestCommand.run("/usr/bin/curl", ["-sS", "--max-time", "10", "--cacert", dir + "/client/ca.pem", url])
        XCTAssertNotEqual(refused.status, 0, "a client without a certificate got in: \(refused.stdout)")
    }
}
