import Foundation
import XCTest
@testable import ProvisionCore

/// Every script provision sends to hosts parses as POSIX sh, under dash (Debian's /bin/sh) and
/// busybox (scripts/test installs it): targets have no bash guarantee. (Checked once by hand
/// with devscripts' `checkbashisms --posix` too, which found `test -a` look-alikes.)
final class ScriptSyntaxTests: ModuleTestCase {
    var scripts: [(String, String)] {
        var out: [(String, String)] = [("facts", FactScript.text)]
        let bodies: [(String, String)] = [
            ("probe", RemoteFileProbe.body), ("finalize", RemoteFileWriter.finalizeBody), ("file", FileModule.body),
            ("apt", AptScript.body), ("systemd", SystemdModule.body), ("user", UserModule.body),
            ("group", GroupModule.body), ("get_url", GetURLModule.body), ("wait_for", WaitForModule.body),
            ("dircopy", DirectoryCopy.probeBody), ("remote_copy", RemoteCopy.body), ("stat", StatModule.body),
            ("hostname", HostnameModule.body), ("authorized_key", AuthorizedKeyModule.resolveBody),
        ] + SystemModuleTests.scriptBodies
        for (name, body) in bodies { out.append((name, ModuleScript(body, variables: [("check", "0")]).text)) }
        return out
    }

    func checkEach(_ shell: String, _ args: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for (name, text) in scripts {
            let f = path(name + ".sh")
            try write(f, text)
            let r = try sh("\(shell) \(args) '\(f)' 2>&1")
            XCTAssertEqual(r.status, 0, "\(name) under \(shell): \(r.stdoutText)", file: file, line: line)
        }
    }

    func testDashParsesEveryScript() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/dash") || FileManager.default.isExecutableFile(atPath: "/bin/dash"))
        try checkEach("dash", "-n")
    }

    func testBusyboxParsesEveryScript() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/busybox") || FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                          "busybox not installed")
        try checkEach("busybox sh", "-n")
    }
}
