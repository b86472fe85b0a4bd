import Foundation
@testable import ProvisionCore
import ProvisionSSH
import ProvisionTestSupport
import XCTest

/// The swarm steps' cluster-side lock, taken over a real SSH session on loopback as two
/// controllers would: each "controller" is an identity of its own (run id, host, pid) with its
/// own connection, meeting in one lock directory on the node.
final class SwarmLockTests: SSHTestCase {
    private var directory = ""

    override func setUp() {
        super.setUp()
        directory = "/tmp/provision-swarmlock-\(UUID().uuidString)"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
        super.tearDown()
    }

    private func identity(_ run: String, controller: String = "ctl-other", pid: Int32 = 4242) -> SwarmLock.Identity {
        SwarmLock.Identity(run: run, controller: controller, pid: pid, playbook: "/srv/\(run)/site.yml")
    }

    private func lock(_ transport: Transport, _ id: SwarmLock.Identity, holder: String = "pi1",
                      lease: TimeInterval = 600) -> SwarmLock {
        SwarmLock(node: "manager1", transport: transport, become: nil, holderName: holder, identity: id,
                  directory: directory, lease: lease)
    }

    func testConcurrentAcquirersOneWinsTheOtherIsToldTheHolder() throws {
        let server = try server()
        let transports = try (0..<4).map { _ in try connect(server.target()) }
        defer { transports.forEach { $0.close() } }
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let l = lock(transports[i], identity("run\(i)"))
            do {
                try l.acquire(wait: 0)
                results.add(.success(i))
            } catch {
                results.add(.failure(error))
            }
        }
        let winners = results.values.compactMap { try? $0.get() }
        XCTAssertEqual(winners.count, 1, "exactly one controller takes the lock: \(results.values)")
        let winner = try XCTUnwrap(winners.first)
        for case .failure(let e) in results.values {
            let busy = try XCTUnwrap(e as? SwarmLock.Busy, "\(e)")
            XCTAssertEqual(busy.holder.run, "run\(winner)")
            XCTAssertEqual(busy.holder.controller, "ctl-other")
            XCTAssertEqual(busy.holder.pid, 4242)
            XCTAssertTrue(busy.description.contains("/srv/run\(winner)/site.yml"), busy.description)
            XCTAssertTrue(busy.description.contains("pid 4242 on ctl-other"), busy.description)
            XCTAssertTrue(busy.description.contains("manager1"), busy.description)
        }
    }

    func testSecondControllerWaitsForTheReleaseThenTakesTheLock() throws {
        let server = try server()
        let a = try connect(server.target()), b = try connect(server.target())
        defer { a.close(); b.close() }
        let first = lock(a, identity("first"))
        try first.acquire(wait: 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) { try? first.release() }
        let start = Date()
        XCTAssertNil(try lock(b, identity("second")).acquire(wait: 20, poll: 0.5))
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 1.2, "the second waited for the first")
        // Now the first is the one kept out, with the second named.
        XCTAssertThrowsError(try first.acquire(wait: 1, poll: 0.5)) { e in
            XCTAssertEqual((e as? SwarmLock.Busy)?.holder.run, "second")
        }
    }

    func testSameRunReentersAndTheLastHolderReleases() throws {
        let server = try server()
        let a = try connect(server.target()), b = try connect(server.target())
        defer { a.close(); b.close() }
        let run = identity("one-run")
        let manager = lock(a, run, holder: "manager1"), worker = lock(a, run, holder: "worker1")
        XCTAssertEqual(try manager.attempt(), .acquired(reentrant: false, tookOver: nil))
        XCTAssertEqual(try worker.attempt(), .acquired(reentrant: true, tookOver: nil))
        let other = lock(b, identity("other-run"))
        try manager.release()
        guard case .held(let h, _) = try other.attempt() else { return XCTFail("released while worker1 still holds it") }
        XCTAssertEqual(h.run, "one-run")
        try worker.release()
        XCTAssertEqual(try other.attempt(), .acquired(reentrant: false, tookOver: nil))
        // A release by a run that no longer holds the lock leaves the new holder's lock alone.
        try worker.release()
        guard case .held = try lock(a, identity("third")).attempt() else { return XCTFail("other-run's lock was removed") }
    }

    func testExpiredLeaseIsTakenOverWithTheStaleHolderNamed() throws {
        let server = try server()
        let a = try connect(server.target()), b = try connect(server.target())
        defer { a.close(); b.close() }
        try lock(a, identity("crashed"), lease: 1).acquire(wait: 0)
        guard case .held = try lock(b, identity("next")).attempt() else { return XCTFail("a fresh lease must hold") }
        Thread.sleep(forTimeInterval: 2.2)
        let stale = try lock(b, identity("next")).acquire(wait: 0)
        XCTAssertEqual(stale?.run, "crashed")
        XCTAssertEqual(stale?.playbook, "/srv/crashed/site.yml")
        guard case .held(let h, _) = try lock(a, identity("late")).attempt() else { return XCTFail("not taken over") }
        XCTAssertEqual(h.run, "next")
    }

    func testHolderOfThisControllerWhoseProcessIsGoneIsStaleAtOnce() throws {
        let server = try server()
        let a = try connect(server.target()), b = try connect(server.target())
        defer { a.close(); b.close() }
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let here = RunLock.controllerName
        try lock(a, identity("dead", controller: here, pid: gone.processIdentifier)).acquire(wait: 0)
        let stale = try lock(b, identity("alive", controller: here, pid: getpid())).acquire(wait: 0)
        XCTAssertEqual(stale?.run, "dead", "a holder of this controller whose process is gone is broken at once")
        // A live holder of this controller (this test process) is not stale.
        XCTAssertThrowsError(try lock(a, identity("third", controller: here, pid: 999_999)).acquire(wait: 0)) { e in
            XCTAssertEqual((e as? SwarmLock.Busy)?.holder.run, "alive")
        }
    }

    func testHoldingReleasesWhenTheStepFails() throws {
        let server = try server()
        let a = try connect(server.target()), b = try connect(server.target())
        defer { a.close(); b.close() }
        struct StepFailed: Error {}
        XCTAssertThrowsError(try lock(a, identity("failing")).holding(wait: 0) { throw StepFailed() }) { e in
            XCTAssertTrue(e is StepFailed)
        }
        XCTAssertEqual(try lock(b, identity("after")).attempt(), .acquired(reentrant: false, tookOver: nil))
        XCTAssertFalse(try b.run("ls -A \(Shell.quote(directory))").stdoutText.contains(".lock."), "no temporary file left")
    }

    func testControlCharactersInTheIdentityCannotForgeLockLines() throws {
        let server = try server()
        let a = try connect(server.target()), b = try connect(server.target())
        defer { a.close(); b.close() }
        var id = identity("real")
        id.playbook = "x.yml\nrun=forged\nexpires=99999999999"
        try lock(a, id).acquire(wait: 0)
        guard case .held(let h, _) = try lock(b, identity("other")).attempt() else { return XCTFail("lock not held") }
        XCTAssertEqual(h.run, "real")
        XCTAssertEqual(h.playbook, "x.ymlrun=forgedexpires=99999999999")
    }
}

