import Foundation
import XCTest
@testable import ProvisionCore

final class UnifiedDiffTests: XCTestCase {
    /// The hunks GNU `diff -u` prints for the same two texts (headers dropped).
    private func gnuDiff(_ a: String, _ b: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("udiff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try a.write(to: dir.appendingPathComponent("a"), atomically: true, encoding: .utf8)
        try b.write(to: dir.appendingPathComponent("b"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        p.arguments = ["-u", dir.appendingPathComponent("a").path, dir.appendingPathComponent("b").path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: out, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst(2).joined(separator: "\n")
    }

    private func ours(_ a: String, _ b: String) -> String {
        UnifiedDiff.render(FileDiff(path: "f", before: a, after: b)).split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst(2).joined(separator: "\n")
    }

    func testMatchesGNUDiffOnTypicalEdits() throws {
        let base = (1...30).map { "line \($0)" }
        var replaced = base; replaced[14] = "changed 15"
        var inserted = base; inserted.insert("new after 3", at: 3)
        var removed = base; removed.remove(at: 0); removed.remove(at: 27)
        var twoHunks = base; twoHunks[2] = "x"; twoHunks[25] = "y"
        var merged = base; merged[10] = "p"; merged[15] = "q"
        let cases: [(String, [String], [String])] = [
            ("replace", base, replaced), ("insert", base, inserted), ("remove", base, removed),
            ("two hunks", base, twoHunks), ("merged hunks", base, merged),
            ("from empty", [], ["a", "b"]), ("to empty", ["a", "b"], []),
            ("append at end", ["a", "b", "c"], ["a", "b", "c", "d"]),
        ]
        for (name, a, b) in cases {
            let at = a.isEmpty ? "" : a.joined(separator: "\n") + "\n"
            let bt = b.isEmpty ? "" : b.joined(separator: "\n") + "\n"
            XCTAssertEqual(ours(at, bt), try gnuDiff(at, bt), name)
        }
    }

    func testMissingFinalNewlineIsShown() throws {
        let a = "a\nb", b = "a\nb\n"
        XCTAssertEqual(ours(a, b), try gnuDiff(a, b))
        XCTAssertTrue(ours(a, b).contains("\\ No newline at end of file"))
    }

    func testHeadersAndEqualTexts() {
        XCTAssertEqual(UnifiedDiff.render(FileDiff(path: "/etc/x", before: "same\n", after: "same\n")), "")
        let d = UnifiedDiff.render(FileDiff(path: "/etc/x", before: "a\n", after: "b\n"))
        XCTAssertEqual(d, "--- before: /etc/x\n+++ after: /etc/x\n@@ -1 +1 @@\n-a\n+b\n")
    }

    func testLargeUnrelatedTextsStillProduceAValidDiff() {
        let a = (0..<3000).map { "a\($0)" }.joined(separator: "\n") + "\n"
        let b = (0..<3000).map { "b\($0)" }.joined(separator: "\n") + "\n"
        let d = UnifiedDiff.render(FileDiff(path: "big", before: a, after: b))
        XCTAssertEqual(d.split(separator: "\n").filter { $0.hasPrefix("-a") }.count, 3000)
        XCTAssertEqual(d.split(separator: "\n").filter { $0.hasPrefix("+b") }.count, 3000)
    }
}
