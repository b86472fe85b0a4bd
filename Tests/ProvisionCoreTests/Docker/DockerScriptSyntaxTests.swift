import Foundation
import XCTest
@testable import ProvisionCore

/// Every script the Docker modules send parses as POSIX sh under dash (Debian's and Raspberry
/// Pi OS's /bin/sh), and, where installed, busybox: targets have no bash guarantee.
final class DockerScriptSyntaxTests: XCTestCase {
    func scripts() throws -> [(String, String)] {
        let install = DockerInstallPlan(actions: [
            .installDistro, .writeOfficialKey(url: "https://download.docker.com/linux/debian/gpg"),
            .writeOfficialSources(line: "deb [arch=arm64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable"),
            .updateIndex(repoBase: "https://download.docker.com/linux/debian"),
            .installOfficial(packages: DockerPlatform.officialPackages), .enableService, .startService, .addToGroup("pi"),
        ])
        let net = try SwarmNetworkModule(name: "clipper_network")
        return [
            ("install-probe", DockerInstallModule(users: ["pi", "o'brien"]).probeScript),
            ("install-apply", install.applyScript()),
            ("install-key-probe", DockerInstallPlan.keyProbeScript(keyURL: "https://mirror.example/docker-ce/linux/debian/gpg")),
            ("daemon-probe", DockerDaemonModule.probeScript),
            ("daemon-probe-tls", DockerDaemonModule.probeScript + DockerDaemonModule.tlsProbeScript),
            ("daemon-apply", DockerDaemonModule.applyScript(checkTargets: ["unix:///var/run/docker.sock", "tcp://127.0.0.1:2375"])),
            ("daemon-apply-tls", DockerDaemonModule.applyScript(checkTargets: ["unix:///var/run/docker.sock", "tls:tcp://127.0.0.1:2376"],
                                                                staged: [DockerDaemonPlan.tlsCAPath, DockerDaemonPlan.tlsKeyPath])),
            ("network", net.script(create: true)),
            ("network-check", net.script(create: false)),
        ] + SwarmRemote.scriptsForSyntaxCheck + SwarmLock.scriptsForSyntaxCheck
    }

    func check(_ shell: [String]) throws {
        for (name, text) in try scripts() {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = shell + ["-n", "-c", text]
            let err = Pipe()
            p.standardError = err
            try p.run()
            p.waitUntilExit()
            let msg = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertEqual(p.terminationStatus, 0, "\(name) under \(shell.joined(separator: " ")): \(msg)")
        }
    }

    func testDash() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/bin/dash"), "no dash")
        try check(["dash"])
    }

    func testBusybox() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/busybox") || FileManager.default.isExecutableFile(atPath: "/bin/busybox"), "no busybox")
        try check(["busybox", "sh"])
    }
}

/// The advertise-address resolution, run for real under dash on this machine.
final class SwarmAdvertiseResolutionTests: XCTestCase {
    func resolved(_ adv: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "adv=\(Shell.quote(adv))\n\(SwarmRemote.resolveAdvertise)\nprintf '%s' \"$adv\""]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    func testNamesResolveOnTheNodeAddressesAndInterfacesStay() throws {
        XCTAssertEqual(try resolved("localhost"), "127.0.0.1")
        XCTAssertEqual(try resolved("172.30.213.11"), "172.30.213.11")
        XCTAssertEqual(try resolved("lo"), "lo")
    }
}
