import Foundation
import XCTest
@testable import ProvisionCore

/// `PeerDirectory`: what a cross-host module (swarm_cluster) gets of the play's other hosts.
final class PeerDirectoryTests: XCTestCase {
    func testPeersCarryTheirVariablesAndRunLongTransports() throws {
        let h = try RunHarness(groups: "  children:\n    managers:\n      hosts:\n        red01:\n")
        try h.write("site.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=x\n")
        let (pb, inventory) = try h.load("site.yml")
        let targets = try inventory.hosts.map { try $0.connectionTarget(defaults: ConnectionDefaults()) }
        let pool = HostPool(targets: targets, factory: InjectedFaults(unreachable: ["red02"]), forks: 3)
        defer { pool.close() }
        let executor = PlaybookExecutor(playbook: pb, inventory: inventory, selectedHosts: h.hosts, pool: pool,
                                        events: ReporterQueue([]), options: RunOptions())
        let run = PlayRun(executor: executor, play: pb.plays[0], batch: h.hosts, playHosts: h.hosts)
        guard var task = pb.plays[0].tasks.first?.allTasks.first else { return XCTFail("no task") }
        let runner = TaskRunner(run: executor.runVars, options: executor.options, play: pb.plays[0],
                                playVars: run.playVariables, borrowTransport: { _, _ in throw ModuleError("unused") },
                                redactor: executor.redactor)
        // Only modules that declare `.cluster` get one (the executor names no module).
        XCTAssertFalse(task.action.type.requirements.contains(.cluster))
        XCTAssertTrue(try XCTUnwrap(ModuleRegistry.lookup("swarm_cluster")).requirements.contains(.cluster))
        task.action.type = try XCTUnwrap(ModuleRegistry.lookup("swarm_cluster"))
        let dir = try XCTUnwrap(run.peerDirectory(for: task, runner: runner))
        XCTAssertEqual(dir.peers.map(\.name), ["red01", "red02", "red03"])
        XCTAssertEqual(dir.peers[2].vars["state"], .string(h.state("red03")))
        XCTAssertEqual(dir.peers[0].vars["inventory_hostname"], "red01")
        XCTAssertEqual(try dir.transport(for: "red03").run("echo hi").stdoutText, "hi\n")
        XCTAssertThrowsError(try dir.transport(for: "red02"), "an unreachable host has no transport")
        // The same session the pool uses for the host's own steps.
        let own = try pool.perform(on: "red01") { ObjectIdentifier($0) }
        XCTAssertEqual(ObjectIdentifier(try dir.transport(for: "red01")), own)
        // What swarm_cluster sees through HostContext.cluster.
        let cluster: ClusterAccess = dir
        XCTAssertEqual(cluster.hosts(in: "managers").map(\.name), ["red01"])
        XCTAssertEqual(cluster.host(named: "red03")?.vars["state"], .string(h.state("red03")))
    }
}
