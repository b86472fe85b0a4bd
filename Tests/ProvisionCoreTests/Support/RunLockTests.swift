import Foundation
import XCTest
@testable import ProvisionCore

final class RunLockTests: XCTestCase {
    var dir = ""

    override func setUp() { dir = NSTemporaryDirectory() + "provision-locks-" + UUID().uuidString }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testAHeldHostIsBusyAndNothingIsTakenOnFailure() throws {
        let first = try RunLock(hosts: [("b", "10.0.0.2:22")], playbook: "/p/one.yml", directory: dir) { _ in }
        // A second holder in this process stands for another run: forge a live foreign holder.
        XCTAssertThrowsError(try RunLock(hosts: [("a", "10.0.0.1:22"), ("b", "10.0.0.2:22")], playbook: "/p/two.yml",
                                         directory: dir) { _ in }) { error in
            let busy = error as? RunLock.Busy
            XCTAssertEqual(busy?.host, "b")
            XCTAssertEqual(busy?.holder.playbook, "/p/one.yml")
            XCTAssertEqual(busy?.holder.pid, getpid())
            XCTAssertTrue(busy?.description.contains("--no-lock") ?? false)
        }
        // All or none: host a was given back.
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".lock") }
        XCTAssertEqual(files.count, 1)
        first.release()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".lock") }, [])
        _ = try RunLock(hosts: [("a", "10.0.0.1:22"), ("b", "10.0.0.2:22")], playbook: "/p/two.yml", directory: dir) { _ in }
    }

    func testStaleLockOfADeadProcessIsTakenOverWithANote() throws {
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let stale = try RunLock(hosts: [("a", "10.0.0.1:22")], playbook: "/p/old.yml", directory: dir) { _ in }
        // Rewrite its holder as the exited process, as a killed run leaves it.
        let file = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".lock") })
        var holder = try JSONDecoder().decode(RunLock.Holder.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)))
        holder.pid = dead.processIdentifier
        try JSONEncoder().encode(holder).write(to: URL(fileURLWithPath: dir + "/" + file))
        var notes: [String] = []
        let taker = try RunLock(hosts: [("a", "10.0.0.1:22")], playbook: "/p/new.yml", directory: dir) { notes.append($0) }
        XCTAssertEqual(notes.count, 1)
        XCTAssertTrue(notes.first?.contains("stale run lock left by provision run of /p/old.yml (pid \(dead.processIdentifier)") ?? false,
                      "\(notes)")
        // The old owner's release must not remove the new owner's lock.
        stale.release()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".lock") }.count, 1)
        taker.release()
    }

    func testAHolderOnAnotherControllerIsNeverJudgedStale() {
        let foreign = RunLock.Holder(controller: "elsewhere-\(UUID())", pid: 999_999, playbook: "x", since: "t")
        XCTAssertFalse(RunLock.isStale(foreign))
    }
}
