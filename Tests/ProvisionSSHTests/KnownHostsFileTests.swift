import Foundation
@testable import ProvisionSSH
import XCTest

/// The known_hosts parser on its own, against lines written the way OpenSSH writes them.
final class KnownHostsFileTests: XCTestCase {
    private let keyA = HostKey(blob: KnownHostsFileTests.blob(type: "ssh-ed25519", payload: 1))
    private let keyB = HostKey(blob: KnownHostsFileTests.blob(type: "ssh-ed25519", payload: 2))

    static func blob(type: String, payload: UInt8) -> Data {
        var data = Data([0, 0, 0, UInt8(type.utf8.count)])
        data.append(Data(type.utf8))
        data.append(contentsOf: [0, 0, 0, 32] + [UInt8](repeating: payload, count: 32))
        return data
    }

    func testPlainPatternsPortsNegationAndComments() {
        let text = """
            # comment line
            web*.example.test,!web-old.example.test \(keyA.knownHostsText)
            [10.0.0.5]:2222 \(keyB.knownHostsText)
            this line is garbage and must not stop the parser
            10.0.0.5 \(keyA.knownHostsText) trailing comment
            """
        let file = KnownHostsFile(path: "/k", text: text)
        XCTAssertEqual(file.entries.count, 3)
        XCTAssertEqual(file.entries(for: "web1.example.test").map(\.line), [2])
        XCTAssertEqual(file.entries(for: "web-old.example.test").count, 0)
        XCTAssertEqual(file.entries(for: "[10.0.0.5]:2222").map(\.line), [3])
        XCTAssertEqual(file.entries(for: "10.0.0.5").map(\.line), [5])
        XCTAssertEqual(file.entries(for: "WEB2.example.test".lowercased()).count, 1)
    }

    func testHashedNamesAsSSHKeygenWritesThem() throws {
        let path = NSTemporaryDirectory() + "kh-hashed-\(UUID().uuidString.prefix(6))"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: path + ".old")
        }
        try "[host.test]:2200 \(keyA.knownHostsText)\n".write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        process.arguments = ["-H", "-f", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let file = try KnownHostsFile.load(path)
        XCTAssertTrue(file.entries.first?.hosts.hasPrefix("|1|") ?? false)
        XCTAssertEqual(file.entries(for: "[host.test]:2200").count, 1)
        XCTAssertEqual(file.entries(for: "host.test").count, 0)
    }

    func testVerdicts() {
        let text = """
            a.test \(keyA.knownHostsText)
            @revoked b.test \(keyB.knownHostsText)
            b.test \(keyB.knownHostsText)
            @cert-authority *.test \(keyB.knownHostsText)
            """
        let file = KnownHostsFile(path: "/k", text: text)
        func verdict(_ key: HostKey, _ name: String) -> String {
            switch HostKeyVerifier.verdict(for: key, in: file, name: name) {
            case .known: return "known"
            case .unknown: return "unknown"
            case .changed(let entry): return "changed:\(entry.line)"
            case .revoked(let entry): return "revoked:\(entry.line)"
            }
        }
        XCTAssertEqual(verdict(keyA, "a.test"), "known")
        XCTAssertEqual(verdict(keyB, "a.test"), "changed:1")
        XCTAssertEqual(verdict(keyB, "b.test"), "revoked:2")
        XCTAssertEqual(verdict(keyA, "c.test"), "unknown", "a @cert-authority line is not a host key")
    }

    func testFingerprintIsOpenSSHStyle() {
        let fingerprint = keyA.fingerprint
        XCTAssertTrue(fingerprint.hasPrefix("SHA256:"))
        XCTAssertFalse(fingerprint.hasSuffix("="))
        XCTAssertEqual(fingerprint.count, 7 + 43)
        XCTAssertEqual(HostKey.knownHostsName(host: "Host.Test", port: 22), "host.test")
        XCTAssertEqual(HostKey.knownHostsName(host: "10.0.0.1", port: 2222), "[10.0.0.1]:2222")
    }

    func testAppendKeepsExistingLinesAndAddsANewline() throws {
        let path = NSTemporaryDirectory() + "kh-\(UUID().uuidString.prefix(6))/known_hosts"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try KnownHostsFile.withLock(path) {
            try KnownHostsFile.append(name: "a.test", key: keyA, to: path)
        }
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += "b.test \(keyB.knownHostsText)" // no trailing newline
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        try KnownHostsFile.withLock(path) {
            try KnownHostsFile.append(name: "[c.test]:2200", key: keyA, to: path)
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines, ["a.test \(keyA.knownHostsText)", "b.test \(keyB.knownHostsText)",
                               "[c.test]:2200 \(keyA.knownHostsText)", ""].map { Substring($0) })
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(mode, 0o600)
    }
}

final class KnownHostsWarningTests: XCTestCase {
    func testUnparsableLinesAreWarnedOnceWithFileAndLine() {
        let path = "/tmp/kh-\(UUID().uuidString)"
        let file = KnownHostsFile(path: path, text: """
        # comment
        host1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl

        garbage-without-key
        @bogus host2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
        host3 ssh-ed25519 not-base64
        """)
        XCTAssertEqual(file.entries.count, 1)
        XCTAssertEqual(file.unparsedLines, [4, 5, 6])
        var said: [String] = []
        file.warnOnceAboutUnparsedLines { said.append($0) }
        file.warnOnceAboutUnparsedLines { said.append($0) }
        XCTAssertEqual(said.count, 1)
        XCTAssertTrue(said.first?.hasPrefix("warning: \(path):4: cannot parse lines 4, 5, 6") ?? false, "\(said)")
        let clean = KnownHostsFile(path: path + "-clean", text: "# only a comment\n")
        clean.warnOnceAboutUnparsedLines { said.append($0) }
        XCTAssertEqual(said.count, 1)
    }
}
