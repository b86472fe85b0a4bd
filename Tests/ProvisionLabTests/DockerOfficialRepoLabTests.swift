import Foundation
import XCTest
@testable import ProvisionCore

/// `docker_install method: official` end to end on a bare lab node, against an apt repository
/// with Docker's exact layout served from the controller, since download.docker.com cannot be
/// reached from here.
///
/// What this proves: the module reads the node's codename and architecture, fetches the key
/// from `<repo_url>/debian/gpg` into /etc/apt/keyrings, writes the `deb [arch=… signed-by=…]`
/// line, apt on the node accepts the repository's signed InRelease with that key and installs
/// docker-ce and its companions *from that repository*, dockerd answers, a second run changes
/// nothing, a new `repo_url` (a mirror) or a drifted key is rewritten, and a mirror whose
/// update fails leaves the previous repository configuration in place.
///
/// The deviation, named: the packages are stand-ins built by scripts/lib/lab-docker-repo.sh,
/// not Docker's builds. `docker-ce` is Debian's docker.io repackaged under Docker's name (a thin
/// docker-ce depending on docker.io is impossible: docker.io Conflicts with docker-ce), and
/// docker-ce-cli, containerd.io and the two plugins are empty packages with Docker's names
/// (containerd.io depends on Debian's containerd). The repository is plain HTTP on the lab
/// bridge, signed by a throwaway key. Whether Docker's real packages install on a given OS
/// release is not proven here.
///
/// Needs a fresh `scripts/lab up 3`, PROVISION_LAB_TESTS=1, root (apt-get download), and gpg,
/// dpkg-dev and python3 on the controller (scripts/test installs them).
final class DockerOfficialRepoLabTests: XCTestCase {
    let node = "node2"

