import XCTest
@testable import ProvisionCore

final class SwarmPlannerTests: XCTestCase {
    // Recorded on the lab: node1 manager (Leader), node2 worker; then node2 re-imaged (Down).
    var manager: SwarmInfo!
    var worker: SwarmInfo!
    var inactive: SwarmInfo!
    var nodes: [SwarmNode]!
    var nodesWithDown: [SwarmNode]!

    override func setUpWithError() throws {
        manager = try SwarmInfo(json: DockerFixtures.text("swarm-manager.json"))
        worker = try SwarmInfo(json: DockerFixtures.text("swarm-worker.json"))
        inactive = try DockerFacts(json: DockerFixtures.text("info-inactive.json")).swarm
        nodes = try SwarmNode.parseList(DockerFixtures.text("node-ls.jsonl"))
        nodesWithDown = try SwarmNode.parseList(DockerFixtures.text("node-ls-with-down.jsonl"))
    }

    func input(_ host: String, _ role: SwarmPlanner.Role, _ local: SwarmInfo, managers: [SwarmPlanner.ManagerView],
               force: Bool = false) -> SwarmPlanner.Input {
        .init(host: host, hostname: host, role: role, local: local, managers: managers, forceRejoin: force)
    }

    func testFirstManagerInitialisesWhenNoManagerIsInASwarm() {
        let views = [SwarmPlanner.ManagerView(host: "node1", info: inactive)]
        XCTAssertEqual(SwarmPlanner.decide(input("node1", .manager, inactive, managers: views)), .initialize)
        // Everyone else waits for it rather than starting a second swarm.
        XCTAssertEqual(SwarmPlanner.decide(input("node2", .worker, inactive, managers: views)), .waitForManager("node1"))
        let two = views + [.init(host: "node4", info: inactive)]
        XCTAssertEqual(SwarmPlanner.decide(input("node4", .manager, inactive, managers: two)), .waitForManager("node1"))
    }

    func testUnreachableFirstManagerStillBlocksASecondSwarm() {
        // node1 unreachable, node4 inactive: node4 must not init a swarm of its own.
        let views = [SwarmPlanner.ManagerView(host: "node1", info: nil), .init(host: "node4", info: inactive)]
        XCTAssertEqual(SwarmPlanner.decide(input("node4", .manager, inactive, managers: views)), .waitForManager("node1"))
    }

    /// `--limit node2` on a re-imaged worker: the manager is outside the play, reached through
    /// the inventory, and the worker joins through it; with no live manager anywhere it is not
    /// waited for (it runs no step of this play), so the worker fails with what to do.
    func testWorkerJoinsThroughAManagerOutsideTheLimit() {
        let outside = [SwarmPlanner.ManagerView(host: "node1", info: manager, nodes: nodes, inPlay: false)]
        guard case .join(let m, _, false) = SwarmPlanner.decide(input("node2", .worker, inactive, managers: outside)) else {
            return XCTFail("expected a join through node1")
        }
        XCTAssertEqual(m, "node1")
        let dead = [SwarmPlanner.ManagerView(host: "node1", info: inactive, inPlay: false)]
        guard case .fail(let why) = SwarmPlanner.decide(input("node2", .worker, inactive, managers: dead)) else {
            return XCTFail("expected a failure")
        }
        XCTAssertTrue(why.contains("--limit"), why)
    }

    func testInactiveNodeJoinsThroughLiveManager() {
        let views = [SwarmPlanner.ManagerView(host: "node1", info: manager, nodes: nodes)]
        XCTAssertEqual(SwarmPlanner.decide(input("node3", .worker, inactive, managers: views)),
                       .join(manager: "node1", remote: "172.30.213.11:2377", leaveFirst: false))
        // A later manager of the play joins too; it does not init.
        let two = views + [.init(host: "node4", info: inactive)]
        XCTAssertEqual(SwarmPlanner.decide(input("node4", .manager, inactive, managers: two)),
                       .join(manager: "node1", remote: "172.30.213.11:2377", leaveFirst: false))
    }

