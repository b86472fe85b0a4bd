import XCTest
@testable import ProvisionCore

final class SwarmNetworkModuleTests: XCTestCase {
    func testDriftAgainstRecordedNetwork() throws {
        let existing = try XCTUnwrap(Value(jsonText: DockerFixtures.text("network-inspect-overlay.json")))
        XCTAssertEqual(try SwarmNetworkModule(name: "clipper_network").drift(existing: existing), [])
        XCTAssertEqual(try SwarmNetworkModule(name: "clipper_network", attachable: false).drift(existing: existing),
                       ["it is attachable"])
        XCTAssertEqual(try SwarmNetworkModule(name: "clipper_network", driver: "bridge").drift(existing: existing),
                       ["driver is overlay, not bridge"])
    }

    func testArguments() throws {
        let spec = SwarmNetworkModule.argumentSpec
        let m = try SwarmNetworkModule(arguments: ModuleArguments(["name": "clipper_network"], spec: spec))
        XCTAssertEqual(m.driver, "overlay")
        XCTAssertTrue(m.attachable)
        XCTAssertFalse(spec.problems(in: [:]).isEmpty, "name is required")
        XCTAssertThrowsError(try SwarmNetworkModule(name: "a b"))
        XCTAssertThrowsError(try SwarmNetworkModule(name: "--rm"))
    }

    func testScriptCreatesOnlyWhenMissingAndNotInCheckMode() throws {
        let m = try SwarmNetworkModule(name: "clipper_network")
        let script = m.script(create: true)
        XCTAssertTrue(script.contains("docker network create -d overlay --attachable clipper_network"))
        // The inspect comes first: an existing network is never created twice.
        let inspect = try XCTUnwrap(script.range(of: "printf 'existing=%s\\n'"))
        let create = try XCTUnwrap(script.range(of: "docker network create"))
        XCTAssertLessThan(inspect.lowerBound, create.lowerBound)
        XCTAssertTrue(m.script(create: false).contains("\nexit 0\n"))
    }

    func testSwarmArguments() throws {
        let spec = SwarmClusterModule.argumentSpec
        let m = try SwarmClusterModule(arguments: ModuleArguments(["role": "worker", "force": true], spec: spec))
        XCTAssertEqual(m.role, .worker)
        XCTAssertTrue(m.forceRejoin, "force is an alias of force_rejoin")
        XCTAssertEqual(m.managersGroup, "managers")
        XCTAssertFalse(spec.problems(in: ["role": "boss"]).isEmpty)
        XCTAssertThrowsError(try SwarmClusterModule(arguments: ModuleArguments(["advertise_addr": "1.2.3.4'; rm"], spec: spec)))
        XCTAssertEqual(ClusterHost(name: "pi1", vars: ["ansible_host": "10.0.0.1"]).address, "10.0.0.1")
        XCTAssertEqual(ClusterHost(name: "pi1").address, "pi1")
    }
}
