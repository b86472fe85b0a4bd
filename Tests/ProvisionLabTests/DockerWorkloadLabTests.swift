import Foundation
import XCTest
@testable import ProvisionCore

/// Workloads on the lab's swarm, through the built `provision` binary: an image made on this
/// machine with `docker import` (nothing can be pulled here) is shipped to every node, runs as a
/// replicated service on the attachable overlay network, and a container on each node reaches
/// the next node's container by name; a second run changes nothing. Then the community.docker
/// style playbook, and every node a manager with `docker -H OTHER:2375 ps` working from each.
/// Reuses the lab SwarmEndToEndTests left (scripts/test runs it right after, no fresh lab).
final class DockerWorkloadLabTests: XCTestCase {
    var repo: String { LabCluster.repo.path }

    func testImageShippedServiceAndContainersTalkingOverTheOverlay() throws {
        let lab = try LabCluster.load()
        let bin = repo + "/.build/debug/provision"
        guard FileManager.default.isExecutableFile(atPath: bin) else { throw XCTSkip("build provision first: \(bin)") }
        let archive = try makeImage()
        defer { try? FileManager.default.removeItem(atPath: archive) }

        var r = try run(bin, "playbooks/setup-swarm.yml")
        XCTAssertEqual(r.status, 0, r.text)
        r = try run(bin, "playbooks/workload.yml", "-e", "image_archive=\(archive)")
        XCTAssertEqual(r.status, 0, r.text)
        let ids = try ["node1", "node2", "node3"].map {
            try lab.sh($0, "docker image inspect --format '{{.Id}}' provision/busybox:lab").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(Set(ids).count, 1, "\(ids)")
        let replicas = try lab.sh("node1", "docker service ls --filter name=pinger --format '{{.Replicas}}'")
        XCTAssertTrue(replicas.hasPrefix("3/3"), replicas)
        XCTAssertTrue(try lab.sh("node2", "docker exec talk-node2 ping -c 1 -W 5 talk-node3 && echo reached").contains("reached"))
        // Again: the image is not shipped again, nothing changes.
        r = try run(bin, "playbooks/workload.yml", "-e", "image_archive=\(archive)")
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertNil(r.text.range(of: "changed=[1-9]", options: .regularExpression), r.text)
    }

    /// The seeds' all-managers cluster: every node in `managers` (an odd count), each promoted by
    /// setup-swarm, and `docker -H OTHER:2375 ps` answers from every node; then back to one
    /// manager, the demotions checked against quorum.
    func testEveryNodeAManagerAndEachReachesTheOthersOn2375() throws {
        let lab = try LabCluster.load()
        let bin = repo + "/.build/debug/provision"
        guard FileManager.default.isExecutableFile(atPath: bin) else { throw XCTSkip("build provision first: \(bin)") }
        let inventory = try String(contentsOfFile: repo + "/inventories/lab.yml", encoding: .utf8)
        // The workers move under managers. They stay listed in workers too: provision's pattern
        // `managers:workers` matches nothing when one side is an empty group (a pattern bug
        // reported to the lead; Ansible matches the managers).
        let allManagers = inventory.replacingOccurrences(of: "\n    workers:\n      hosts:", with: "")
            + "    workers:\n      hosts:\n        node2: {}\n        node3: {}\n"
        let path = repo + "/inventories/lab-all-managers.yml"
        try allManagers.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var r = try shell([bin, "run", "-i", path, "playbooks/setup-swarm.yml"].map(Shell.quote).joined(separator: " "))
        XCTAssertEqual(r.status, 0, r.text)
        let nodes = try SwarmNode.parseList(lab.sh("node1", "docker node ls --format '{{json .}}'"))
        XCTAssertEqual(nodes.filter(\.isManager).count, 3, "\(nodes)")
        let names = ["node1", "node2", "node3"]
        for (i, n) in names.enumerated() {
            let other = try XCTUnwrap(lab.host(named: names[(i + 1) % 3])).address
            let out = try lab.sh(n, "docker -H tcp://\(other):2375 ps --format '{{.Names}}' >/dev/null && docker -H tcp://\(other):2375 node ls -q | wc -l")
            XCTAssertEqual(out.trimmingCharacters(in: .whitespacesAndNewlines), "3", "\(n) → \(other): \(out)")
        }
        // A second run changes nothing; then back to the lab's one manager.
        r = try shell([bin, "run", "-i", path, "playbooks/setup-swarm.yml"].map(Shell.quote).joined(separator: " "))
        XCTAssertNil(r.text.range(of: "changed=[1-9]", options: .regularExpression), r.text)
        r = try run(bin, "playbooks/setup-swarm.yml")
        XCTAssertEqual(r.status, 0, r.text)
        let after = try SwarmNode.parseList(lab.sh("node1", "docker node ls --format '{{json .}}'"))
        XCTAssertEqual(after.filter(\.isManager).map(\.hostname), ["node1"], "\(after)")
        r = try run(bin, "playbooks/swarm-status.yml")
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertTrue(r.text.contains("Leader active ready"), r.text)
    }

    func makeImage() throws -> String { try LabShell.makeImage() }

    func run(_ bin: String, _ args: String...) throws -> (status: Int32, text: String) {
        try shell(([bin, "run", "-i", "inventories/lab.yml"] + args).map(Shell.quote).joined(separator: " "))
    }

    func shell(_ line: String) throws -> (status: Int32, text: String) { try LabShell.run(line) }

    /// `--limit node3` after node3 lost its swarm state (as a re-image does): the manager is
    /// outside the limit, reached through the inventory; node3 joins through it and its old
    /// `Down` entry is removed.
    func testLimitedReimagedWorkerJoinsThroughAManagerOutsideTheLimit() throws {
        let lab = try LabCluster.load()
        let bin = repo + "/.build/debug/provision"
        guard FileManager.default.isExecutableFile(atPath: bin) else { throw XCTSkip("build provision first: \(bin)") }
        var r = try run(bin, "playbooks/setup-swarm.yml")
        XCTAssertEqual(r.status, 0, r.text)
        _ = try lab.sh("node3", "systemctl stop docker docker.socket && rm -rf /var/lib/docker/swarm && systemctl start docker")
        r = try run(bin, "playbooks/setup-swarm.yml", "--limit", "node3")
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertTrue(r.text.contains("changed: node3"), r.text)
        let nodes = try SwarmNode.parseList(lab.sh("node1", "docker node ls --format '{{json .}}'"))
        XCTAssertEqual(nodes.filter { $0.hostname == "node3" }.map(\.status), ["Ready"], "\(nodes)")
    }

    /// playbooks/examples/community-swarm.yml, written in community.docker's style, on the lab's
    /// swarm: node labels, the attachable overlay network, the service and the stack are what
    /// the collection documents; `--check` and a second run change nothing.
    func testCommunityStylePlaybookConvergesAndStays() throws {
        let lab = try LabCluster.load()
        let bin = repo + "/.build/debug/provision"
        guard FileManager.default.isExecutableFile(atPath: bin) else { throw XCTSkip("build provision first: \(bin)") }
        let archive = try makeImage()
        defer { try? FileManager.default.removeItem(atPath: archive) }
        var r = try run(bin, "playbooks/examples/community-swarm.yml", "-e", "busybox_archive=\(archive)")
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertFalse(r.text.contains("SWMTKN-"), "a join token was printed")
        XCTAssertEqual(try lab.sh("node1", "docker node inspect node3 --format '{{json .Spec.Labels}}'")
            .trimmingCharacters(in: .whitespacesAndNewlines), #"{"provisioned":"yes","tier":"compute"}"#)
        let net = try XCTUnwrap(Value(jsonText: lab.sh("node1", "docker network inspect lab_overlay --format '{{json .}}'")))
        XCTAssertEqual(net["Driver"], "overlay")
        XCTAssertEqual(net["Attachable"], true)
        XCTAssertEqual(net["Scope"], "swarm")
        XCTAssertTrue(try lab.sh("node1", "docker service ls --format '{{.Name}} {{.Replicas}}'").contains("community_pinger 3/3")
                      || (try lab.sh("node1", "sleep 10; docker service ls --format '{{.Name}} {{.Replicas}}'")).contains("community_pinger 3/3"))
        XCTAssertTrue(try lab.sh("node1", "docker stack services web --format '{{.Name}}'").contains("web_idle"))
        for extra in [["--check"], []] {
            r = try shell(([bin, "run", "-i", "inventories/lab.yml", "playbooks/examples/community-swarm.yml",
                            "-e", "busybox_archive=\(archive)"] + extra).map(Shell.quote).joined(separator: " "))
            XCTAssertEqual(r.status, 0, r.text)
            XCTAssertNil(r.text.range(of: "changed=[1-9]", options: .regularExpression), "\(extra): \(r.text)")
        }
    }
}
