import Foundation
import XCTest
@testable import ProvisionCore

/// The Docker modules end to end on the lab's real nodes: bare Debian with systemd and sshd,
/// turned into a swarm, then run again to prove nothing changes, then a node re-imaged and
/// rejoined. Needs a fresh `sudo scripts/lab up 3` and PROVISION_LAB_TESTS=1; takes minutes
/// (apt installs Docker on three nodes).
final class DockerLabTests: XCTestCase {
    let all = ["node1", "node2", "node3"]

    func testBareNodesBecomeASwarmAndStayOne() throws {
        let lab = try LabCluster.load()
        let fresh = try lab.sh("node2", "command -v dockerd || echo none")
        guard fresh.contains("none") else { throw XCTSkip("the lab nodes already have Docker; start a fresh lab (scripts/lab down; up 3)") }

        // Check mode on a bare node: reports the install, installs nothing.
        let checked = try DockerInstallModule(users: ["pi"]).run(in: lab.context("node2", check: true))
        XCTAssertTrue(checked.changed, "\(checked)")
        XCTAssertTrue(try lab.sh("node2", "command -v dockerd || echo none").contains("none"))

        // docker_install on all three (node3's sudo needs a password).
        let install = DockerInstallModule(users: ["pi"])
        var r = try lab.runAll(all, install)
        for n in all {
            XCTAssertFalse(r[n]!.failed, "\(n): \(r[n]!.message ?? "")")
            XCTAssertTrue(r[n]!.changed, n)
            XCTAssertNotNil(r[n]!.data["docker_version"], n)
        }
        XCTAssertTrue(try lab.sh("node3", "id -nG pi").split(whereSeparator: \.isWhitespace).contains("docker"))
        r = try lab.runAll(all, install)
        for n in all { XCTAssertFalse(r[n]!.changed || r[n]!.failed, "second install on \(n): \(r[n]!)") }

        try daemonSteps(lab)
        try swarmSteps(lab)
        try networkSteps(lab)
        try foreignSwarmSteps(lab)
        try reimageSteps(lab)
    }

    /// `swarm_cluster state: absent` once the swarm is formed (this runs after the test above,
    /// XCTest going by name): node2 leaves, leaving again changes nothing, the only manager
    /// refuses without force, and node2 joins again with its old entry replaced.
    func testWorkerLeavesAndRejoins() throws {
        let lab = try LabCluster.load()
        let state = try lab.sh("node2", "docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo none")
        guard state.hasPrefix("active") else { throw XCTSkip("node2 is in no swarm (\(state)); run DockerLabTests first") }

        let leave = SwarmClusterModule(present: false)
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

        let rejoined = try SwarmClusterModule().run(in: lab.context("node2"))
        XCTAssertTrue(rejoined.changed && !rejoined.failed, "\(rejoined)")
        XCTAssertNotNil(rejoined.data["removed_stale"], "\(rejoined)")
        let nodes = try SwarmNode.parseList(lab.sh("node1", "docker node ls --format '{{json .}}'"))
        XCTAssertEqual(nodes.filter { $0.hostname == "node2" }.count, 1, "\(nodes)")
        try swarmLockSteps(lab)
    }

    /// The cluster-side swarm lock on the first manager (node1): every step above released it;
    /// a lock of another controller makes the step wait, then fail naming it, changing nothing;
    /// once it is gone the step goes ahead.
    func swarmLockSteps(_ lab: LabCluster) throws {
        let lockFile = "/run/provision/swarm.lock"
        XCTAssertEqual(try lab.sh("node1", "test -e \(lockFile) && echo held || echo free"), "free\n")
        _ = try lab.sh("node1", """
            mkdir -p /run/provision && now=$(date +%s) &&
            printf 'run=foreign\\ncontroller=other-controller\\npid=77\\nplaybook=/srv/site.yml\\nsince=%s\\nexpires=%s\\n' "$now" "$((now + 600))" > \(lockFile)
            """)
        var step = SwarmClusterModule()
        step.lockTimeout = 3
        let blocked = try step.run(in: lab.context("node2"))
        XCTAssertTrue(blocked.failed, "\(blocked)")
        XCTAssertTrue((blocked.message ?? "").contains("pid 77 on other-controller"), "\(blocked)")
        XCTAssertTrue((blocked.message ?? "").contains("/srv/site.yml"), "\(blocked)")
        XCTAssertTrue(try lab.sh("node1", "cat \(lockFile)").contains("run=foreign"), "the foreign lock is left alone")
        _ = try lab.sh("node1", "rm -f \(lockFile)")
        let free = try step.run(in: lab.context("node2"))
        XCTAssertFalse(free.failed || free.changed, "\(free)")
        XCTAssertEqual(try lab.sh("node1", "test -e \(lockFile) && echo held || echo free"), "free\n")
    }

