import XCTest
@testable import ProvisionCore

/// `repo_url` / `repo_key_url` of `docker_install`: parsing, refusals, the lines written for a
/// mirror, and when the plan leaves an installed docker-ce's repository alone.
final class DockerOfficialRepoTests: XCTestCase {
    let bookwormArm = DockerPlatform(id: "debian", codename: "bookworm", machine: "aarch64", dpkgArchitecture: "arm64")

    func module(_ args: [String: Value]) throws -> DockerInstallModule {
        try DockerInstallModule(arguments: ModuleArguments(args, spec: DockerInstallModule.argumentSpec))
    }

    func testDefaultIsDockersOwnRepository() throws {
        let m = try module(["method": "official"])
        XCTAssertEqual(m.repo, .docker)
        XCTAssertEqual(m.repo.url, "https://download.docker.com/linux")
        XCTAssertNil(m.repo.keyURL)
    }

    func testMirrorURLGivesMirrorLinesAndKey() throws {
        let m = try module(["method": "official", "repo_url": "https://mirrors.aliyun.com/docker-ce/linux/"])
        XCTAssertEqual(m.repo.url, "https://mirrors.aliyun.com/docker-ce/linux", "trailing / dropped")
        let r = try bookwormArm.officialRepository(m.repo)
        XCTAssertEqual(r.keyURL, "https://mirrors.aliyun.com/docker-ce/linux/debian/gpg")
        XCTAssertEqual(r.sourcesLine,
                       "deb [arch=arm64 signed-by=/etc/apt/keyrings/docker.asc] https://mirrors.aliyun.com/docker-ce/linux/debian bookworm stable")
        let pi = DockerPlatform(id: "raspbian", codename: "bookworm", machine: "armv7l", dpkgArchitecture: "armhf")
        XCTAssertEqual(try pi.officialRepository(m.repo).sourcesLine,
                       "deb [arch=armhf signed-by=/etc/apt/keyrings/docker.asc] https://mirrors.aliyun.com/docker-ce/linux/raspbian bookworm stable")
    }

    func testKeyURLOverride() throws {
        let m = try module(["method": "official", "repo_url": "http://artifactory.corp:8081/artifactory/docker-remote",
                            "repo_key_url": "https://artifactory.corp/keys/docker.asc"])
        let r = try bookwormArm.officialRepository(m.repo)
        XCTAssertEqual(r.keyURL, "https://artifactory.corp/keys/docker.asc")
        XCTAssertTrue(r.sourcesLine.contains(" http://artifactory.corp:8081/artifactory/docker-remote/debian bookworm stable"), r.sourcesLine)
    }

    func testBadURLsAreRefusedNamingTheArgument() {
        let cases: [(String, Value, String)] = [
            ("repo_url", "ftp://mirror.example/docker", "http:// or https://"),
            ("repo_url", "mirror.example/docker", "http:// or https://"),
            ("repo_url", "https://mirror.example/docker ce", "whitespace"),
            ("repo_url", "https://mirror.example/it's", "'''"),
            ("repo_url", "https://mirror.example/\"x\"", "'\"'"),
            ("repo_url", "https://mirror.example/#frag", "'#'"),
            ("repo_url", "https://mirror.example/a]b", "']'"),
            ("repo_url", "https://user:pass@mirror.example/docker", "credentials"),
            ("repo_url", "https:///docker", "no host"),
            ("repo_url", "", "empty"),
            ("repo_key_url", "https://mirror.example/gpg\n", "whitespace"),
            ("repo_key_url", "file:///etc/key.asc", "http:// or https://"),
        ]
        for (key, value, expected) in cases {
            XCTAssertThrowsError(try module(["method": "official", key: value]), "\(key)=\(value)") { e in
                let m = "\(e)"
                XCTAssertTrue(m.contains("'\(key)'") && m.contains(expected), "\(key)=\(value): \(m)")
            }
        }
        // The credentials never show in the error.
        XCTAssertThrowsError(try module(["method": "official", "repo_url": "https://user:s3cret@mirror.example/d"])) { e in
            XCTAssertFalse("\(e)".contains("s3cret"), "\(e)")
        }
    }

    func testRepoOptionsNeedMethodOfficial() {
        XCTAssertThrowsError(try module(["repo_url": "https://mirror.example/docker"])) { e in
            XCTAssertTrue("\(e)".contains("method: official"), "\(e)")
        }
        XCTAssertNoThrow(try module(["method": "distro"]))
    }

    // MARK: the plan on a host that already has Docker's engine

    let line = "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable"

