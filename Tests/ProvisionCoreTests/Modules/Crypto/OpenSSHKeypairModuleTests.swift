import Foundation
import XCTest
@testable import ProvisionCore

/// `openssh_keypair` run for real on this machine (ssh-keygen); the differential run against
/// the collection itself is `CryptoTwinTests` (ProvisionCLITests).
final class OpenSSHKeypairModuleTests: ModuleTestCase {
    func testParsesKeygenOutputAndPublicFileAsTheCollection() {
        let s = SSHKeyState(keygenLine: "4096 SHA256:abc/def a comment with spaces (RSA)",
                            publicFile: "ssh-rsa AAAAB3 a comment with spaces")
        XCTAssertEqual(s.size, 4096)
        XCTAssertEqual(s.fingerprint, "SHA256:abc/def")
        XCTAssertEqual(s.type, "rsa")
        XCTAssertEqual(s.publicKeyFields?.data, "AAAAB3")
        XCTAssertEqual(s.publicKeyFields?.comment, "a comment with spaces")
        let bare = SSHKeyState(keygenLine: "not a key", publicFile: "ssh-ed25519")
        XCTAssertNil(bare.size)
        XCTAssertNil(bare.publicKeyFields)
        XCTAssertEqual(SSHKeyState().diffText, "{}\n")
    }

    func testSizeRules() throws {
        XCTAssertEqual(try OpenSSHKeypairModule.size(for: "rsa", given: nil), 4096)
        XCTAssertEqual(try OpenSSHKeypairModule.size(for: "ecdsa", given: nil), 256)
        XCTAssertEqual(try OpenSSHKeypairModule.size(for: "ed25519", given: 4096), 256)
        XCTAssertEqual(try OpenSSHKeypairModule.size(for: "dsa", given: nil), 1024)
        XCTAssertThrowsError(try OpenSSHKeypairModule.size(for: "rsa", given: 512))
        XCTAssertThrowsError(try OpenSSHKeypairModule.size(for: "ecdsa", given: 512))
        XCTAssertThrowsError(try OpenSSHKeypairModule.size(for: "dsa", given: 2048))
    }

    func testRefusesWhatCannotBeDoneWithoutPythonOnTheHost() {
        for extra: [String: Value] in [["passphrase": "secret"], ["backend": "cryptography"], ["private_key_format": "pkcs8"]] {
            var args: [String: Value] = ["path": .string(path("k"))]
            args.merge(extra) { $1 }
            XCTAssertThrowsError(try ModuleRegistry.make(OpenSSHKeypairModule.self, arguments: args)) { e in
                XCTAssertFalse("\(e)".contains("secret"), "\(e)")
            }
        }
    }

    func testGenerateKeepRestoreCommentAndRemove() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen"), "needs ssh-keygen")
        let k = path("id")
        let args: [String: Value] = ["path": .string(k), "type": "ed25519", "mode": "0600"]
        let checked = try run("community.crypto.openssh_keypair", args, check: true)
        XCTAssertTrue(checked.changed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: k))
        let made = try run("openssh_keypair", args, diff: true)
        XCTAssertTrue(made.changed, "\(made)")
        XCTAssertEqual(made.data["size"], .int(256))
        guard case .string(let fp)? = made.data["fingerprint"], case .string(let pub)? = made.data["public_key"] else {
            return XCTFail("\(made)")
        }
        XCTAssertTrue(fp.hasPrefix("SHA256:"))
        XCTAssertTrue(pub.hasPrefix("ssh-ed25519 "))
        XCTAssertEqual(made.diffs.first?.before, "{}\n")
        XCTAssertEqual(try mode(k), 0o600)
        XCTAssertEqual(try mode(k + ".pub"), 0o600, "mode applies to both files, as in the collection")
        XCTAssertFalse(try run("openssh_keypair", args).changed)
        // A lost .pub comes back from the private key, with the comment asked for.
        try FileManager.default.removeItem(atPath: k + ".pub")
        var commented = args
        commented["comment"] = "ops@pv"
        let restored = try run("openssh_keypair", commented)
        XCTAssertTrue(restored.changed)
        XCTAssertEqual(restored.data["fingerprint"], .string(fp), "restoring the .pub keeps the key")
        XCTAssertEqual(read(k + ".pub")?.hasSuffix(" ops@pv\n"), true, read(k + ".pub") ?? "")
        XCTAssertFalse(try run("openssh_keypair", commented).changed)
        // Another type is a new key; absent removes both files.
        let ecdsa = try run("openssh_keypair", ["path": .string(k), "type": "ecdsa"])
        XCTAssertTrue(ecdsa.changed)
        XCTAssertNotEqual(ecdsa.data["fingerprint"], .string(fp))
        XCTAssertEqual(try mode(k), 0o600, "a regenerated key keeps the file's mode")
        XCTAssertTrue(try run("openssh_keypair", ["path": .string(k), "state": "absent"]).changed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: k + ".pub"))
        XCTAssertFalse(try run("openssh_keypair", ["path": .string(k), "state": "absent"]).changed)
        XCTAssertEqual(try sh("ls -A \(Shell.quote(dir))").stdoutText, "", "no temporary files left")
    }
}