    func daemonSteps(_ lab: LabCluster) throws {
        let daemon = try DockerDaemonModule()
        var r = try lab.runAll(all, daemon)
        for n in all {
            XCTAssertFalse(r[n]!.failed, "\(n): \(r[n]!.message ?? "")")
            XCTAssertTrue(r[n]!.changed, n)
            XCTAssertTrue(r[n]!.warnings.contains { $0.contains("without TLS") }, n)
        }
        XCTAssertTrue(try lab.sh("node1", "docker -H tcp://127.0.0.1:2375 version --format '{{.Server.Version}}'").contains("20.10"))
        r = try lab.runAll(all, daemon)
        for n in all { XCTAssertFalse(r[n]!.changed || r[n]!.failed, "second daemon run on \(n): \(r[n]!)") }

        // A hosts key in daemon.json would stop dockerd: refused before anything changes.
        _ = try lab.sh("node2", #"echo '{"hosts": ["unix:///var/run/docker.sock"]}' > /etc/docker/daemon.json"#)
        let conflict = try DockerDaemonModule(hosts: ["fd://"]).run(in: lab.context("node2"))
        XCTAssertTrue(conflict.failed && (conflict.message ?? "").contains("daemon.json"), "\(conflict)")
        _ = try lab.sh("node2", "rm /etc/docker/daemon.json")

        // A socket dockerd cannot open: it does not come back, so the old drop-in is restored.
        let before = try lab.sh("node2", "cat \(DockerDaemonPlan.dropInPath)")
        let bad = try DockerDaemonModule(hosts: ["fd://", "tcp://198.51.100.77:2375"]).run(in: lab.context("node2"))
        XCTAssertTrue(bad.failed, "\(bad)")
        XCTAssertTrue((bad.message ?? "").contains("restored"), bad.message ?? "")
        XCTAssertEqual(try lab.sh("node2", "cat \(DockerDaemonPlan.dropInPath)"), before)
        XCTAssertEqual(try lab.sh("node2", "systemctl is-active docker").trimmingCharacters(in: .whitespacesAndNewlines), "active")
    }

    func swarmSteps(_ lab: LabCluster) throws {
        // All three at once, as one task on a batch: node1 initialises, the workers wait for it.
        let swarm = SwarmClusterModule()
        var r = try lab.runAll(all, swarm)
        for n in all {
            XCTAssertFalse(r[n]!.failed, "\(n): \(r[n]!.message ?? "")")
            XCTAssertTrue(r[n]!.changed, n)
        }
        let nodes = try SwarmNode.parseList(lab.sh("node1", "docker node ls --format '{{json .}}'"))
        XCTAssertEqual(Set(nodes.map(\.hostname)), Set(all))
        XCTAssertEqual(nodes.filter(\.isManager).map(\.hostname), ["node1"])
        r = try lab.runAll(all, swarm)
        for n in all { XCTAssertFalse(r[n]!.changed || r[n]!.failed, "second swarm run on \(n): \(r[n]!)") }

        // The join token never shows in what the module returns.
        let token = try lab.sh("node1", "docker swarm join-token -q worker").trimmingCharacters(in: .whitespacesAndNewlines)
        let managerToken = try lab.sh("node1", "docker swarm join-token -q manager").trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(token.hasPrefix("SWMTKN-"))
        for n in all {
            let text = r[n]!.registered.jsonString + r[n]!.warnings.joined()
            XCTAssertFalse(text.contains(token) || text.contains(managerToken), n)
        }

        // Role change: node2 promoted (the swarm then has an even count: warned), then demoted.
        let promoted = try SwarmClusterModule(role: .manager).run(in: lab.context("node2"))
        XCTAssertTrue(promoted.changed && !promoted.failed, "\(promoted)")
        XCTAssertTrue(promoted.warnings.contains { $0.contains("odd") }, "\(promoted.warnings)")
        let demoted = try SwarmClusterModule(role: .worker).run(in: lab.context("node2"))
        XCTAssertTrue(demoted.changed && !demoted.failed, "\(demoted)")
        // The last manager is never demoted.
        let refused = try SwarmClusterModule(role: .worker).run(in: lab.context("node1"))
        XCTAssertTrue(refused.failed && (refused.message ?? "").contains("last manager"), "\(refused)")
    }

    func networkSteps(_ lab: LabCluster) throws {
        let net = try SwarmNetworkModule(name: "clipper_network")
        var r = try lab.runAll(all, net)
        XCTAssertEqual(r.values.filter(\.failed).count, 0, "\(r)")
        XCTAssertEqual(r.values.filter(\.changed).count, 1, "one host creates it, the others find it: \(r)")
        XCTAssertEqual(try lab.sh("node1", "docker network ls --format '{{.Name}}' | grep -cx clipper_network")
            .trimmingCharacters(in: .whitespacesAndNewlines), "1")
        r = try lab.runAll(all, net)
        XCTAssertEqual(r.values.filter { $0.changed || $0.failed }.count, 0, "\(r)")
        let drift = try SwarmNetworkModule(name: "clipper_network", attachable: false).run(in: lab.context("node1"))
        XCTAssertTrue(drift.failed && (drift.message ?? "").contains("attachable"), "\(drift)")
    }

    func foreignSwarmSteps(_ lab: LabCluster) throws {
        // node3 leaves and starts a swarm of its own: reported, and moved only with force_rejoin.
        _ = try lab.sh("node3", "docker swarm leave --force && docker swarm init --advertise-addr 172.30.213.13 >/dev/null")
        let refused = try SwarmClusterModule().run(in: lab.context("node3"))
        XCTAssertTrue(refused.failed && (refused.message ?? "").contains("another swarm"), "\(refused)")
        XCTAssertTrue(try lab.sh("node3", "docker info --format '{{.Swarm.Cluster.ID}}'").count > 2, "left alone")
        let forced = try SwarmClusterModule(forceRejoin: true).run(in: lab.context("node3"))
        XCTAssertTrue(forced.changed && !forced.failed, "\(forced)")
        XCTAssertNotNil(forced.data["removed_stale"], "node3's entry from before it left stays Down: \(forced)")
        let nodes = try SwarmNode.parseList(lab.sh("node1", "docker node ls --format '{{json .}}'"))
        XCTAssertEqual(nodes.filter { $0.hostname == "node3" }.count, 1, "\(nodes)")
    }

    func reimageSteps(_ lab: LabCluster) throws {
        let p = Process()
        p.executableURL = LabCluster.repo.appendingPathComponent("scripts/lab")
        p.arguments = ["replace", "node3"]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let relab = try LabCluster.load()   // known_hosts now holds node3's new key
        for m in [DockerInstallModule(users: ["pi"]) as Module, try DockerDaemonModule(), SwarmClusterModule()] {
            let r = try m.run(in: relab.context("node3"))
            XCTAssertTrue(r.changed && !r.failed, "\(type(of: m)) on the re-imaged node3: \(r)")
            if m is SwarmClusterModule {
                XCTAssertNotNil(r.data["removed_stale"], "old node3 entry not removed: \(r)")
            }
        }
        let nodes = try SwarmNode.parseList(relab.sh("node1", "docker node ls --format '{{json .}}'"))
        XCTAssertEqual(nodes.filter { $0.hostname == "node3" }.count, 1, "\(nodes)")
        XCTAssertTrue(nodes.allSatisfy { !$0.isDown }, "\(nodes)")
    }
}
