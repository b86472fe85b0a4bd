import Foundation
@testable import ProvisionSSH
import ProvisionTestSupport
import XCTest

/// The index behind `KnownHostsFile.entries(for:)` and the per-run file cache: they must give
/// exactly what reading the whole file and testing every line gives.
final class KnownHostsIndexTests: XCTestCase {
    private let key = HostKey(blob: KnownHostsFileTests.blob(type: "ssh-ed25519", payload: 7))

    func testIndexAnswersLikeTestingEveryLine() throws {
        let path = NSTemporaryDirectory() + "kh-index-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + ".old") }
        // Hashed lines as ssh-keygen -H writes them, then plain, pattern and mixed-case lines.
        try "h1.test \(key.knownHostsText)\n[h2.test]:2200 \(key.knownHostsText)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        try TestCommand.check("/usr/bin/ssh-keygen", ["-q", "-H", "-f", path])
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += """
            h3.test \(key.knownHostsText)
            H4.Test \(key.knownHostsText)
            h*.test,!h5.test \(key.knownHostsText)
            h3.test,h6.test \(key.knownHostsText)
            @revoked h3.test \(key.knownHostsText)
            [10.0.0.9]:2222 \(key.knownHostsText)
            h3.test \(key.knownHostsText)

            """
        let file = KnownHostsFile(path: path, text: text)
        let names = ["h1.test", "[h2.test]:2200", "h2.test", "h3.test", "h4.test", "H4.Test", "h5.test",
                     "h6.test", "h7.test", "[10.0.0.9]:2222", "10.0.0.9", "other.example"]
        for name in names {
            let scanned = file.entries.filter { $0.matches(name) }.map(\.line)
            XCTAssertEqual(file.entries(for: name).map(\.line), scanned, name)
        }
        XCTAssertEqual(file.entries(for: "h3.test").map(\.line), [3, 5, 6, 7, 9])
        XCTAssertEqual(file.entries(for: "h1.test").count, 2, "the hashed line and the pattern line")
    }

    func testCacheReadsAFileAgainOnlyWhenItChanged() throws {
        let dir = NSTemporaryDirectory() + "kh-cache-\(UUID().uuidString.prefix(6))"
        let path = dir + "/known_hosts"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var reads = 0
        let cache = FileCache<KnownHostsFile> { reads += 1; return try KnownHostsFile.load($0) }

        XCTAssertEqual(try cache.value(at: path).entries.count, 0, "a missing file is an empty one")
        try KnownHostsFile.withLock(path) { try KnownHostsFile.append(name: "a.test", key: key, to: path) }
        XCTAssertEqual(try cache.value(at: path).entries(for: "a.test").count, 1)
        let before = reads
        XCTAssertEqual(try cache.value(at: path).entries(for: "a.test").count, 1)
        XCTAssertEqual(reads, before, "an unchanged file is not read again")

        // Another process appends (the file is replaced): the next lookup sees the new host.
        try KnownHostsFile.withLock(path) { try KnownHostsFile.append(name: "b.test", key: key, to: path) }
        XCTAssertEqual(try cache.value(at: path).entries(for: "b.test").count, 1)
        // Rewritten in place with the same size: the modification time tells.
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "b.test", with: "c.test")
        Thread.sleep(forTimeInterval: 0.01)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertEqual(try cache.value(at: path).entries(for: "c.test").count, 1)
        XCTAssertEqual(try cache.value(at: path).entries(for: "b.test").count, 0)
    }
}