    func testMemberWithRightRoleIsLeftAlone() {
        let views = [SwarmPlanner.ManagerView(host: "node1", info: manager, nodes: nodes)]
        XCTAssertEqual(SwarmPlanner.decide(input("node2", .worker, worker, managers: views)), .inPlace(manager: "node1"))
        XCTAssertEqual(SwarmPlanner.decide(input("node1", .manager, manager, managers: views)), .inPlace(manager: "node1"))
    }

    func testRoleChanges() {
        let views = [SwarmPlanner.ManagerView(host: "node1", info: manager, nodes: nodes)]
        XCTAssertEqual(SwarmPlanner.decide(input("node2", .manager, worker, managers: views)),
                       .promote(manager: "node1", nodeID: "qjfcmdqj3ahst48uj3m4gizkk"))
        // node1 is the only manager: demoting it would leave none.
        guard case .fail(let why) = SwarmPlanner.decide(input("node1", .worker, manager, managers: views)) else {
            return XCTFail("demoted the last manager")
        }
        XCTAssertTrue(why.contains("last manager"), why)
    }

    func testPromotedWorkerOutsideTheManagersGroupIsDemotedThroughAGroupManager() {
        // node2 was promoted: a live manager itself, though its group is workers.
        var promoted = worker!
        promoted.controlAvailable = true
        promoted.clusterID = manager.clusterID
        let list = [nodes[0], SwarmNode(id: worker.nodeID, hostname: "node2", managerStatus: "Reachable")]
        let views = [SwarmPlanner.ManagerView(host: "node1", info: manager, nodes: list)]
        let i = SwarmPlanner.Input(host: "node2", hostname: "node2", role: .worker, local: promoted, localNodes: list,
                                   managers: views)
        XCTAssertEqual(SwarmPlanner.decide(i), .demote(manager: "node1", nodeID: worker.nodeID))
        // With no group manager answering the controller, its own list serves, and it demotes
        // itself (the swarm still has node1 as Leader).
        let alone = SwarmPlanner.Input(host: "node2", hostname: "node2", role: .worker, local: promoted, localNodes: list,
                                       managers: [SwarmPlanner.ManagerView(host: "node1", info: nil)])
        XCTAssertEqual(SwarmPlanner.decide(alone), .demote(manager: "node2", nodeID: worker.nodeID))
    }

    func testRolesAreReadFromTheGroupManagerNotTheNodesLaggingView() {
        // Seconds after `docker node promote node2`, node1 lists node2 as Reachable while
        // node2's own docker info still says worker: it is a manager already, and a demote
        // must go ahead rather than find it "already a worker".
        let list = [nodes[0], SwarmNode(id: worker.nodeID, hostname: "node2", managerStatus: "Reachable")]
        let views = [SwarmPlanner.ManagerView(host: "node1", info: manager, nodes: list)]
        XCTAssertEqual(SwarmPlanner.decide(input("node2", .manager, worker, managers: views)), .inPlace(manager: "node1"))
        XCTAssertEqual(SwarmPlanner.decide(input("node2", .worker, worker, managers: views)),
                       .demote(manager: "node1", nodeID: worker.nodeID))
        // Seconds after `docker node demote node2`: node2 still believes it is a manager and
        // its own list still shows it as one; node1 already lists it as a worker.
        var lagging = worker!
        lagging.controlAvailable = true
        lagging.clusterID = manager.clusterID
        let demotedList = [nodes[0], SwarmNode(id: worker.nodeID, hostname: "node2")]
        let afterDemote = [SwarmPlanner.ManagerView(host: "node1", info: manager, nodes: demotedList)]
        let i = SwarmPlanner.Input(host: "node2", hostname: "node2", role: .worker, local: lagging, localNodes: list,
                                   managers: afterDemote)
        XCTAssertEqual(SwarmPlanner.decide(i), .inPlace(manager: "node1"))
    }

    func testDemotionKeepsQuorum() {
        let three = [SwarmNode(id: "a", hostname: "a", managerStatus: "Leader"),
                     SwarmNode(id: "b", hostname: "b", managerStatus: "Reachable"),
                     SwarmNode(id: "c", hostname: "c", status: "Down", managerStatus: "Unreachable")]
        // Demoting reachable b leaves a (reachable) and c (unreachable): 1 of 2 is no majority.
        XCTAssertNotNil(SwarmPlanner.demoteRefusal(three[1], nodes: three))
        // Demoting the unreachable c leaves 2 of 2.
        XCTAssertNil(SwarmPlanner.demoteRefusal(three[2], nodes: three))
        let healthy = three.dropLast() + [SwarmNode(id: "c", hostname: "c", managerStatus: "Reachable")]
        XCTAssertNil(SwarmPlanner.demoteRefusal(healthy[1], nodes: Array(healthy)))
        XCTAssertEqual(SwarmPlanner.quorumWarning(managerCount: 2)?.contains("odd"), true)
        XCTAssertNil(SwarmPlanner.quorumWarning(managerCount: 3))
    }

