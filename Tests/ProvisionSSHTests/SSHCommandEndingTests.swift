import Foundation
import ProvisionCore
@testable import ProvisionSSH
import ProvisionTestSupport
import XCTest

/// Nothing provision started stays on a host: a command's processes are ended when its
/// session is lost, and through a second session on request (the second Ctrl-C).
final class SSHCommandEndingTests: SSHTestCase {
    private func pids(_ pattern: String) throws -> [Int32] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        p.arguments = ["-f", pattern]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").compactMap { Int32($0) }
    }

    private func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    private func waitFor(_ pattern: String, present: Bool, seconds: Double = 10) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try pids(pattern).isEmpty != present { return true }
            usleep(100_000)
        }
        return false
    }

    func testALostSessionsCommandIsEndedOnTheHost() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let seconds = "41.\(Int.random(in: 100...999))"
        let done = DispatchSemaphore(value: 0)
        var failure: Error?
        DispatchQueue.global().async {
            do { _ = try transport.run("sleep \(seconds) & sleep \(seconds); wait") } catch { failure = error }
            done.signal()
        }
        XCTAssertTrue(try waitFor("sleep \(seconds)", present: true), "the command did not start")
        // Kill the sshd process serving the session (the sleeps' shell's parent): the session is
        // lost while the shell and its sleeps run on, orphaned.
        let sleeper = try XCTUnwrap(pids("sleep \(seconds)").first)
        var sshd = parent(of: sleeper)
        while let p = sshd, let name = try? String(contentsOfFile: "/proc/\(p)/comm", encoding: .utf8),
              !name.hasPrefix("sshd") {
            sshd = parent(of: p)
        }
        kill(try XCTUnwrap(sshd), SIGKILL)
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        XCTAssertEqual((failure as? TransportError)?.kind, .unreachable, "\(String(describing: failure))")
        XCTAssertTrue(try waitFor("sleep \(seconds)", present: false), "the lost session's command is still running")
    }

    func testEndRunningCommandThroughASecondSession() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let seconds = "42.\(Int.random(in: 100...999))"
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? transport.run(RemoteCommand("sh -c 'sleep \(seconds)' & sleep \(seconds); wait", become: Become()))
            done.signal()
        }
        XCTAssertTrue(try waitFor("sleep \(seconds)", present: true), "the command did not start")
        (transport as? CommandEndingTransport)?.endRunningCommand(timeout: 10)
        XCTAssertEqual(done.wait(timeout: .now() + 15), .success, "the command did not end")
        XCTAssertTrue(try waitFor("sleep \(seconds)", present: false))
    }
}
