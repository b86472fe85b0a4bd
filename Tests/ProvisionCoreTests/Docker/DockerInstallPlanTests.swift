import XCTest
@testable import ProvisionCore

final class DockerInstallPlanTests: XCTestCase {
    /// A probe report as the lab's bookworm node prints it before Docker is installed.
    func probe(_ extra: String = "", machine: String = "x86_64", arch: String = "amd64", id: String = "debian",
               codename: String = "bookworm") -> KeyValueReport {
        KeyValueReport(parsing: """
        uid=0
        machine=\(machine)
        dpkg_arch=\(arch)
        apt=1
        os_id=\(id)
        os_like=
        os_codename=\(codename)
        os_ubuntu_codename=
        dockerd=
        systemd=1
        service_active=inactive
        service_enabled=
        \(extra)
        """)
    }

    func testFreshHostInstallsDistroPackageAndAddsUsers() throws {
        let m = DockerInstallModule(users: ["pi"])
        let plan = try DockerInstallPlan.make(module: m, probe: probe("user_not_in_group=pi"))
        XCTAssertEqual(plan.actions, [.installDistro, .enableService, .startService, .addToGroup("pi")])
        let script = plan.applyScript()
        XCTAssertTrue(script.contains("apt_get install docker.io"))
        XCTAssertTrue(script.contains("usermod -aG docker pi"))
        XCTAssertTrue(script.contains("echo \"server_version=$v\""))
    }

    func testWorkingEngineFromAnySourceIsLeftAlone() throws {
        // Docker's docker-ce installed by hand: /usr/bin/dockerd, answering. method: official or
        // distro, nothing is installed.
        for method in [DockerInstallModule.Method.distro, .official] {
            let plan = try DockerInstallPlan.make(module: DockerInstallModule(method: method, users: ["pi"]), probe: probe("""
            dockerd=/usr/bin/dockerd
            service_active=active
            service_enabled=enabled
            server_version=27.3.1
            user_in_group=pi
            """))
            XCTAssertEqual(plan.actions, [])
        }
    }

    func testInstalledButStoppedIsStartedNotReinstalled() throws {
        let plan = try DockerInstallPlan.make(module: DockerInstallModule(), probe: probe("""
        dockerd=/usr/sbin/dockerd
        service_active=failed
        service_enabled=disabled
        """))
        XCTAssertEqual(plan.actions, [.enableService, .startService])
    }

    func testOfficialRepositoryPerPlatform() throws {
        func line(_ id: String, _ code: String, _ arch: String, ubuntu: String = "", like: [String] = []) throws -> String {
            try DockerPlatform(id: id, idLike: like, codename: code, ubuntuCodename: ubuntu, machine: "x", dpkgArchitecture: arch)
                .officialRepository().sourcesLine
        }
        XCTAssertEqual(try line("debian", "bookworm", "arm64"),
                       "deb [arch=arm64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable")
        XCTAssertEqual(try line("debian", "bookworm", "amd64"),
                       "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable")
        XCTAssertEqual(try line("raspbian", "bookworm", "armhf"),
                       "deb [arch=armhf signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/raspbian bookworm stable")
        XCTAssertEqual(try line("ubuntu", "noble", "amd64", ubuntu: "noble"),
                       "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu noble stable")
        XCTAssertEqual(try line("linuxmint", "wilma", "amd64", ubuntu: "noble", like: ["ubuntu", "debian"]),
                       "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu noble stable")
        XCTAssertThrowsError(try line("fedora", "", "amd64"))
        XCTAssertThrowsError(try line("debian", "bookworm", "i386"))
        XCTAssertThrowsError(try line("raspbian", "bookworm", "arm64"))
        XCTAssertEqual(try DockerPlatform(id: "debian", codename: "bookworm", machine: "x", dpkgArchitecture: "armhf")
            .officialRepository().keyURL, "https://download.docker.com/linux/debian/gpg")
    }

    func testOfficialScriptFromRecordedOSRelease() throws {
        // The lab node's /etc/os-release, as the probe reads it.
        let osRelease = try DockerFixtures.text("os-release-bookworm.txt")
        XCTAssertTrue(osRelease.contains("VERSION_CODENAME=bookworm"))
        let plan = try DockerInstallPlan.make(module: DockerInstallModule(method: .official),
                                              probe: probe(machine: "aarch64", arch: "arm64"))
        XCTAssertEqual(plan.actions, [
            .writeOfficialKey(url: "https://download.docker.com/linux/debian/gpg"),
            .writeOfficialSources(line: "deb [arch=arm64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable"),
            .updateIndex(repoBase: "https://download.docker.com/linux/debian"),
            .installOfficial(packages: DockerPlatform.officialPackages), .enableService, .startService,
        ])
        let script = plan.applyScript()
        XCTAssertTrue(script.contains("curl -fsSL --max-time 120 https://download.docker.com/linux/debian/gpg -o /etc/apt/keyrings/docker.asc.tmp"))
        XCTAssertTrue(script.contains("> /etc/apt/sources.list.d/docker.list.tmp"))
        XCTAssertTrue(script.contains("docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin"))
        XCTAssertTrue(script.contains("restore_repo; fail"), "a failed apt-get update puts the old repository back")
        XCTAssertFalse(script.contains("install docker.io"))
    }

    func testRefusals() {
        XCTAssertThrowsError(try DockerInstallPlan.make(module: DockerInstallModule(), probe: probe(machine: "armv6l", arch: "armhf", id: "raspbian"))) { e in
            XCTAssertTrue("\(e)".contains("armv6l"), "\(e)")
        }
        XCTAssertThrowsError(try DockerInstallPlan.make(module: DockerInstallModule(users: ["bob"]), probe: probe("user_missing=bob"))) { e in
            XCTAssertTrue("\(e)".contains("bob"), "\(e)")
        }
        XCTAssertThrowsError(try DockerInstallPlan.make(module: DockerInstallModule(), probe: KeyValueReport(parsing: probe().entries
            .map { $0.key == "uid" ? "uid=1000" : "\($0.key)=\($0.value)" }.joined(separator: "\n")))) { e in
            XCTAssertTrue("\(e)".contains("become"), "\(e)")
        }
        XCTAssertThrowsError(try DockerInstallModule(arguments: ModuleArguments(["users": ["-rf"]], spec: DockerInstallModule.argumentSpec)))
    }
}
