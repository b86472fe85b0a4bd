import Foundation
import XCTest
@testable import ProvisionCore

/// Counts what reaches the host through a real LocalTransport: a task already in its desired
/// state must cost one command, a change only the few it needs.
final class CountingTransport: Transport {
    let inner = LocalTransport(hostName: "local", defaultTimeout: 120)
    var commands = 0, uploads = 0, downloads = 0
    var total: Int { commands + uploads + downloads }
    var hostName: String { inner.hostName }
    func run(_ command: RemoteCommand) throws -> CommandResult { commands += 1; return try inner.run(command) }
    func upload(_ data: Data, to path: String, mode: Int, become: Become?) throws {
        uploads += 1
        try inner.upload(data, to: path, mode: mode, become: become)
    }
    func download(_ path: String, become: Become?) throws -> Data { downloads += 1; return try inner.download(path, become: become) }
    func close() { inner.close() }
    func reset() { commands = 0; uploads = 0; downloads = 0 }
}

final class RoundTripTests: ModuleTestCase {
    let counter = CountingTransport()

    func trips(_ key: String, _ args: [String: Value], check: Bool = false, diff: Bool = false) throws -> (ModuleResult, Int) {
        counter.reset()
        let type = try XCTUnwrap(ModuleRegistry.lookup(key))
        let m = try ModuleRegistry.make(type, arguments: args)
        let r = try m.run(in: HostContext(host: "local", transport: counter, checkMode: check, diffMode: diff,
                                          controllerBaseDirectory: dir))
        return (r, counter.total)
    }

    func testUnchangedTasksCostOneRoundTrip() throws {
        let f = path("f")
        let copy: [String: Value] = ["content": "x\n", "dest": .string(f), "mode": "0644", "owner": "root"]
        XCTAssertEqual(try trips("copy", copy).1, 3, "first run: probe, upload, finalize for the owner")
        let (r, n) = try trips("copy", copy)
        XCTAssertFalse(r.changed)
        XCTAssertEqual(n, 1)
        XCTAssertEqual(try trips("lineinfile", ["path": .string(f), "line": "x"]).1, 1)
        XCTAssertEqual(try trips("blockinfile", ["path": .string(f), "block": "b"]).1, 2, "probe with content, upload")
        XCTAssertEqual(try trips("blockinfile", ["path": .string(f), "block": "b"]).1, 1)
        XCTAssertEqual(try trips("file", ["path": .string(dir), "state": "directory", "mode": "0755"]).1, 1)
        XCTAssertEqual(try trips("apt", ["name": ["coreutils"]]).1, 1)
        XCTAssertEqual(try trips("group", ["name": "root"]).1, 1)
        XCTAssertEqual(try trips("command", ["cmd": "true", "creates": .string(f)]).1, 1)
    }

    func testAPlainChangeIsProbeThenUploadAndDiffAddsOneRead() throws {
        let f = path("g")
        try write(f, "old\n")
        XCTAssertEqual(try trips("copy", ["content": "new\n", "dest": .string(f)]).1, 2)
        XCTAssertEqual(try trips("copy", ["content": "newer\n", "dest": .string(f)], check: true, diff: true).1, 2,
                       "check+diff: probe and one download, no upload")
        XCTAssertEqual(counter.uploads, 0)
    }
}
