import Foundation
import XCTest
@testable import ProvisionCore

/// Bounded output: a head and a tail kept with a marker, data reads whole or refused, the
/// whole stream to a file on request.
final class OutputCaptureTests: XCTestCase {
    func testKeepsHeadAndTailOfAStreamFedInOddChunks() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let length = Int.random(in: 0...5000, using: &rng)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let head = Int.random(in: 0...700, using: &rng), tail = Int.random(in: 0...700, using: &rng)
            let capture = OutputCapture(stream: "stdout", head: head, tail: tail)
            var offset = 0
            while offset < bytes.count {
                let n = min(Int.random(in: 1...900, using: &rng), bytes.count - offset)
                bytes[offset..<offset + n].withUnsafeBytes { capture.append($0) }
                offset += n
            }
            let dropped = max(0, length - head - tail)
            XCTAssertEqual(capture.dropped, Int64(dropped))
            XCTAssertEqual(capture.total, Int64(length))
            let kept = capture.finish()
            if dropped == 0 {
                XCTAssertEqual(kept, Data(bytes), "length \(length) head \(head) tail \(tail)")
            } else {
                let marker = Data(OutputCapture.marker(stream: "stdout", dropped: Int64(dropped), head: head, tail: tail).utf8)
                XCTAssertEqual(kept, Data(bytes.prefix(head)) + marker + Data(bytes.suffix(tail)),
                               "length \(length) head \(head) tail \(tail)")
            }
        }
    }

    func testDataCaptureOverflowsInsteadOfCutting() {
        let capture = OutputCapture(stream: "stdout", dataLimit: 10)
        capture.append(Data(repeating: 65, count: 10))
        XCTAssertFalse(capture.overflowed)
        capture.append(Data([66]))
        XCTAssertTrue(capture.overflowed)
    }

    func testDisplayedCommandIsCutAndWrittenWholeToTheOutputDirectory() throws {
        let dir = NSTemporaryDirectory() + "provision-out-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = LocalTransport(hostName: "web/1", output: OutputLimits(head: 100, tail: 50, directory: dir))
        let r = try t.run(RemoteCommand("seq 1 100000; echo oops >&2", output: .display))
        let whole = (1...100000).map(String.init).joined(separator: "\n") + "\n"
        XCTAssertEqual(r.stdoutDropped, Int64(whole.utf8.count - 150))
        XCTAssertTrue(r.stdoutText.hasPrefix(String(whole.prefix(100)) + "\n[provision: \(whole.utf8.count - 150) bytes of stdout cut here"))
        XCTAssertTrue(r.stdoutText.hasSuffix(String(whole.suffix(50))))
        XCTAssertEqual(r.stderrText, "oops\n")
        XCTAssertEqual(r.stderrDropped, 0)
        XCTAssertEqual(try String(contentsOfFile: dir + "/web_1.stdout", encoding: .utf8), whole)
        XCTAssertEqual(try String(contentsOfFile: dir + "/web_1.stderr", encoding: .utf8), "oops\n")
    }

    func testDataReadPastTheLimitFailsClearlyAndEndsTheCommand() throws {
        let t = LocalTransport(hostName: "h", output: OutputLimits(head: 10, tail: 10, data: 1000))
        let start = Date()
        XCTAssertThrowsError(try t.run(RemoteCommand("yes; sleep 30"))) { error in
            let e = error as? TransportError
            XCTAssertEqual(e?.kind, .failed)
            XCTAssertTrue(e?.message.contains("limit of 1000 bytes") ?? false, "\(error)")
            XCTAssertTrue(e?.message.contains("--max-data-bytes") ?? false, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        // A file read as data is whole or refused, never cut.
        let file = NSTemporaryDirectory() + "provision-big-" + UUID().uuidString
        try Data(repeating: 120, count: 5000).write(to: URL(fileURLWithPath: file))
        defer { unlink(file) }
        XCTAssertThrowsError(try t.download(file, become: nil))
        let small = LocalTransport(hostName: "h", output: OutputLimits(head: 10, tail: 10, data: 5000))
        XCTAssertEqual(try small.download(file, become: nil).count, 5000)
    }

    func testCommandModuleRegistersTheCut() throws {
        let t = LocalTransport(hostName: "h", output: OutputLimits(head: 8, tail: 8))
        let module = try CommandModule(arguments: ModuleArguments(["_raw_params": "seq 1 1000"], spec: CommandModule.argumentSpec))
        let result = try module.run(in: HostContext(host: "h", transport: t))
        XCTAssertEqual(result.data["stdout_truncated"], true)
        let whole = (1...1000).map(String.init).joined(separator: "\n").utf8.count + 1
        XCTAssertEqual(result.data["stdout_dropped_bytes"], .int(whole - 16))
        XCTAssertTrue(result.data["stdout"]?.stringValue?.contains("bytes of stdout cut here") ?? false)
        XCTAssertNil(result.data["stderr_truncated"])
    }
}