    func installed(_ extra: String, packages: [String] = DockerPlatform.officialPackages) -> KeyValueReport {
        KeyValueReport(parsing: """
        uid=0
        machine=x86_64
        dpkg_arch=amd64
        apt=1
        curl=1
        os_id=debian
        os_codename=bookworm
        dockerd=/usr/bin/dockerd
        systemd=1
        service_active=active
        service_enabled=enabled
        server_version=27.3.1
        \(packages.map { "pkg_installed=\($0)" }.joined(separator: "\n"))
        \(extra)
        """)
    }

    func testRightRepositoryAndPackagesChangeNothing() throws {
        let r = installed("docker_list=\(line)\nkey_sha=abc\nkey_remote_sha=abc")
        let m = DockerInstallModule(method: .official)
        XCTAssertEqual(DockerInstallPlan.keyToCompare(module: m, probe: r), "https://download.docker.com/linux/debian/gpg")
        XCTAssertEqual(try DockerInstallPlan.make(module: m, probe: r).actions, [])
    }

    func testNewMirrorRewritesSourcesAndUpdatesWithoutReinstalling() throws {
        let mirror = try DockerOfficialRepo(url: "https://mirror.example/docker-ce/linux")
        let plan = try DockerInstallPlan.make(module: DockerInstallModule(method: .official, repo: mirror),
                                              probe: installed("docker_list=\(line)\nkey_sha=abc\nkey_remote_sha=abc"))
        let newLine = "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://mirror.example/docker-ce/linux/debian bookworm stable"
        XCTAssertEqual(plan.actions, [.writeOfficialSources(line: newLine),
                                      .updateIndex(repoBase: "https://mirror.example/docker-ce/linux/debian")])
        XCTAssertEqual(plan.diffs, [FileDiff(path: "/etc/apt/sources.list.d/docker.list", before: line + "\n", after: newLine + "\n")])
        XCTAssertTrue(plan.applyScript().contains("grep -qF https://mirror.example/docker-ce/linux/debian"))
    }

    func testChangedOrMissingKeyIsRewritten() throws {
        let m = DockerInstallModule(method: .official)
        XCTAssertEqual(try DockerInstallPlan.make(module: m, probe: installed("docker_list=\(line)\nkey_sha=abc\nkey_remote_sha=def")).actions,
                       [.writeOfficialKey(url: "https://download.docker.com/linux/debian/gpg"),
                        .updateIndex(repoBase: "https://download.docker.com/linux/debian")])
        let noKey = installed("docker_list=\(line)")
        XCTAssertNil(DockerInstallPlan.keyToCompare(module: m, probe: noKey), "nothing to compare: the key is written anyway")
        XCTAssertEqual(try DockerInstallPlan.make(module: m, probe: noKey).actions.first,
                       .writeOfficialKey(url: "https://download.docker.com/linux/debian/gpg"))
    }

    func testUnreachableKeyURLFailsWithTheURL() {
        XCTAssertThrowsError(try DockerInstallPlan.make(module: DockerInstallModule(method: .official),
                                                        probe: installed("docker_list=\(line)\nkey_sha=abc\nkey_fetch_error=curl: (6) Could not resolve host"))) { e in
            XCTAssertTrue("\(e)".contains("https://download.docker.com/linux/debian/gpg") && "\(e)".contains("Could not resolve"), "\(e)")
        }
    }

    func testMissingCompanionPackageIsInstalled() throws {
        let plan = try DockerInstallPlan.make(module: DockerInstallModule(method: .official),
                                              probe: installed("docker_list=\(line)\nkey_sha=abc\nkey_remote_sha=abc",
                                                               packages: ["docker-ce", "docker-ce-cli", "containerd.io"]))
        XCTAssertEqual(plan.actions, [.updateIndex(repoBase: "https://download.docker.com/linux/debian"),
                                      .installOfficial(packages: ["docker-buildx-plugin", "docker-compose-plugin"])])
        XCTAssertFalse(plan.applyScript().contains("restore_repo"), "nothing written, nothing to restore")
    }

    func testEngineFromElsewhereIsLeftAloneWithAWarning() throws {
        let r = installed("key_sha=abc", packages: [])
        let m = DockerInstallModule(method: .official)
        XCTAssertNil(DockerInstallPlan.keyToCompare(module: m, probe: r))
        let plan = try DockerInstallPlan.make(module: m, probe: r)
        XCTAssertEqual(plan.actions, [])
        XCTAssertTrue(plan.warnings.contains { $0.contains("not from Docker's repository") }, "\(plan.warnings)")
    }

    func testDebSourcesFileIsWarnedAbout() throws {
        let plan = try DockerInstallPlan.make(module: DockerInstallModule(method: .official),
                                              probe: installed("docker_list=\(line)\nkey_sha=a\nkey_remote_sha=a\ndocker_sources=1"))
        XCTAssertEqual(plan.actions, [])
        XCTAssertTrue(plan.warnings.contains { $0.contains("docker.sources") }, "\(plan.warnings)")
    }
}
