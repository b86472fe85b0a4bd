import Foundation
import XCTest
@testable import ProvisionCore

/// A LocalTransport that can "reconnect" (it has nothing to reopen) and counts how often it did.
final class ReconnectingLocalTransport: ReconnectableTransport {
    let inner = LocalTransport(hostName: "local", defaultTimeout: 60)
    var reconnects = 0
    var hostName: String { inner.hostName }
    func run(_ command: RemoteCommand) throws -> CommandResult { try inner.run(command) }
    func upload(_ data: Data, to path: String, mode: Int, become: Become?) throws {
        try inner.upload(data, to: path, mode: mode, become: become)
    }
    func download(_ path: String, become: Become?) throws -> Data { try inner.download(path, become: become) }
    func close() { inner.close() }
    func reconnect(timeout: TimeInterval) throws { reconnects += 1 }
}

/// The reboot wait loop with a stand-in reboot: `reboot_command` replaces the boot id file a
/// moment later, as a real reboot replaces /proc/sys/kernel/random/boot_id.
final class RebootModuleTests: ModuleTestCase {
    func module(_ args: [String: Value]) throws -> RebootModule {
        guard var m = try ModuleRegistry.make(RebootModule.self, arguments: args) as? RebootModule else {
            throw ModuleError("not a RebootModule")
        }
        m.pollInterval = 0.2
        return m
    }

    func testWaitsForANewBootIDThenRunsTheTestCommand() throws {
        let id = path("boot_id")
        try write(id, "old-boot\n")
        let m = try module(["boot_time_command": .string("cat '\(id)'"),
                            "reboot_command": .string("echo new-boot > '\(id)'"),
                            "test_command": .string("test -s '\(id)'"), "reboot_timeout": 30])
        let t = ReconnectingLocalTransport()
        let ctx = HostContext(host: "local", transport: t)
        let r = try m.run(in: ctx)
        XCTAssertTrue(r.changed, "\(r)")
        XCTAssertFalse(r.failed, "\(r)")
        XCTAssertEqual(r.data["rebooted"], true)
        XCTAssertGreaterThanOrEqual(t.reconnects, 1)
        XCTAssertEqual(read(id), "new-boot\n")
    }

    func testTimesOutWhenTheHostNeverComesBackNew() throws {
        let id = path("boot_id")
        try write(id, "same\n")
        let m = try module(["boot_time_command": .string("cat '\(id)'"), "reboot_command": "true", "reboot_timeout": 3])
        let r = try m.run(in: HostContext(host: "local", transport: ReconnectingLocalTransport()))
        XCTAssertTrue(r.failed)
        XCTAssertTrue(r.message?.contains("did not go down") ?? false, r.message ?? "")
    }

    func testCheckModeAndNonReconnectableTransportRebootNothing() throws {
        let id = path("boot_id"), marker = path("rebooted")
        try write(id, "b\n")
        let m = try module(["boot_time_command": .string("cat '\(id)'"), "reboot_command": .string("touch '\(marker)'")])
        let checked = try m.run(in: HostContext(host: "local", transport: ReconnectingLocalTransport(), checkMode: true))
        XCTAssertTrue(checked.changed)
        let plain = try m.run(in: HostContext(host: "local", transport: transport))
        XCTAssertTrue(plain.failed)
        XCTAssertTrue(plain.message?.contains("cannot reconnect") ?? false)
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    func testDefaultRebootLineRunsInTheBackground() throws {
        let m = try module([:])
        XCTAssertTrue(m.backgroundRebootLine.hasPrefix("nohup /bin/sh -c "))
        XCTAssertTrue(m.backgroundRebootLine.contains("shutdown -r now"))
        XCTAssertTrue(m.backgroundRebootLine.hasSuffix("&"))
    }
}
