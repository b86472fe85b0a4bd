import XCTest
@testable import ProvisionCore

/// `docker_swarm state: absent` on a lab whose swarm is formed (run after DockerLabTests, or
/// after playbooks/setup-swarm.yml): node2 leaves, leaving again changes nothing, and joining
/// again replaces its old entry.
final class DockerLabLeaveTests: XCTestCase {
    func testWorkerLeavesAndRejoins() throws {
        let lab = try LabCluster.load()
        let state = try lab.sh("node2", "docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo none")
        guard state.hasPrefix("active") else { throw XCTSkip("node2 is in no swarm (\(state)); run DockerLabTests first") }

        let leave = DockerSwarmModule(present: false)
        let left = try leave.run(in: lab.context("node2"))
        XCTAssertTrue(left.changed && !left.failed, "\(left)")
        XCTAssertEqual(try lab.sh("node2", "docker info --format '{{.Swarm.LocalNodeState}}'")
            .trimmingCharacters(in: .whitespacesAndNewlines), "inactive")
        let again = try leave.run(in: lab.context("node2"))
        XCTAssertFalse(again.changed || again.failed, "\(again)")

        // The only manager does not leave unless forced.
        let managerLeave = try leave.run(in: lab.context("node1"))
        XCTAssertTrue(managerLeave.failed && (managerLeave.message ?? "").contains("force: true"), "\(managerLeave)")
        XCTAssertEqual(try lab.sh("node1", "docker info --format '{{.Swarm.ControlAvailable}}'")
            .trimmingCharacters(in: .whitespacesAndNewlines), "true")

        let rejoined = try DockerSwarmModule().run(in: lab.context("node2"))
        XCTAssertTrue(rejoined.changed && !rejoined.failed, "\(rejoined)")
        XCTAssertNotNil(rejoined.data["removed_stale"], "\(rejoined)")
        let nodes = try SwarmNode.parseList(lab.sh("node1", "docker node ls --format '{{json .}}'"))
        XCTAssertEqual(nodes.filter { $0.hostname == "node2" }.count, 1, "\(nodes)")
    }
}
