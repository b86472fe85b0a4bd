import Foundation
import XCTest
@testable import ProvisionCore

final class AptModuleTests: ModuleTestCase {
    func make(_ args: [String: Value]) throws -> AptModule {
        let m = try ModuleRegistry.make(AptModule.self, arguments: args)
        guard let apt = m as? AptModule else { throw ModuleError("not an AptModule") }
        return apt
    }

    func testSummaryAndActionParsingOnRecordedOutput() throws {
        let sim = try fixtureText("modules/apt-simulate-install-sl.txt")
        XCTAssertEqual(AptOutput.summary(sim), .init(upgraded: 0, installed: 1, removed: 0))
        XCTAssertEqual(AptOutput.simulatedActions(sim).map(\.package), ["sl"])
        let real = try fixtureText("modules/apt-install-real-output.txt")
        XCTAssertEqual(AptOutput.summary(real)?.changesSomething, true)
        let newest = try fixtureText("modules/apt-install-already-newest.txt")
        XCTAssertEqual(AptOutput.summary(newest)?.changesSomething, false)
        XCTAssertTrue(AptOutput.simulatedActions(newest).isEmpty)
        let notInstalled = try fixtureText("modules/apt-simulate-remove-not-installed.txt")
        XCTAssertEqual(AptOutput.summary(notInstalled)?.changesSomething, false)
    }

    func testStatusAbbrev() {
        XCTAssertTrue(AptOutput.isInstalled(statusAbbrev: "ii "))
        XCTAssertTrue(AptOutput.isInstalled(statusAbbrev: "hi "))
        XCTAssertFalse(AptOutput.isInstalled(statusAbbrev: "rc "))
        XCTAssertFalse(AptOutput.isInstalled(statusAbbrev: "un "))
        XCTAssertFalse(AptOutput.isInstalled(statusAbbrev: ""))
    }

    func testDecisionsFromScriptOutput() throws {
        let m = try make(["name": ["sl"]])
        func out(_ s: String, status: Int32 = 0) -> ScriptOutput {
            ScriptOutput(CommandResult(status: status, stdout: Data(s.utf8)))
        }
        XCTAssertFalse(m.interpret(out("@@pv status sl ii \n")).changed, "installed: nothing ran")
        let installed = m.interpret(out("@@pv status sl not-installed\n@@pv run install\n" + (try fixtureText("modules/apt-install-real-output.txt"))))
        XCTAssertTrue(installed.changed)
        XCTAssertEqual(installed.message, "1 installed, 0 upgraded, 0 removed")
        let virtualAlreadyThere = m.interpret(out("@@pv run install\n" + (try fixtureText("modules/apt-install-already-newest.txt"))))
        XCTAssertFalse(virtualAlreadyThere.changed, "apt says nothing to do: no change")
        XCTAssertFalse(m.interpret(out("@@pv cache updated\n@@pv status sl ii \n")).changed,
                       "with packages given, a cache refresh alone is no change (as in Ansible)")
        let cacheOnly = try make(["update_cache": true])
        XCTAssertTrue(cacheOnly.interpret(out("@@pv cache updated\n")).changed)
        XCTAssertEqual(cacheOnly.interpret(out("@@pv cache updated\n")).data["cache_updated"], true)
        let failed = m.interpret(out("@@pv run install\n@@pv failed apt-get install sl failed (status 100): E: Unable to locate package sl\n", status: 1))
        XCTAssertTrue(failed.failed)
        XCTAssertTrue(failed.message?.contains("Unable to locate package") ?? false)
    }

