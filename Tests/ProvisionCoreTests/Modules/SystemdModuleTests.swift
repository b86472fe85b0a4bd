import Foundation
import XCTest
@testable import ProvisionCore

/// No systemd on this machine: decisions are tested on recorded script output, and the real
/// script runs against a stand-in `systemctl` (Fixtures/modules/fake-systemctl.sh) that keeps
/// unit state in files, so start/stop/enable/mask logic and idempotence are exercised for real.
final class SystemdModuleTests: ModuleTestCase {
    var env: [String: String] = [:]
    var state = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        let bin = path("bin")
        state = path("units")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try write(bin + "/systemctl", try fixtureText("modules/fake-systemctl.sh"))
        _ = try sh("chmod +x '\(bin)/systemctl'")
        env = ["PATH": bin + ":/usr/sbin:/usr/bin:/sbin:/bin", "FAKE_SYSTEMD": state]
        try write(state + "/docker.service.load", "loaded\n")
    }

    func calls() -> [String] {
        (read(state + "/calls") ?? "").split(separator: "\n").map(String.init)
    }

    func testStartEnableIdempotentAndCheckMode() throws {
        let args: [String: Value] = ["name": "docker.service", "state": "started", "enabled": true]
        let checked = try run("systemd", args, check: true, environment: env)
        XCTAssertTrue(checked.changed)
        XCTAssertFalse(calls().contains { $0.hasPrefix("start") || $0.hasPrefix("enable") }, "\(calls())")
        let first = try run("service", args, environment: env)
        XCTAssertTrue(first.changed, "\(first)")
        XCTAssertEqual(first.message, "enabled, started")
        XCTAssertEqual(read(state + "/docker.service.active"), "active\n")
        XCTAssertFalse(try run("systemd", args, environment: env).changed)
        XCTAssertTrue(try run("systemd", ["name": "docker.service", "state": "restarted"], environment: env).changed,
                      "restarted always acts")
        XCTAssertTrue(try run("systemd", ["name": "docker.service", "state": "stopped"], environment: env).changed)
        XCTAssertFalse(try run("systemd", ["name": "docker.service", "state": "stopped"], environment: env).changed)
    }

    func testDaemonReloadAloneIsNoChangeAndMissingUnitFails() throws {
        let r = try run("systemd", ["daemon_reload": true], environment: env)
        XCTAssertFalse(r.changed)
        XCTAssertTrue(calls().contains("daemon-reload"))
        let missing = try run("systemd", ["name": "nope.service", "state": "started"], environment: env)
        XCTAssertTrue(missing.failed)
        XCTAssertTrue(missing.message?.contains("could not find the requested service nope.service") ?? false)
    }

    func testMaskAndUnmask() throws {
        XCTAssertTrue(try run("systemd", ["name": "docker.service", "masked": true], environment: env).changed)
        XCTAssertFalse(try run("systemd", ["name": "docker.service", "masked": true], environment: env).changed)
        XCTAssertTrue(try run("systemd", ["name": "docker.service", "masked": false, "state": "started"], environment: env).changed)
        XCTAssertEqual(read(state + "/docker.service.active"), "active\n")
    }

    func testAHostWithoutSystemdFailsWithTheReason() throws {
        try XCTSkipIf(FileManager.default.fileExists(atPath: "/run/systemd/system"), "this machine runs systemd")
        let r = try run("systemd", ["name": "cron", "state": "started"])
        XCTAssertTrue(r.failed)
        let hasSystemctl = try sh("command -v systemctl").status == 0
        let expected = hasSystemctl ? "systemctl cannot query cron" : "systemctl not found"
        XCTAssertTrue(r.message?.contains(expected) ?? false, r.message ?? "")
    }

    func testDecisionsOnRecordedOutput() throws {
        let m = try XCTUnwrap(ModuleRegistry.make(SystemdModule.self, arguments: ["name": "ssh", "state": "started"]) as? SystemdModule)
        let ok = m.interpret(ScriptOutput(CommandResult(status: 0, stdout: Data("@@pv load loaded\n@@pv active active\n@@pv state-now started\n".utf8))))
        XCTAssertFalse(ok.changed)
        XCTAssertEqual(ok.data["status"]?["ActiveState"], "active")
        XCTAssertEqual(ok.data["state"], "started")
        let started = m.interpret(ScriptOutput(CommandResult(status: 0, stdout: Data("@@pv load loaded\n@@pv active failed\n@@pv did started\n".utf8))))
        XCTAssertTrue(started.changed)
        let failed = m.interpret(ScriptOutput(CommandResult(status: 1, stdout: Data("@@pv failed systemctl start -- ssh failed: Job for ssh.service failed.\n".utf8))))
        XCTAssertTrue(failed.failed)
        XCTAssertTrue(m.script(checkMode: true).text.contains("check=1"))
        XCTAssertThrowsError(try ModuleRegistry.make(SystemdModule.self, arguments: ["state": "started"]))
    }
}
