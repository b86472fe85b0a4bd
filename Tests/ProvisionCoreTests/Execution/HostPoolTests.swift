import Foundation
import XCTest
@testable import ProvisionCore

/// Fault injection around the real `LocalTransportFactory`: named hosts are unreachable, and
/// connections are counted.
final class FaultyFactory: TransportFactory, @unchecked Sendable {
    let unreachable: Set<String>
    private let lock = NSLock()
    private var connects: [String: Int] = [:]

    init(unreachable: Set<String> = []) { self.unreachable = unreachable }

    func connect(to target: ConnectionTarget) throws -> Transport {
        lock.withLock { connects[target.name, default: 0] += 1 }
        if unreachable.contains(target.name) {
            throw TransportError(.unreachable, host: target.name, "connection refused (injected)")
        }
        return try LocalTransportFactory().connect(to: target)
    }

    func connections(_ host: String) -> Int { lock.withLock { connects[host] ?? 0 } }
}

/// Collects events for assertions.
final class EventLog: Reporter, @unchecked Sendable {
    private(set) var events: [RunEvent] = []
    func handle(_ event: RunEvent) { events.append(event) }
}

final class HostPoolTests: XCTestCase {
    func targets(_ n: Int) -> [ConnectionTarget] { (1...n).map { ConnectionTarget(name: "h\($0)") } }

    func testRunsEveryHostAndReusesOneTransportPerHost() throws {
        let factory = FaultyFactory()
        let pool = HostPool(targets: targets(5), factory: factory, forks: 3)
        let hosts = (1...5).map { "h\($0)" }
        let first = pool.run(on: hosts) { host, t in
            (try t.run(RemoteCommand("echo \(host)")).stdoutText, ObjectIdentifier(t))
        }
        let second = pool.run(on: hosts) { _, t in ObjectIdentifier(t) }
        XCTAssertEqual(first.map(\.host), hosts)
        for (a, b) in zip(first, second) {
            guard case .done(let (out, id1)) = a.outcome, case .done(let id2) = b.outcome else {
                return XCTFail("not done: \(a.outcome) \(b.outcome)")
            }
            XCTAssertEqual(out, a.host + "\n")
            XCTAssertEqual(id1, id2, "the transport is kept for the whole run")
            XCTAssertEqual(factory.connections(a.host), 1)
        }
        pool.close()
    }

    func testInFlightHostsAreBoundedByForks() {
        let pool = HostPool(targets: targets(8), factory: FaultyFactory(), forks: 3)
        let lock = NSLock()
        var inFlight = 0, peak = 0
        let steps = pool.run(on: (1...8).map { "h\($0)" }) { _, t -> Int32 in
            lock.withLock { inFlight += 1; peak = max(peak, inFlight) }
            defer { lock.withLock { inFlight -= 1 } }
            return try t.run(RemoteCommand("sleep 0.2")).status
        }
        XCTAssertEqual(steps.count, 8)
        XCTAssertLessThanOrEqual(peak, 3)
        XCTAssertEqual(peak, 3, "hosts ran in parallel up to --forks")
    }

    func testUnreachableHostsAreRecordedAndSkippedLater() {
        let factory = FaultyFactory(unreachable: ["h2"])
        let log = EventLog()
        let events = ReporterQueue([log])
        let pool = HostPool(targets: targets(3), factory: factory, forks: 2, events: events)
        let first = pool.run(on: ["h1", "h2", "h3"]) { _, t in try t.run(RemoteCommand("true")).status }
        let second = pool.run(on: ["h1", "h2", "h3"]) { _, t in try t.run(RemoteCommand("true")).status }
        events.flush()
        guard case .unreachable(let e) = first[1].outcome else { return XCTFail("\(first[1].outcome)") }
        XCTAssertEqual(e.message, "connection refused (injected)")
        guard case .skipped = second[1].outcome else { return XCTFail("\(second[1].outcome)") }
        XCTAssertEqual(factory.connections("h2"), 1, "an unreachable host is not tried again")
        XCTAssertEqual(Set(pool.unreachableHosts.keys), ["h2"])
        let unreachableEvents = log.events.filter { if case .hostUnreachable = $0 { return true }; return false }
        XCTAssertEqual(unreachableEvents.count, 1)
    }

    func testLosingTheConnectionMidStepMarksTheHostUnreachable() {
        let pool = HostPool(targets: targets(2), factory: FaultyFactory(), forks: 2)
        let steps = pool.run(on: ["h1", "h2"]) { host, _ -> Int in
            if host == "h1" { throw TransportError(.unreachable, host: host, "connection lost") }
            if host == "h2" { throw TransportError(.timeout, host: host, "timed out") }
            return 0
        }
        guard case .unreachable = steps[0].outcome, case .failed = steps[1].outcome else {
            return XCTFail("\(steps.map(\.outcome))")
        }
        XCTAssertEqual(Set(pool.unreachableHosts.keys), ["h1"])
    }