    func testScriptCarriesValuesOnlyAsQuotedVariables() throws {
        let m = try make(["name": ["nginx", "curl=7.88.1-10+deb12u5"], "state": "latest", "update_cache": true,
                          "cache_valid_time": 3600, "install_recommends": false])
        let text = m.script(checkMode: false).text
        XCTAssertTrue(text.contains("pkgs='nginx curl=7.88.1-10+deb12u5'"), text)
        XCTAssertTrue(text.contains("state=latest"))
        XCTAssertTrue(text.contains("cache_valid_time=3600"))
        XCTAssertTrue(text.contains("APT::Install-Recommends=no"), text)
        XCTAssertTrue(text.contains("DEBIAN_FRONTEND=noninteractive"))
        XCTAssertThrowsError(try make(["name": ["x; rm -rf /"]]))
        XCTAssertThrowsError(try make(["name": ["./local.deb"]]))
        XCTAssertThrowsError(try make(["name": ["a=1=2"]]))
        XCTAssertThrowsError(try make(["name": ["*", "vim"], "state": "latest"]))
        XCTAssertThrowsError(try make(["deb": "/tmp/x.deb", "state": "absent"]))
        XCTAssertThrowsError(try make(["name": ["a"], "dpkg_options": "force-confold; reboot"]))
        let full = try make(["name": ["nginx*", "curl=7.88*"], "default_release": "bookworm-backports", "allow_downgrade": true,
                             "only_upgrade": true, "allow_change_held_packages": true, "dpkg_options": "force-confnew"])
        let ft = full.script(checkMode: false).text
        XCTAssertTrue(ft.contains("opts='-t bookworm-backports --allow-downgrades --allow-change-held-packages'"), ft)
        XCTAssertTrue(ft.contains("dpkg_opts='-o Dpkg::Options::=--force-confnew'"), ft)
        XCTAssertTrue(ft.contains("only_upgrade=1"), ft)
        XCTAssertEqual(try make(["name": "a, b"]).packages, ["a", "b"])
        XCTAssertEqual(try make(["name": "a", "state": "installed"]).state, "present")
    }

    func testScriptIsPOSIX() throws {
        let m = try make(["update_cache": true, "autoremove": true, "upgrade": "dist"])
        let file = path("apt.sh")
        try write(file, m.script(checkMode: true).text)
        // dash is Debian's /bin/sh; -n parses without running.
        XCTAssertEqual(try sh("dash -n '\(file)'").status, 0)
    }

    func testRealAlreadyInstalledPackageIsOk() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/usr/bin/dpkg-query"), "needs dpkg")
        let r = try run("apt", ["name": ["coreutils", "bash"]])
        XCTAssertFalse(r.changed, "\(r)")
        XCTAssertFalse(r.failed, "\(r)")
    }

    func testRealCheckModeSimulatesAMissingPackage() throws {
        // Whatever this machine's apt lists hold, each outcome is checked for what apt says.
        let installed = try sh("dpkg-query -W -f='${db:Status-Abbrev}' sl 2>/dev/null | grep -q '^ii'").status == 0
        let available = try sh("apt-cache policy sl 2>/dev/null | grep -q 'Candidate: [0-9]'").status == 0
        let r = try run("apt", ["name": "sl"], check: true)
        if installed {
            XCTAssertFalse(r.changed, "\(r)")
        } else if available {
            XCTAssertTrue(r.changed, "\(r)")
            XCTAssertEqual(r.data["packages"], ["sl"])
            XCTAssertNotEqual(try sh("dpkg-query -W sl").status, 0, "check mode installed nothing")
        } else {
            XCTAssertTrue(r.failed, "\(r)")
            XCTAssertTrue(r.message?.contains("Unable to locate package") ?? false, r.message ?? "")
        }
        let notThere = try run("package", ["name": "pv-no-such-package-xyz", "state": "absent"])
        XCTAssertFalse(notThere.changed)
        XCTAssertFalse(notThere.failed, "\(notThere)")
    }
}

/// `package` hands every apt argument on, as Ansible's generic module does.
final class PackageModuleTests: XCTestCase {
    func testExtraArgumentsReachApt() throws {
        let m = try XCTUnwrap(try ModuleRegistry.make(PackageModule.self, arguments: [
            "name": ["nginx"], "state": "latest", "update_cache": true, "cache_valid_time": 600,
            "default_release": "bookworm-backports", "allow_downgrade": true, "install_recommends": false,
        ]) as? PackageModule)
        XCTAssertEqual(m.apt.packages, ["nginx"])
        XCTAssertEqual(m.apt.state, "latest")
        XCTAssertTrue(m.apt.updateCache)
        XCTAssertEqual(m.apt.cacheValidTime, 600)
        XCTAssertEqual(m.apt.installOptions, ["-t", "bookworm-backports", "-o", "APT::Install-Recommends=no", "--allow-downgrades"])
        XCTAssertThrowsError(try ModuleRegistry.make(PackageModule.self, arguments: ["name": "x", "use": "dnf"]))
        XCTAssertThrowsError(try ModuleRegistry.make(PackageModule.self, arguments: ["name": "x", "bogus": 1]))
    }
}
