import Foundation
import XCTest
@testable import ProvisionCore

/// get_url and wait_for against a real HTTP server on 127.0.0.1 that this test starts.
final class NetworkModuleTests: ModuleTestCase {
    var server: Process?
    var port = 0

    override func tearDownWithError() throws {
        if let server, server.isRunning { server.terminate(); server.waitUntilExit() }
        try super.tearDownWithError()
    }

    /// Serves `dir/www` on a loopback port the kernel picks (so no clash with anything else
    /// running), read back from the server's first line; waits (bounded) until it answers.
    func startServer() throws {
        try FileManager.default.createDirectory(atPath: path("www"), withIntermediateDirectories: true)
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { return XCTFail("needs python3 for the test HTTP server (scripts/test installs it)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", path("www")]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        server = p
        let collected = Collected()
        out.fileHandleForReading.readabilityHandler = { h in collected.append(h.availableData) }
        defer { out.fileHandleForReading.readabilityHandler = nil }
        for _ in 0..<200 where port == 0 {
            let seen = collected.text
            // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
            if let r = seen.range(of: #"port (\d+)"#, options: .regularExpression) {
                port = Int(seen[r].dropFirst(5)) ?? 0
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        XCTAssertNotEqual(port, 0, "test HTTP server did not say its port")
        let up = try sh("i=0; while [ $i -lt 100 ]; do curl -s -o /dev/null http://127.0.0.1:\(port)/ && exit 0; i=$((i+1)); sleep 0.1; done; exit 1")
        XCTAssertEqual(up.status, 0, "test HTTP server did not start")
    }

    func testGetURLDownloadsOnceThenTrustsTheChecksum() throws {
        try startServer()
        try write(path("www/tool.tar.gz"), "payload v1\n")
        let sum = ContentDeployment.sha256(Data("payload v1\n".utf8))
        let dest = path("tool.tar.gz")
        let args: [String: Value] = ["url": .string("http://127.0.0.1:\(port)/tool.tar.gz"), "dest": .string(dest),
                                     "checksum": .string("sha256:" + sum), "mode": "0600"]
        let checked = try run("get_url", args, check: true)
        XCTAssertTrue(checked.changed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dest))
        let first = try run("get_url", args)
        XCTAssertTrue(first.changed, "\(first)")
        XCTAssertEqual(read(dest), "payload v1\n")
        XCTAssertEqual(try mode(dest), 0o600)
        // The server's file changes, but dest already has the checksum: nothing is fetched.
        try write(path("www/tool.tar.gz"), "payload v2\n")
        XCTAssertFalse(try run("get_url", args).changed)
        XCTAssertEqual(read(dest), "payload v1\n")
    }

    func testGetURLChecksumMismatchFailsAndLeavesNothing() throws {
        try startServer()
        try write(path("www/f"), "real\n")
        let dest = path("f")
        let r = try run("get_url", ["url": .string("http://127.0.0.1:\(port)/f"), "dest": .string(dest),
                                    "checksum": .string("sha256:" + String(repeating: "0", count: 64))])
        XCTAssertTrue(r.failed)
        XCTAssertTrue(r.message?.contains("checksum") ?? false, r.message ?? "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dest))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".provision") }, [])
    }

    func testGetURLWithoutChecksumKeepsAnExistingFileUnlessForced() throws {
        try startServer()
        try write(path("www/page.txt"), "new\n")
        let target = path("downloads")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let args: [String: Value] = ["url": .string("http://127.0.0.1:\(port)/page.txt"), "dest": .string(target + "/")]
        XCTAssertTrue(try run("get_url", args).changed)
        XCTAssertEqual(read(target + "/page.txt"), "new\n")
        try write(target + "/page.txt", "local\n")
        XCTAssertFalse(try run("get_url", args).changed)
        var forced = args
        forced["force"] = true
        XCTAssertTrue(try run("get_url", forced).changed)
        XCTAssertFalse(try run("get_url", forced).changed, "same bytes downloaded again: no change")
        let missing = try run("get_url", ["url": .string("http://127.0.0.1:\(port)/missing"), "dest": .string(path("m"))])
        XCTAssertTrue(missing.failed)
    }

    func testWaitForPortAndPath() throws {
        try startServer()
        let open = try run("wait_for", ["port": .int(port), "timeout": 10])
        XCTAssertFalse(open.failed, "\(open)")
        XCTAssertFalse(open.changed)
        // Nothing listens on port 1 of loopback: stopped holds at once, started times out.
        XCTAssertFalse(try run("wait_for", ["port": 1, "state": "stopped", "timeout": 5]).failed)
        let closed = try run("wait_for", ["port": 1, "timeout": 1, "msg": "port 1 never opened"])
        XCTAssertTrue(closed.failed)
        XCTAssertEqual(closed.message, "port 1 never opened")

        let flag = path("ready")
        _ = try sh("(sleep 1; echo 'state: READY' > '\(flag)') >/dev/null 2>&1 &")
        let appeared = try run("wait_for", ["path": .string(flag), "search_regex": "READY", "timeout": 20])
        XCTAssertFalse(appeared.failed, "\(appeared)")
        _ = try sh("(sleep 1; rm -f '\(flag)') >/dev/null 2>&1 &")
        XCTAssertFalse(try run("wait_for", ["path": .string(flag), "state": "absent", "timeout": 20]).failed)
    }
}

/// Output read on another thread, behind a lock.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ d: Data) { lock.lock(); data.append(d); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}