    func testOfficialMethodFromADockerLayoutRepository() throws {
        let lab = try LabCluster.load()
        guard try lab.sh(node, "command -v dockerd || echo none").contains("none") else {
            throw XCTSkip("\(node) already has Docker; start a fresh lab (scripts/lab down; up 3)")
        }
        // The platform as the module itself reads it on the node.
        let probe = try lab.transport(for: node).run(RemoteCommand(DockerInstallModule(method: .official).probeScript,
                                                                   timeout: 60, become: XCTUnwrap(lab.host(named: node)).become))
        let platform = DockerPlatform(report: KeyValueReport(parsing: probe.stdoutText))
        let (distribution, codename) = try platform.officialDistribution()
        let arch = platform.dpkgArchitecture
        XCTAssertFalse(codename.isEmpty || arch.isEmpty, probe.stdoutText)
        let here = try LabHTTPServer.output("/bin/sh", ["-c", ". /etc/os-release; echo \"$VERSION_CODENAME $(dpkg --print-architecture)\""])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard here == "\(codename) \(arch)" else {
            return XCTFail("the stand-in docker-ce is this machine's docker.io, which fits only a node of the same release and architecture: here \(here), node \(codename) \(arch)")
        }

        // The repository: <serve>/linux/debian/…, the same files again under a mirror-like path,
        // and a "broken mirror" holding only the key.
        let serve = FileManager.default.temporaryDirectory.appendingPathComponent("provision-docker-repo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: serve) }
        let built = try LabHTTPServer.output(LabCluster.repo.appendingPathComponent("scripts/lib/lab-docker-repo.sh").path,
                                             [serve, codename, arch])
        let version = try XCTUnwrap(KeyValueReport(parsing: built)["version"])
        try FileManager.default.createDirectory(atPath: "\(serve)/mirror/docker-ce", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(serve)/mirror/docker-ce/linux", withDestinationPath: "\(serve)/linux")
        try FileManager.default.createDirectory(atPath: "\(serve)/broken/linux/\(distribution)", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(serve)/linux/\(distribution)/gpg", toPath: "\(serve)/broken/linux/\(distribution)/gpg")
        let servedKey = try String(contentsOfFile: "\(serve)/linux/\(distribution)/gpg", encoding: .utf8)

        let nodeAddress = try XCTUnwrap(lab.host(named: node)).address
        let server = try LabHTTPServer(directory: serve, address: LabHTTPServer.controllerAddress(facing: nodeAddress))
        defer { server.stop() }
        let url = "\(server.baseURL)/linux"
        let install = DockerInstallModule(method: .official, users: ["pi"], repo: try DockerOfficialRepo(url: url))
        let keyring = DockerPlatform.officialKeyringPath, list = DockerPlatform.officialSourcesPath
        let expectedLine = "deb [arch=\(arch) signed-by=\(keyring)] \(url)/\(distribution) \(codename) stable"

        // Check mode on the bare node: reports the install, writes nothing.
        let checked = try install.run(in: lab.context(node, check: true))
        XCTAssertTrue(checked.changed && !checked.failed, "\(checked)")
        XCTAssertEqual(try lab.sh(node, "ls \(keyring) \(list) 2>/dev/null; command -v dockerd || echo none")
            .trimmingCharacters(in: .whitespacesAndNewlines), "none")

        // The install.
        let first = try install.run(in: lab.context(node))
        XCTAssertTrue(first.changed && !first.failed, "\(first.message ?? "") \(first.data)")
        XCTAssertEqual(try lab.sh(node, "cat \(list)"), expectedLine + "\n")
        XCTAssertEqual(try lab.sh(node, "cat \(keyring)"), servedKey)
        let status = try lab.sh(node, "dpkg-query -W -f='${Package} ${Version} ${db:Status-Status}\\n' \(DockerPlatform.officialPackages.joined(separator: " "))")
        for p in DockerPlatform.officialPackages {
            XCTAssertTrue(status.contains("\(p) \(version) installed"), "\(p): \(status)")
        }
        // apt installed docker-ce's version from this repository, not from anywhere else.
        let policy = try lab.sh(node, "apt-cache policy docker-ce")
        let installedBlock = policy.components(separatedBy: "*** ").dropFirst().first ?? ""
        XCTAssertTrue(installedBlock.hasPrefix(version) && installedBlock.contains("\(url)/\(distribution) \(codename)/stable \(arch) Packages"), policy)
        let engine = try lab.sh(node, "docker version --format '{{.Server.Version}}'").trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(engine.isEmpty)
        XCTAssertEqual(first.data["docker_version"]?.stringValue, engine)
        XCTAssertTrue(try lab.sh(node, "id -nG pi").split(whereSeparator: \.isWhitespace).contains("docker"))

        // Again: nothing to do.
        let second = try install.run(in: lab.context(node))
        XCTAssertFalse(second.changed || second.failed, "\(second)")

        // A mirror: the sources line is rewritten and apt updated, nothing reinstalled.
        let installedAt = try lab.sh(node, "stat -c %Y /var/lib/dpkg/info/docker-ce.list")
        let mirrorURL = "\(server.baseURL)/mirror/docker-ce/linux"
        let mirror = DockerInstallModule(method: .official, users: ["pi"], repo: try DockerOfficialRepo(url: mirrorURL))
        let moved = try mirror.run(in: lab.context(node))
        XCTAssertTrue(moved.changed && !moved.failed, "\(moved)")
        XCTAssertEqual(moved.diffs.first?.after, "deb [arch=\(arch) signed-by=\(keyring)] \(mirrorURL)/\(distribution) \(codename) stable\n")
        XCTAssertEqual(try lab.sh(node, "cat \(list)"), moved.diffs.first?.after)
        XCTAssertTrue(try lab.sh(node, "apt-cache policy docker-ce").contains("\(mirrorURL)/\(distribution) \(codename)/stable"))
        XCTAssertEqual(try lab.sh(node, "stat -c %Y /var/lib/dpkg/info/docker-ce.list"), installedAt, "docker-ce was reinstalled")
        let stay = try mirror.run(in: lab.context(node))
        XCTAssertFalse(stay.changed || stay.failed, "\(stay)")

        // A key that drifted from what the URL serves is put back.
        _ = try lab.sh(node, "echo '# drift' >> \(keyring)")
        let rekeyed = try mirror.run(in: lab.context(node))
        XCTAssertTrue(rekeyed.changed && !rekeyed.failed, "\(rekeyed)")
        XCTAssertTrue((rekeyed.message ?? "").contains("signing key"), rekeyed.message ?? "")
        XCTAssertEqual(try lab.sh(node, "cat \(keyring)"), servedKey)

        // A mirror whose apt-get update fails (no dists/): refused, the previous line restored,
        // and apt still works with the previous mirror.
        let brokenURL = "\(server.baseURL)/broken/linux"
        let broken = try DockerInstallModule(method: .official, repo: DockerOfficialRepo(url: brokenURL)).run(in: lab.context(node))
        XCTAssertTrue(broken.failed && (broken.message ?? "").contains("restored"), "\(broken.message ?? "") \(broken.data)")
        XCTAssertEqual(try lab.sh(node, "cat \(list)"), moved.diffs.first?.after)
        XCTAssertEqual(try lab.sh(node, "cat \(keyring)"), servedKey)
        let back = try mirror.run(in: lab.context(node))
        XCTAssertFalse(back.changed || back.failed, "\(back)")
    }
}