    func testNodeInAnotherSwarmIsReportedAndOnlyForcedOnRequest() {
        // node2 is active, but node1's list does not hold its ID: another swarm.
        let views = [SwarmPlanner.ManagerView(host: "node1", info: manager, nodes: [nodes[0]])]
        guard case .fail(let why) = SwarmPlanner.decide(input("node2", .worker, worker, managers: views)) else {
            return XCTFail("joined a node of another swarm without force_rejoin")
        }
        XCTAssertTrue(why.contains("another swarm") && why.contains("force_rejoin"), why)
        XCTAssertEqual(SwarmPlanner.decide(input("node2", .worker, worker, managers: views, force: true)),
                       .join(manager: "node1", remote: "172.30.213.11:2377", leaveFirst: true))
    }

    func testWorkerThatManagesASwarmOfItsOwnIsAnotherSwarm() {
        var own = manager!
        own.clusterID = "own"
        own.nodeID = "self3"
        let views = [SwarmPlanner.ManagerView(host: "node1", info: manager, nodes: nodes)]
        let i = SwarmPlanner.Input(host: "node3", hostname: "node3", role: .worker, local: own,
                                   localNodes: [SwarmNode(id: "self3", hostname: "node3", managerStatus: "Leader")],
                                   managers: views)
        guard case .fail(let why) = SwarmPlanner.decide(i) else { return XCTFail("moved without force_rejoin") }
        XCTAssertTrue(why.contains("another swarm") && why.contains("force_rejoin"), why)
        var forced = i
        forced.forceRejoin = true
        XCTAssertEqual(SwarmPlanner.decide(forced), .join(manager: "node1", remote: "172.30.213.11:2377", leaveFirst: true))
    }

    func testPendingNodeNeedsForce() throws {
        var pending = inactive!
        pending.state = .pending
        let views = [SwarmPlanner.ManagerView(host: "node1", info: manager, nodes: nodes)]
        guard case .fail(let why) = SwarmPlanner.decide(input("node3", .worker, pending, managers: views)) else {
            return XCTFail("pending node was not reported")
        }
        XCTAssertTrue(why.contains("pending"), why)
    }

    func testManagersInDifferentSwarmsAreRefused() {
        var other = manager!
        other.clusterID = "zzzz"
        other.nodeID = "other"
        let views = [SwarmPlanner.ManagerView(host: "node1", info: manager, nodes: nodes),
                     .init(host: "node4", info: other)]
        guard case .fail(let why) = SwarmPlanner.decide(input("node3", .worker, inactive, managers: views)) else {
            return XCTFail("joined one of two swarms")
        }
        XCTAssertTrue(why.contains("different swarms"), why)
    }

    func testStaleEntriesOfAReimagedNode() {
        // The re-imaged node2 joined again with a new ID; the old one is Down.
        let rejoined = nodesWithDown + [SwarmNode(id: "newid", hostname: "node2")]
        XCTAssertEqual(SwarmPlanner.staleEntries(hostname: "node2", currentID: "newid", nodes: rejoined).map(\.id),
                       ["qjfcmdqj3ahst48uj3m4gizkk"])
        XCTAssertEqual(SwarmPlanner.staleEntries(hostname: "node1", currentID: "i6q8xci35mxvp5utf2v830hre", nodes: rejoined), [])
        // Not Down yet: not removed, but waited for.
        XCTAssertEqual(SwarmPlanner.staleEntries(hostname: "node2", currentID: "newid", nodes: nodes + [SwarmNode(id: "newid", hostname: "node2")]), [])
        XCTAssertEqual(SwarmPlanner.pendingStaleEntries(hostname: "node2", currentID: "newid", nodes: nodes).count, 1)
    }
}
