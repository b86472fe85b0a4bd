import XCTest
@testable import ProvisionCore

/// The pure TLS part of `docker_daemon`: arguments, the drop-in's command line, conflicts,
/// warnings, the names a server certificate carries, and the user's command.
final class DockerDaemonTLSPlanTests: XCTestCase {
    let packaged = "/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS"

    func testTLSDefaultsToPort2376AndNeedsATCPListener() throws {
        let spec = DockerDaemonModule.argumentSpec
        let m = try DockerDaemonModule(arguments: ModuleArguments(["tls": true], spec: spec))
        XCTAssertEqual(m.hosts, ["fd://", "tcp://0.0.0.0:2376"])
        XCTAssertEqual(m.tlsDirectory, "~/.provision/docker-tls")
        XCTAssertEqual(try DockerDaemonModule(arguments: ModuleArguments([:], spec: spec)).hosts, ["fd://", "tcp://0.0.0.0:2375"])
        // Explicit hosts win, 2375 included, if that is what the user wants.
        let explicit = try DockerDaemonModule(arguments: ModuleArguments(["tls": "yes", "hosts": ["fd://", "tcp://0.0.0.0:2375"],
                                                                           "tls_san": ["docker.lan"], "tls_dir": "certs"], spec: spec))
        XCTAssertEqual(explicit.hosts, ["fd://", "tcp://0.0.0.0:2375"])
        XCTAssertEqual(explicit.tlsSAN, ["docker.lan"])
        XCTAssertEqual(explicit.tlsDirectory, "certs")
        XCTAssertThrowsError(try DockerDaemonModule(arguments: ModuleArguments(["tls": true, "hosts": ["fd://"]], spec: spec))) { e in
            XCTAssertTrue("\(e)".contains("tcp://"), "\(e)")
        }
        XCTAssertThrowsError(try DockerDaemonModule(hosts: nil, tls: true, tlsDirectory: " "))
    }

    func testExecStartWithTLSPointsAtTheNodesFilesAndReplacesPackagedTLSOptions() throws {
        let line = try DockerDaemonPlan.execStart(packaged: packaged, hosts: ["fd://", "tcp://0.0.0.0:2376"], tls: true)
        XCTAssertEqual(line, "/usr/sbin/dockerd -H fd:// -H tcp://0.0.0.0:2376 --tlsverify --tlscacert=/etc/docker/tls/ca.pem --tlscert=/etc/docker/tls/server-cert.pem --tlskey=/etc/docker/tls/server-key.pem --containerd=/run/containerd/containerd.sock $DOCKER_OPTS")
        let odd = try DockerDaemonPlan.execStart(
            packaged: "/usr/bin/dockerd --tlsverify --tlscert /old/cert.pem --tlskey=/old/key.pem --tls -H fd:// --containerd=/x",
            hosts: ["tcp://0.0.0.0:2376"], tls: true)
        XCTAssertEqual(odd, "/usr/bin/dockerd -H tcp://0.0.0.0:2376 --tlsverify --tlscacert=/etc/docker/tls/ca.pem --tlscert=/etc/docker/tls/server-cert.pem --tlskey=/etc/docker/tls/server-key.pem --containerd=/x")
        // Without TLS nothing about TLS is added.
        XCTAssertFalse(try DockerDaemonPlan.execStart(packaged: packaged, hosts: ["tcp://0.0.0.0:2376"]).contains("tls"))
        // The drop-in is stable: the same inputs give the same text, so a second run changes nothing.
        XCTAssertEqual(DockerDaemonPlan.dropIn(execStart: line), DockerDaemonPlan.dropIn(execStart:
            try DockerDaemonPlan.execStart(packaged: packaged, hosts: ["fd://", "tcp://0.0.0.0:2376"], tls: true)))
    }

    func testDaemonJSONTLSKeysConflictOnlyUnderTLS() throws {
        let json = #"{"tlsverify": true, "tlscert": "/x.pem", "log-driver": "journald"}"#
        XCTAssertNil(try DockerDaemonPlan.daemonJSONConflict(json))
        let msg = try XCTUnwrap(try DockerDaemonPlan.daemonJSONConflict(json, tls: true))
        XCTAssertTrue(msg.contains("\"tlsverify\"") && msg.contains("\"tlscert\"") && msg.contains("Remove them"), msg)
    }

    func testWarningsOnlyForPlainTCP() {
        XCTAssertEqual(DockerDaemonPlan.warnings(hosts: ["fd://", "tcp://0.0.0.0:2376"], tls: true), [])
        let plain = DockerDaemonPlan.warnings(hosts: ["fd://", "tcp://0.0.0.0:2376"])
        XCTAssertEqual(plain.count, 1)
        XCTAssertTrue(plain[0].contains("root access") && plain[0].contains("TLS port"), plain[0])
    }

    func testCheckTargetsAskTLSListenersOverTLS() {
        XCTAssertEqual(DockerDaemonPlan.checkTarget(for: "tcp://0.0.0.0:2376", tls: true), "tls:tcp://127.0.0.1:2376")
        XCTAssertEqual(DockerDaemonPlan.checkTarget(for: "fd://", tls: true), "unix:///var/run/docker.sock")
        XCTAssertEqual(DockerDaemonPlan.checkTarget(for: "tcp://0.0.0.0:2375", tls: false), "tcp://127.0.0.1:2375")
    }

    func testCertificateNames() {
        let names = DockerDaemonPlan.certificateNames(sshAddress: "192.168.1.50", inventoryName: "red00", hostname: "red00",
                                                      hosts: ["fd://", "tcp://0.0.0.0:2376", "tcp://10.0.0.5:2376", "tcp://[::]:2377"],
                                                      extra: ["docker.lan", "LOCALHOST"])
        XCTAssertEqual(names, ["192.168.1.50", "red00", "127.0.0.1", "localhost", "10.0.0.5", "::1", "docker.lan"])
        XCTAssertEqual(DockerDaemonPlan.certificateNames(sshAddress: "pi1", inventoryName: "pi1", hostname: nil, hosts: [], extra: []),
                       ["pi1", "127.0.0.1", "localhost"])
    }

    func testDockerHostAndTheUsersCommand() throws {
        let m = try DockerDaemonModule(tls: true)
        let t = LocalTransport()
        XCTAssertEqual(m.dockerHost(HostContext(host: "node1", transport: t, vars: ["ansible_host": "172.30.213.11"])),
                       "tcp://172.30.213.11:2376")
        XCTAssertEqual(try DockerDaemonModule(hosts: ["tcp://10.1.1.1:2376"], tls: true).dockerHost(HostContext(host: "n", transport: t)),
                       "tcp://10.1.1.1:2376")
        XCTAssertEqual(DockerDaemonModule.clientCommand(certPath: "/root/.provision/docker-tls/client", dockerHost: "tcp://n:2376"),
                       "DOCKER_CERT_PATH=/root/.provision/docker-tls/client DOCKER_TLS_VERIFY=1 docker -H tcp://n:2376 info")
    }
}
