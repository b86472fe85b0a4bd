import XCTest
@testable import ProvisionCore

final class DockerFactsTests: XCTestCase {
    func testInactiveEngine() throws {
        let facts = try DockerFacts(json: DockerFixtures.text("info-inactive.json"))
        XCTAssertEqual(facts.serverVersion, "20.10.24+dfsg1")
        XCTAssertEqual(facts.storageDriver, "overlay2")
        XCTAssertEqual(facts.name, "node1")
        XCTAssertEqual(facts.swarm.state, .inactive)
        XCTAssertEqual(facts.swarm.nodeID, "")
        XCTAssertFalse(facts.swarm.isLiveManager)
        XCTAssertNil(facts.swarm.clusterID)
        XCTAssertEqual(facts.value["swarm"]?["state"], "inactive")
        XCTAssertEqual(facts.value["version"], "20.10.24+dfsg1")
    }

    func testManagerSeesClusterAndCounts() throws {
        let facts = try DockerFacts(json: DockerFixtures.text("info-manager.json"))
        let s = facts.swarm
        XCTAssertEqual(s.state, .active)
        XCTAssertTrue(s.controlAvailable)
        XCTAssertTrue(s.isLiveManager)
        XCTAssertEqual(s.nodeID, "i6q8xci35mxvp5utf2v830hre")
        XCTAssertEqual(s.clusterID, "llglnirtxhq7w3fhv4voyp791")
        XCTAssertEqual(s.nodeCount, 2)
        XCTAssertEqual(s.managerCount, 1)
        XCTAssertEqual(s.remoteManagers, [.init(nodeID: "i6q8xci35mxvp5utf2v830hre", address: "172.30.213.11:2377")])
        XCTAssertEqual(facts.value["swarm"]?["cluster_id"], "llglnirtxhq7w3fhv4voyp791")
        XCTAssertEqual(facts.value["swarm"]?["is_manager"], true)
    }

    func testWorkerSwarmJSONHasNoCluster() throws {
        let s = try SwarmInfo(json: DockerFixtures.text("swarm-worker.json"))
        XCTAssertEqual(s.state, .active)
        XCTAssertFalse(s.controlAvailable)
        XCTAssertNil(s.clusterID)
        XCTAssertNil(s.managerCount)
        XCTAssertEqual(s.nodeAddress, "172.30.213.12")
        XCTAssertEqual(s.remoteManagers.map(\.address), ["172.30.213.11:2377"])
    }

    func testSwarmJSONOfManagerMatchesFullInfo() throws {
        let fromSwarm = try SwarmInfo(json: DockerFixtures.text("swarm-manager.json"))
        XCTAssertEqual(fromSwarm.clusterID, "llglnirtxhq7w3fhv4voyp791")
        XCTAssertTrue(fromSwarm.isLiveManager)
    }

    func testNoDockerIsAClearError() throws {
        // What the probe sees on a node without Docker: the shell's complaint, not JSON.
        XCTAssertThrowsError(try DockerFacts(json: DockerFixtures.text("info-not-installed.txt"))) { e in
            XCTAssertTrue("\(e)".contains("did not print JSON"), "\(e)")
        }
    }

    func testDaemonDownIsReported() {
        let json = #"{"ID":"","ServerErrors":["Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"],"Swarm":{"LocalNodeState":""}}"#
        XCTAssertThrowsError(try DockerFacts(json: json)) { e in
            XCTAssertTrue("\(e)".contains("Cannot connect"), "\(e)")
        }
    }

    func testUnknownSwarmStateIsAnError() {
        XCTAssertThrowsError(try SwarmInfo(json: #"{"LocalNodeState":"confused"}"#))
    }

    func testNodeListWithDownEntry() throws {
        let nodes = try SwarmNode.parseList(DockerFixtures.text("node-ls-with-down.jsonl"))
        XCTAssertEqual(nodes.count, 2)
        XCTAssertEqual(nodes[0].managerStatus, "Leader")
        XCTAssertTrue(nodes[0].isReachableManager)
        XCTAssertEqual(nodes[1].hostname, "node2")
        XCTAssertTrue(nodes[1].isDown)
        XCTAssertFalse(nodes[1].isManager)
        XCTAssertThrowsError(try SwarmNode.parseList("Error response from daemon: This node is not a swarm manager."))
    }

    func testKeyValueReport() {
        let r = KeyValueReport(parsing: "a=1\nnoise line\nb=x=y z\na=2\n-bad=3\r\nnode={\"ID\":\"q\"}\n")
        XCTAssertEqual(r["a"], "2")
        XCTAssertEqual(r.all("a"), ["1", "2"])
        XCTAssertEqual(r["b"], "x=y z")
        XCTAssertNil(r["-bad"])
        XCTAssertEqual(r["node"], "{\"ID\":\"q\"}")
        XCTAssertTrue(KeyValueReport(parsing: "f=1").flag("f"))
        XCTAssertFalse(KeyValueReport(parsing: "f=0").flag("f"))
    }
}