extension SwarmLockTests {
    /// A login without root (a docker-group user, no become) cannot write the lock directory:
    /// the lock moves to a per-user directory in /tmp, still shared by controllers logged in as
    /// that user, and the holder's message names where it is.
    func testUnwritableDirectoryFallsBackToAPerUserOneInTmp() throws {
        let server = try server()
        let a = try connect(server.target()), b = try connect(server.target())
        defer { a.close(); b.close() }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let uid = try a.run("id -u").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard uid != "0" else { throw XCTSkip("the test login is root: every directory is writable") }
        let fallback = "/tmp/provision-swarm-\(uid)"
        defer { _ = try? a.run("rm -rf \(fallback)") }
        try lock(a, identity("first")).acquire(wait: 0)
        XCTAssertThrowsError(try lock(b, identity("second")).acquire(wait: 0)) { e in
            XCTAssertEqual((e as? SwarmLock.Busy)?.path, fallback + "/swarm.lock", "\(e)")
        }
        try lock(a, identity("first")).release()
        XCTAssertEqual(try lock(b, identity("second")).attempt(), .acquired(reentrant: false, tookOver: nil))
        try lock(b, identity("second")).release()
    }

    /// swarm_cluster itself: a node locked by another controller fails the step with the holder
    /// named, without a probe; once free, the step takes the lock, fails on the missing Docker
    /// (no Docker here) and still gives the lock back.
    func testSwarmClusterStepFailsNamingTheHolderAndReleasesAfterItsOwnFailure() throws {
        let server = try server()
        let node = try connect(server.target()), other = try connect(server.target())
        defer { node.close(); other.close() }
        let cluster = OneHostCluster(name: "manager1", transport: node)
        var module = SwarmClusterModule(role: .manager)
        module.lockTimeout = 1
        module.lockDirectory = directory
        let context = HostContext(host: "manager1", transport: node, cluster: cluster)

        let foreign = lock(other, identity("foreign"))
        try foreign.acquire(wait: 0)
        let busy = try module.run(in: context)
        XCTAssertTrue(busy.failed)
        XCTAssertTrue((busy.message ?? "").contains("pid 4242 on ctl-other"), busy.message ?? "")
        XCTAssertTrue((busy.message ?? "").contains("/srv/foreign/site.yml"), busy.message ?? "")
        try foreign.release()

        let mine = try module.run(in: context)
        XCTAssertTrue(mine.failed, "no Docker on the loopback host: \(mine.message ?? "")")
        XCTAssertFalse((mine.message ?? "").contains("lock"), mine.message ?? "")
        XCTAssertEqual(try lock(other, identity("after")).attempt(), .acquired(reentrant: false, tookOver: nil),
                       "the step released its lock after failing")
    }
}

/// A play of one host, a manager, reached through its own transport.
private final class OneHostCluster: ClusterAccess {
    let hosts: [ClusterHost]
    let own: Transport
    init(name: String, transport: Transport) {
        hosts = [ClusterHost(name: name, groups: ["managers"])]
        own = transport
    }
    func transport(for host: String) throws -> Transport { own }
}

/// Results gathered from concurrent threads.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<Int, Error>] = []
    func add(_ r: Result<Int, Error>) { lock.lock(); items.append(r); lock.unlock() }
    var values: [Result<Int, Error>] { lock.lock(); defer { lock.unlock() }; return items }
}
