import Foundation

/// Runs work on many hosts in parallel, bounded by `forks`, owning one `Transport` per host for
/// the whole run.
///
/// - A host's transport is opened on first use through the `TransportFactory` and kept until
///   `close()`; it is only ever touched on that host's serial `DispatchQueue`, so a session is
///   used by one thread at a time (libssh2's rule), and later steps reuse it.
/// - The calling thread coordinates: it waits on a counting semaphore for a free slot before
///   handing the next host to its queue, so waiting hosts cost no thread, and blocking transport
///   calls never run on Swift's cooperative pool.
/// - A host that cannot be reached (`TransportError.isUnreachable`) is recorded, and later steps
///   skip it without trying again.
/// - Connection events go to the `ReporterQueue`.
public final class HostPool: @unchecked Sendable {
    public let forks: Int
    private let factory: TransportFactory
    private let events: ReporterQueue?
    private var _slots: [String: HostSlot]
    /// Every host the pool may run on; `add(_:)` adds hosts during a run (`add_host`).
    private var slots: [String: HostSlot] { lock.withLock { _slots } }
    private let freeSlots: DispatchSemaphore
    private let lock = NSLock()
    // Guarded by `lock`.
    private var interrupted = false
    private var stepDone: DispatchSemaphore?
    /// Hosts whose work is running now (a drain waits for them; an abort names them).
    private var running = Set<String>()

    /// `targets` names every host the pool may run on (by `ConnectionTarget.name`).
    public init(targets: [ConnectionTarget], factory: TransportFactory, forks: Int = 50,
                events: ReporterQueue? = nil) {
        self.forks = max(1, forks)
        self.factory = factory
        self.events = events
        var slots: [String: HostSlot] = [:]
        for t in targets { slots[t.name] = HostSlot(target: t) }
        self._slots = slots
        self.freeSlots = DispatchSemaphore(value: max(1, forks))
    }

    /// Lets the pool run on a host it did not know (one `add_host` created); a known name is
    /// left as it is.
    public func add(_ target: ConnectionTarget) {
        lock.withLock { if _slots[target.name] == nil { _slots[target.name] = HostSlot(target: target) } }
    }

    /// True when the pool can run on `host`.
    public func knows(_ host: String) -> Bool { lock.withLock { _slots[host] != nil } }

    /// True once `interrupt()` was called.
    public var isInterrupted: Bool { lock.withLock { interrupted } }

    /// Hosts found unreachable so far, with why.
    public var unreachableHosts: [String: TransportError] {
        var out: [String: TransportError] = [:]
        for (name, slot) in slots { if let e = slot.unreachable { out[name] = e } }
        return out
    }

    /// Runs `body` once on each of `hosts` with that host's transport, at most `forks` at a time,
    /// and returns when all are done (or at once after `interrupt()`). Results are in the order
    /// of `hosts`. `onFinish` is called on the host's queue as each host finishes, in completion
    /// order (for live output); it is not called for hosts skipped or interrupted. One step
    /// runs at a time: call `run` again only after it returned.
    ///
    /// With `closingTransports`, each host's transport is closed as soon as its work is done
    /// (a later step would connect again): for one-step runs such as `provision exec`, so a
    /// run over many hosts never holds every session, and its memory, open at once.
    /// `locally`: hosts for which the step runs on the controller instead (a play's
    /// `connection: local`), through a local transport of their own; their own transport is
    /// not opened.
    public func run<R>(on hosts: [String], closingTransports: Bool = false, locally: Set<String> = [],
                       _ body: @escaping (String, Transport) throws -> R,
                       onFinish: ((HostStep<R>) -> Void)? = nil) -> [HostStep<R>] {
        let box = StepResults<R>(hosts: hosts)
        let group = DispatchGroup()
        let done = DispatchSemaphore(value: 0)
        lock.withLock { stepDone = done }
        for (i, host) in hosts.enumerated() {
            if isInterrupted { break }
            guard let slot = slots[host] else {
                box.set(i, HostStep(host: host, outcome: .failed(TransportError(.failed, host: host, "host is not in the pool")), duration: 0))
                continue
            }
            if let e = slot.unreachable {
                box.set(i, HostStep(host: host, outcome: .skipped(e), duration: 0))
                continue
            }
            freeSlots.wait()
            if isInterrupted {
                freeSlots.signal()
                break
            }
            group.enter()
            slot.queue.async {
                defer {
                    self.freeSlots.signal()
                    group.leave()
                }
                if self.isInterrupted { return }
                self.lock.withLock { _ = self.running.insert(host) }
                defer { self.lock.withLock { _ = self.running.remove(host) } }
                let step = self.perform(body, on: slot, locally: locally.contains(host))
                if box.set(i, step) { onFinish?(step) }
                if closingTransports, let t = slot.transport {
                    t.close()
                    slot.transport = nil
                }
            }
        }
        group.notify(queue: .global()) { done.signal() }
        done.wait()
        lock.withLock { stepDone = nil }
        return box.finish()
    }

