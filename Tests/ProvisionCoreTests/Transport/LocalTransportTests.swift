import XCTest
@testable import ProvisionCore

final class LocalTransportTests: XCTestCase {
    let t = LocalTransport(hostName: "ctl")

    func testStatusAndStreamsKeptApart() throws {
        let r = try t.run("echo out; echo err >&2; exit 3")
        XCTAssertEqual(r.status, 3)
        XCTAssertNil(r.signal)
        XCTAssertEqual(r.stdoutText, "out\n")
        XCTAssertEqual(r.stderrText, "err\n")
    }

    func testStdinAndEnvironment() throws {
        let r = try t.run(RemoteCommand("printf '%s-' \"$GREETING\"; cat", stdin: Data("body".utf8),
                                        environment: ["GREETING": "it's here"]))
        XCTAssertEqual(r.stdoutText, "it's here-body")
    }

    func testLargeOutputOnBothStreamsDoesNotDeadlock() throws {
        let r = try t.run("head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2")
        XCTAssertEqual(r.stdout.count, 3_000_000)
        // stderr is only ever read for messages: its middle is cut, and says so.
        let kept = OutputLimits.defaultHead + OutputLimits.defaultTail
        XCTAssertEqual(r.stderrDropped, Int64(2_000_000 - kept))
        XCTAssertTrue(r.stderrText.contains("bytes of stderr cut here"))
    }

    func testSignalIsReported() throws {
        let r = try t.run("kill -TERM $$")
        XCTAssertEqual(r.status, -1)
        XCTAssertEqual(r.signal, "TERM")
    }

    func testTimeoutKillsTheWholeGroup() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lt-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let start = Date()
        XCTAssertThrowsError(try t.run(RemoteCommand("(sleep 3; touch \(dir)/late) & sleep 30", timeout: 0.5))) { e in
            XCTAssertEqual((e as? TransportError)?.kind, .timeout)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        sleep(4)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/late"), "the background child survived the timeout")
    }

    func testUploadIsAtomicAndDownloadRoundTrips() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lt-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var bytes = Data(count: 1_000_000)
        for i in 0..<bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
        try t.upload(bytes, to: dir + "/f.bin", mode: 0o640, become: nil)
        XCTAssertEqual(try t.download(dir + "/f.bin", become: nil), bytes)
        let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/f.bin")
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o640)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["f.bin"], "temp file left behind")
        XCTAssertThrowsError(try t.upload(bytes, to: dir + "/missing/f", mode: 0o644, become: nil))
    }

    func testBecomeAnotherUserWithoutPassword() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/sudo") else {
            throw XCTSkip("needs root and sudo")
        }
        let r = try t.run(RemoteCommand("id -un", become: Become(user: "nobody")))
        XCTAssertEqual(r.stdoutText, "nobody\n")
    }
}
