import Foundation
import XCTest
@testable import ProvisionCore

/// A real run on the controller: several inventory hosts with `ansible_connection: local`,
/// each with its own temp directory as its state (`state` host var), so each host has its
/// own files. Events are collected, and the console and JSON reporters write to buffers.
final class RunHarness {
    let dir: String
    let hosts: [String]
    var inventoryPath: String { dir + "/inventory.yml" }

    init(hosts: [String] = ["red01", "red02", "red03"], hostVars: [String: String] = [:],
         groups: String = "") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pb-\(UUID().uuidString.prefix(8))").path
        self.hosts = hosts
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var inv = "all:\n  hosts:\n"
        for h in hosts {
            try FileManager.default.createDirectory(atPath: state(h), withIntermediateDirectories: true)
            inv += "    \(h):\n      ansible_connection: local\n      state: \(state(h))\n"
            if let extra = hostVars[h] { inv += extra.split(separator: "\n").map { "      \($0)\n" }.joined() }
        }
        inv += groups
        try inv.write(toFile: inventoryPath, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func state(_ host: String) -> String { dir + "/state/" + host }

    func read(_ host: String, _ file: String) -> String? {
        try? String(contentsOfFile: state(host) + "/" + file, encoding: .utf8)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func load(_ playbook: String, extraVars: [String: Value] = [:]) throws -> (Playbook, Inventory) {
        let inventory = try InventoryLoader().load(inventoryPath)
        var known = Set(extraVars.keys)
        for h in inventory.hosts { known.formUnion(h.vars.keys) }
        for g in inventory.groups { known.formUnion(g.vars.keys) }
        let pb = try PlaybookLoader(knownVariables: known).load(dir + "/" + playbook)
        return (pb, inventory)
    }

    struct Result {
        var recap: RunRecap
        var events: [PlaybookEvent]
        var console: String
        var json: String
        /// Hosts whose transport was opened.
        var connected: [String]

        /// Results of the task named `name` (its last run), by host.
        func results(_ name: String) -> [String: TaskHostResult] {
            var out: [String: TaskHostResult] = [:]
            for e in events {
                if case .taskFinished(let info, let rs) = e, info.name == name {
                    out = [:]
                    for r in rs { out[r.host] = r }
                }
            }
            return out
        }

        func status(_ name: String) -> [String: TaskStatus] { results(name).mapValues(\.status) }

        /// Task names in the order they finished (handlers included).
        var taskOrder: [String] {
            events.compactMap { if case .taskFinished(let i, _) = $0 { return i.name }; return nil }
        }

        func recap(_ host: String) -> HostRecap? { recap.hosts.first { $0.name == host }?.recap }
    }

    func run(_ playbook: String, options: RunOptions = RunOptions(), limit: [String]? = nil,
             unreachable: Set<String> = [], forks: Int = 5, verbosity: Int = 0) throws -> Result {
        let (pb, inventory) = try load(playbook, extraVars: options.extraVars)
        let log = PlaybookEventLog()
        let console = TextBuffer()
        let json = TextBuffer()
        let redactor = SecretRedactor()
        let events = ReporterQueue([
            log,
            RunConsoleReporter(output: console.output, style: TerminalStyle(enabled: false), redactor: redactor,
                               verbosity: verbosity),
            RunJSONReporter(output: json.output, redactor: redactor),
        ])
        let targets = try inventory.hosts.map { try $0.connectionTarget(defaults: ConnectionDefaults()) }
        let pool = HostPool(targets: targets, factory: InjectedFaults(unreachable: unreachable), forks: forks, events: events)
        defer { pool.close() }
        var opts = options
        opts.delayScale = 0.01
        opts.verbosity = verbosity
        let executor = PlaybookExecutor(playbook: pb, inventory: inventory, selectedHosts: limit ?? hosts,
                                        pool: pool, events: events, options: opts, redactor: redactor)
        executor.connectionTarget = { try? $0.connectionTarget(defaults: ConnectionDefaults()) }
        let recap = executor.run()
        events.flush()
        return Result(recap: recap, events: log.events, console: console.contents, json: json.contents,
                      connected: log.connected)
    }
}

/// Fault injection around the real `LocalTransportFactory`: the named hosts are unreachable.
final class InjectedFaults: TransportFactory, @unchecked Sendable {
    let unreachable: Set<String>
    init(unreachable: Set<String>) { self.unreachable = unreachable }
    func connect(to target: ConnectionTarget) throws -> Transport {
        if unreachable.contains(target.name) {
            throw TransportError(.unreachable, host: target.name, "connection refused (injected)")
        }
        return try LocalTransportFactory().connect(to: target)
    }
}

/// Collects playbook events (on the reporter queue).
final class PlaybookEventLog: Reporter, @unchecked Sendable {
    private(set) var events: [PlaybookEvent] = []
    /// Hosts whose transport the pool opened, in order.
    private(set) var connected: [String] = []
    func handle(_ event: RunEvent) {
        switch event {
        case .playbook(let e): events.append(e)
        case .hostConnected(let host, _): connected.append(host)
        default: break
        }
    }
}