    private func perform<R>(_ body: (String, Transport) throws -> R, on slot: HostSlot, locally: Bool = false) -> HostStep<R> {
        let host = slot.target.name
        let start = Date()
        func elapsed() -> TimeInterval { Date().timeIntervalSince(start) }
        do {
            let transport: Transport
            if locally {
                transport = try slot.localTransport ?? LocalTransportFactory().connect(to: slot.target)
                slot.localTransport = transport
            } else {
                transport = try connectIfNeeded(slot)
            }
            let value = try body(host, transport)
            return HostStep(host: host, outcome: .done(value), duration: elapsed())
        } catch let e as TransportError where e.isUnreachable {
            markUnreachable(slot, e)
            return HostStep(host: host, outcome: .unreachable(e), duration: elapsed())
        } catch {
            return HostStep(host: host, outcome: .failed(error), duration: elapsed())
        }
    }

    /// Runs on the slot's queue only.
    private func connectIfNeeded(_ slot: HostSlot) throws -> Transport {
        if let t = slot.transport { return t }
        let target = slot.target
        var endpoint = target.address
        if let p = target.port { endpoint += ":\(p)" }
        if let u = target.user { endpoint = "\(u)@" + endpoint }
        events?.emit(.hostConnecting(host: target.name, endpoint: endpoint))
        let start = Date()
        let t = try factory.connect(to: target)
        slot.transport = t
        events?.emit(.hostConnected(host: target.name, duration: Date().timeIntervalSince(start)))
        return t
    }

    /// How `host` is reached (address, port, user, identities, host-key policy), as the run
    /// resolved it: for modules that open their own connection to it (`synchronize`).
    public func target(for host: String) -> ConnectionTarget? { slots[host]?.target }

    /// `meta: clear_host_errors`: these hosts may be tried again (a later step reconnects).
    public func clearUnreachable(_ hosts: [String]) {
        for h in hosts { slots[h]?.unreachable = nil }
    }

    private func markUnreachable(_ slot: HostSlot, _ e: TransportError) {
        slot.unreachable = e
        if let t = slot.transport {
            t.close()
            slot.transport = nil
        }
        events?.emit(.hostUnreachable(host: slot.target.name, error: e))
    }

    /// Runs `body` with `host`'s transport on that host's queue and waits for it: for reads
    /// across hosts (a swarm join token from a live manager), so a session is never used by two
    /// threads. Called from the host's own queue it runs inline. Throws the host's recorded
    /// unreachable error without trying again.
    public func perform<R>(on host: String, _ body: (Transport) throws -> R) throws -> R {
        guard let slot = slots[host] else { throw TransportError(.failed, host: host, "host is not in the pool") }
        if let e = slot.unreachable { throw e }
        return try withoutActuallyEscaping(body) { body in
            let work = { () throws -> R in
                do {
                    return try body(try self.connectIfNeeded(slot))
                } catch let e as TransportError where e.isUnreachable {
                    self.markUnreachable(slot, e)
                    throw e
                }
            }
            if DispatchQueue.getSpecific(key: HostSlot.key) == ObjectIdentifier(slot) { return try work() }
            return try slot.queue.sync(execute: work)
        }
    }

