import Crypto
import Foundation
@testable import ProvisionSSH
import ProvisionTestSupport
import XCTest

/// Identity files as ssh-keygen writes them: which ones are signed in-process, and that the
/// signature is a valid Ed25519 signature by the key in the file. (Logging in with it against
/// a real sshd is `SSHAuthenticationTests.testEd25519Key`.)
final class Ed25519IdentityTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "ed25519-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private func keygen(_ name: String, _ arguments: [String]) throws -> String {
        let path = dir + "/" + name
        try TestCommand.check("/usr/bin/ssh-keygen", ["-q", "-C", "test"] + arguments + ["-f", path])
        return path
    }

    func testUnencryptedEd25519KeyIsDecodedAndSignsForItsPublicKey() throws {
        let path = try keygen("id_ed25519", ["-t", "ed25519", "-N", ""])
        let key = try XCTUnwrap(IdentityKey.inspect(path))
        XCTAssertEqual(key.type, "ssh-ed25519")
        XCTAssertFalse(key.encrypted)
        let identity = try XCTUnwrap(key.ed25519)

        let pubLine = try String(contentsOfFile: path + ".pub", encoding: .utf8).split(separator: " ")
        XCTAssertEqual(identity.publicBlob, Data(base64Encoded: String(pubLine[1])))

        let message = Data("session id and userauth request".utf8)
        let signature = try XCTUnwrap(identity.signature(for: message))
        XCTAssertEqual(signature.count, 64)
        let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: identity.publicBlob.suffix(32))
        XCTAssertTrue(publicKey.isValidSignature(signature, for: message))
        XCTAssertFalse(publicKey.isValidSignature(signature, for: Data("something else".utf8)))
    }

    func testEncryptedAndOtherKeysAreLeftToLibssh2() throws {
        let encrypted = try XCTUnwrap(IdentityKey.inspect(try keygen("enc", ["-t", "ed25519", "-N", "secret words"])))
        XCTAssertTrue(encrypted.encrypted)
        XCTAssertNil(encrypted.ed25519)
        let ecdsa = try XCTUnwrap(IdentityKey.inspect(try keygen("ecdsa", ["-t", "ecdsa", "-N", ""])))
        XCTAssertEqual(ecdsa.type, "ecdsa-sha2-nistp256")
        XCTAssertNil(ecdsa.ed25519)
        XCTAssertNil(IdentityKey.inspect(dir + "/missing"))
    }

    func testACorruptPrivateSectionIsLeftToLibssh2() throws {
        let path = try keygen("bad", ["-t", "ed25519", "-N", ""])
        // Flip the second check word: the section no longer decodes, so libssh2 gets the file
        // and reports the problem itself.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        var blob = try XCTUnwrap(Data(base64Encoded: body))
        let magic = Data("openssh-key-v1\u{0}".utf8)
        var reader = WireReader(data: blob)
        reader.offset = magic.count
        for _ in 0..<3 { _ = reader.string() }
        _ = reader.uint32()
        _ = reader.bytes()
        let sectionStart = reader.offset + 4
        blob[blob.startIndex + sectionStart + 4] ^= 0xFF
        let pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + blob.base64EncodedString(options: .lineLength64Characters)
            + "\n-----END OPENSSH PRIVATE KEY-----\n"
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        let key = try XCTUnwrap(IdentityKey.inspect(path))
        XCTAssertEqual(key.type, "ssh-ed25519")
        XCTAssertNil(key.ed25519)
    }
}
