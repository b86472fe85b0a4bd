import XCTest
@testable import ProvisionCore

final class DockerDaemonPlanTests: XCTestCase {
    func testPackagedExecStartFromDebiansUnit() throws {
        let unit = try DockerFixtures.text("docker.service-debian")
        XCTAssertEqual(DockerDaemonPlan.packagedExecStart(unitText: unit),
                       "/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS")
    }

    func testContinuationLinesAndResetsAndOtherSections() {
        let unit = """
        [Unit]
        ExecStart=/not/this
        [Service]
        ExecStart=/usr/bin/dockerd -H fd:// \\
            --containerd=/run/containerd/containerd.sock
        ExecReload=/bin/kill -s HUP $MAINPID
        """
        XCTAssertEqual(DockerDaemonPlan.packagedExecStart(unitText: unit),
                       "/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock")
        XCTAssertNil(DockerDaemonPlan.packagedExecStart(unitText: "[Service]\nExecStart=/x\nExecStart=\n"))
    }

    func testExecStartKeepsBinaryAndOtherFlagsAndReplacesHosts() throws {
        let line = try DockerDaemonPlan.execStart(
            packaged: "/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS",
            hosts: ["fd://", "tcp://0.0.0.0:2375"])
        XCTAssertEqual(line, "/usr/sbin/dockerd -H fd:// -H tcp://0.0.0.0:2375 --containerd=/run/containerd/containerd.sock $DOCKER_OPTS")
        // Docker's own package: /usr/bin, every host spelling removed.
        let official = try DockerDaemonPlan.execStart(
            packaged: "/usr/bin/dockerd --host=fd:// -Hunix:///x.sock --host tcp://1.2.3.4:1 --containerd=/run/containerd/containerd.sock",
            hosts: ["fd://"])
        XCTAssertEqual(official, "/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock")
        XCTAssertThrowsError(try DockerDaemonPlan.execStart(packaged: "/bin/sh -c 'dockerd'", hosts: ["fd://"]))
    }

    func testRewritingTheCurrentDropInIsStable() throws {
        // Recorded after the lab's own drop-in was active: same line in, same line out.
        let shown = try DockerFixtures.text("systemctl-show-docker-dropin.txt")
        XCTAssertTrue(shown.contains("-H fd:// -H tcp://0.0.0.0:2375 --containerd=/run/containerd/containerd.sock"))
        let again = try DockerDaemonPlan.execStart(
            packaged: "/usr/sbin/dockerd -H fd:// -H tcp://0.0.0.0:2375 --containerd=/run/containerd/containerd.sock",
            hosts: ["fd://", "tcp://0.0.0.0:2375"])
        XCTAssertEqual(again, "/usr/sbin/dockerd -H fd:// -H tcp://0.0.0.0:2375 --containerd=/run/containerd/containerd.sock")
    }

    func testDropInClearsExecStartFirst() {
        let text = DockerDaemonPlan.dropIn(execStart: "/usr/sbin/dockerd -H fd://")
        let lines = text.split(separator: "\n").map(String.init)
        let i = try? XCTUnwrap(lines.firstIndex(of: "ExecStart="))
        XCTAssertNotNil(i)
        XCTAssertEqual(lines.firstIndex(of: "[Service]").map { $0 < (i ?? 0) }, true)
        XCTAssertEqual(lines.last, "ExecStart=/usr/sbin/dockerd -H fd://")
    }

    func testDaemonJSONHostsConflict() throws {
        XCTAssertNil(try DockerDaemonPlan.daemonJSONConflict(""))
        XCTAssertNil(try DockerDaemonPlan.daemonJSONConflict(#"{"log-driver": "journald"}"#))
        let msg = try XCTUnwrap(try DockerDaemonPlan.daemonJSONConflict(#"{"hosts": ["unix:///var/run/docker.sock"]}"#))
        XCTAssertTrue(msg.contains("\"hosts\""), msg)
        XCTAssertTrue(msg.contains("Remove"), msg)
        XCTAssertThrowsError(try DockerDaemonPlan.daemonJSONConflict("{not json"))
    }

    func testCheckAddresses() {
        XCTAssertEqual(DockerDaemonPlan.checkAddress(for: "fd://"), "unix:///var/run/docker.sock")
        XCTAssertEqual(DockerDaemonPlan.checkAddress(for: "tcp://0.0.0.0:2375"), "tcp://127.0.0.1:2375")
        XCTAssertEqual(DockerDaemonPlan.checkAddress(for: "tcp://10.0.0.5:2375"), "tcp://10.0.0.5:2375")
        XCTAssertEqual(DockerDaemonPlan.checkAddress(for: "unix:///run/x.sock"), "unix:///run/x.sock")
    }

    func testArgumentsAndWarnings() throws {
        let spec = DockerDaemonModule.argumentSpec
        let m = try DockerDaemonModule(arguments: ModuleArguments([:], spec: spec))
        XCTAssertEqual(m.hosts, ["fd://", "tcp://0.0.0.0:2375"])
        XCTAssertEqual(DockerDaemonPlan.warnings(hosts: m.hosts).count, 1)
        XCTAssertTrue(DockerDaemonPlan.warnings(hosts: m.hosts)[0].contains("root access"))
        XCTAssertTrue(DockerDaemonPlan.warnings(hosts: ["fd://"]).isEmpty)
        XCTAssertThrowsError(try DockerDaemonModule(arguments: ModuleArguments(["hosts": ["http://x"]], spec: spec)))
        XCTAssertThrowsError(try DockerDaemonModule(arguments: ModuleArguments(["hosts": .list([])], spec: spec)))
    }
}