    /// The first Ctrl-C: no host starts new work (so no new task starts anywhere), while the
    /// work already running finishes or times out and is reported as usual; `isInterrupted`
    /// turns true, so the executor stops at its next task boundary.
    public func drain() {
        lock.withLock { interrupted = true }
        freeSlots.signal()  // wakes the coordinator if it waits for a slot
    }

    /// After an abort: ends on each of `hosts` the command its transport is running, through a
    /// fresh connection (the host's own session is still waiting for it), all hosts at once;
    /// returns after `timeout` seconds at most.
    public func endRunningCommands(on hosts: [String], timeout: TimeInterval) {
        let group = DispatchGroup()
        for host in hosts {
            // Read off the slot's queue on purpose: that queue is blocked in the command. The
            // reference stays valid while it runs; the transport synchronises itself.
            guard let transport = slots[host]?.transport as? CommandEndingTransport else { continue }
            group.enter()
            DispatchQueue.global().async {
                transport.endRunningCommand(timeout: timeout)
                group.leave()
            }
        }
        _ = group.wait(timeout: .now() + timeout + 1)
    }

    /// Hosts in the middle of their work right now: after an abort, possibly mid-change.
    public var hostsRunning: [String] { lock.withLock { running.sorted() } }

    /// Stops handing hosts out and makes the running `run` return now; hosts still running are
    /// reported as interrupted (their blocking calls end with the process or their timeouts).
    /// Safe to call from any thread, e.g. a SIGINT handler's queue.
    public func interrupt() {
        let done: DispatchSemaphore? = lock.withLock {
            interrupted = true
            return stepDone
        }
        freeSlots.signal()  // wakes the coordinator if it waits for a slot
        done?.signal()
    }

    /// Closes every open transport, each on its own queue, waiting at most `timeout` seconds
    /// (a host stuck in a command after an interrupt must not hold the exit).
    public func close(timeout: TimeInterval = 10) {
        let group = DispatchGroup()
        for slot in slots.values {
            group.enter()
            slot.queue.async {
                slot.transport?.close()
                slot.transport = nil
                slot.localTransport?.close()
                slot.localTransport = nil
                group.leave()
            }
        }
        _ = group.wait(timeout: .now() + timeout)
    }
}

/// One host's place in the pool: its target, its queue, and the transport only that queue touches.
final class HostSlot: @unchecked Sendable {
    let target: ConnectionTarget
    let queue: DispatchQueue
    /// Confined to `queue`.
    var transport: Transport?
    /// The controller, for steps run locally on the host's behalf. Confined to `queue`.
    var localTransport: Transport?
    private let lock = NSLock()
    private var _unreachable: TransportError?

    init(target: ConnectionTarget) {
        self.target = target
        self.queue = DispatchQueue(label: "provision.host.\(target.name)")
        queue.setSpecific(key: Self.key, value: ObjectIdentifier(self))
    }

    /// Marks each slot's queue, so code can tell it already runs there.
    static let key = DispatchSpecificKey<ObjectIdentifier>()

    var unreachable: TransportError? {
        get { lock.withLock { _unreachable } }
        set { lock.withLock { _unreachable = newValue } }
    }
}

/// The results of one step, filled from many queues; frozen when the step returns so late
/// finishers after an interrupt cannot change what was reported.
final class StepResults<R>: @unchecked Sendable {
    private let hosts: [String]
    private var steps: [HostStep<R>?]
    private var frozen = false
    private let lock = NSLock()

    init(hosts: [String]) {
        self.hosts = hosts
        self.steps = Array(repeating: nil, count: hosts.count)
    }

    /// Records a step; false when the results are already frozen.
    @discardableResult
    func set(_ i: Int, _ step: HostStep<R>) -> Bool {
        lock.withLock {
            if frozen { return false }
            steps[i] = step
            return true
        }
    }

    func finish() -> [HostStep<R>] {
        lock.withLock {
            frozen = true
            return steps.enumerated().map { i, s in s ?? HostStep(host: hosts[i], outcome: .interrupted, duration: 0) }
        }
    }
}