    func testInterruptReturnsWithInFlightHostsInterrupted() {
        let pool = HostPool(targets: targets(4), factory: FaultyFactory(), forks: 2)
        let started = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            started.wait()
            pool.interrupt()
        }
        let steps = pool.run(on: ["h1", "h2", "h3", "h4"]) { _, t -> Int32 in
            started.signal()
            return try t.run(RemoteCommand("sleep 3")).status
        }
        XCTAssertTrue(pool.isInterrupted)
        XCTAssertEqual(steps.count, 4)
        for s in steps {
            guard case .interrupted = s.outcome else { return XCTFail("\(s.host): \(s.outcome)") }
        }
    }
}

final class HostPoolCrossHostTests: XCTestCase {
    func testPerformReadsAnotherHostThroughItsOwnTransport() throws {
        let factory = FaultyFactory(unreachable: ["down"])
        let pool = HostPool(targets: ["manager", "w1", "w2", "down"].map { ConnectionTarget(name: $0) },
                            factory: factory, forks: 2)
        let steps = pool.run(on: ["w1", "w2"]) { host, _ -> String in
            // A worker asks the manager for something, through the manager's queue.
            try pool.perform(on: "manager") { t in try t.run(RemoteCommand("echo token-for-\(host)")).stdoutText }
        }
        for s in steps {
            guard case .done(let text) = s.outcome else { return XCTFail("\(s.outcome)") }
            XCTAssertEqual(text, "token-for-\(s.host)\n")
        }
        XCTAssertEqual(factory.connections("manager"), 1, "one session for the manager, shared")
        // Called on the host's own queue it runs inline instead of deadlocking.
        let inline = pool.run(on: ["manager"]) { host, _ in try pool.perform(on: host) { _ in 42 } }
        guard case .done(42) = inline[0].outcome else { return XCTFail("\(inline[0].outcome)") }
        XCTAssertThrowsError(try pool.perform(on: "down") { _ in 1 })
        XCTAssertThrowsError(try pool.perform(on: "down") { _ in 1 })
        XCTAssertEqual(factory.connections("down"), 1)
    }
}

/// `closingTransports`: one-step runs close each session as soon as the host is done.
final class HostPoolClosingTests: XCTestCase {
    /// Counts transports open at once, around the real local transport.
    final class CountingFactory: TransportFactory, @unchecked Sendable {
        final class Counted: Transport, @unchecked Sendable {
            let inner: Transport
            let owner: CountingFactory
            var hostName: String { inner.hostName }
            init(_ inner: Transport, _ owner: CountingFactory) { self.inner = inner; self.owner = owner }
            func run(_ command: RemoteCommand) throws -> CommandResult { try inner.run(command) }
            func upload(_ data: Data, to path: String, mode: Int, become: Become?) throws {
                try inner.upload(data, to: path, mode: mode, become: become)
            }
            func download(_ path: String, become: Become?) throws -> Data { try inner.download(path, become: become) }
            func close() { owner.closed(); inner.close() }
        }
        private let lock = NSLock()
        private(set) var open = 0, peak = 0, connects = 0
        func connect(to target: ConnectionTarget) throws -> Transport {
            lock.withLock { open += 1; connects += 1; peak = max(peak, open) }
            return Counted(try LocalTransportFactory().connect(to: target), self)
        }
        func closed() { lock.withLock { open -= 1 } }
    }

    func testEachTransportIsClosedWhenItsHostIsDone() {
        let factory = CountingFactory()
        let hosts = (1...12).map { "h\($0)" }
        let pool = HostPool(targets: hosts.map { ConnectionTarget(name: $0) }, factory: factory, forks: 3)
        let steps = pool.run(on: hosts, closingTransports: true) { _, t in try t.run(RemoteCommand("true")).status }
        XCTAssertEqual(steps.filter { if case .done(0) = $0.outcome { return true } else { return false } }.count, 12)
        XCTAssertEqual(factory.open, 0, "every session is closed by the time run returns")
        XCTAssertLessThanOrEqual(factory.peak, 3, "never more sessions open than forks")
        // A later step connects again.
        _ = pool.run(on: ["h1"]) { _, t in try t.run(RemoteCommand("true")).status }
        XCTAssertEqual(factory.connects, 13)
        pool.close()
        XCTAssertEqual(factory.open, 0)
    }
}
