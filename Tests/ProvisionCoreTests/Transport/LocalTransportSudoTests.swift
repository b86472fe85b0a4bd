import XCTest
@testable import ProvisionCore

/// Root's real sudo never asks for a password, so these tests put a stand-in `sudo` first on
/// PATH that speaks sudo's `-S -p` protocol: prompt on stderr, read a line, "Sorry, try again."
final class LocalTransportSudoTests: XCTestCase {
    var dir = ""
    var savedPath = ""

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("fakesudo-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = """
        #!/bin/sh
        # fake sudo: -S -p PROMPT [-u USER] -H -- CMD...
        prompt=""; nopass=0
        while [ $# -gt 0 ]; do
          case "$1" in
            -S|-H) shift ;;
            -n) nopass=1; shift ;;
            -p) prompt="$2"; shift 2 ;;
            -u) shift 2 ;;
            --) shift; break ;;
            *) break ;;
          esac
        done
        if [ -f "\(dir)/nopasswd" ]; then exec "$@"; fi
        if [ $nopass = 1 ]; then echo "sudo: a password is required" >&2; exit 1; fi
        tries=0
        while [ $tries -lt 3 ]; do
          printf '%s' "$prompt" >&2
          IFS= read -r pw || exit 1
          if [ "$pw" = "right horse" ]; then exec "$@"; fi
          echo "Sorry, try again." >&2
          tries=$((tries + 1))
        done
        echo "sudo: 3 incorrect password attempts" >&2
        exit 1
        """
        _ = FileManager.default.createFile(atPath: dir + "/sudo", contents: Data(script.utf8),
                                       attributes: [.posixPermissions: 0o755])
        savedPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        setenv("PATH", dir + ":" + savedPath, 1)
    }

    override func tearDown() {
        setenv("PATH", savedPath, 1)
        try? FileManager.default.removeItem(atPath: dir)
    }

    // Become a user other than the one running the tests, so the transport goes through sudo.
    let other = LocalTransport.currentUser == "nobody" ? "root" : "nobody"

    func testPasswordGoesToSudoAndStdinToTheCommand() throws {
        let t = LocalTransport()
        let r = try t.run(RemoteCommand("cat; echo done", stdin: Data("payload\n".utf8),
                                        become: Become(user: other, password: Secret("right horse"))))
        XCTAssertEqual(r.stdoutText, "payload\ndone\n")
        XCTAssertFalse(r.stderrText.contains("provision-sudo"), "the prompt leaked into stderr: \(r.stderrText)")
        XCTAssertFalse(r.stderrText.contains("PROVISION-BECOME") || r.stdoutText.contains("PROVISION-BECOME"), "the marker leaked: \(r)")
        XCTAssertFalse(r.stdoutText.contains("right horse"))
    }

    func testWrongPasswordFailsQuicklyWithAClearError() throws {
        let start = Date()
        XCTAssertThrowsError(try LocalTransport().run(RemoteCommand("true",
            become: Become(user: other, password: Secret("wrong"))))) { e in
            let te = e as? TransportError
            XCTAssertEqual(te?.kind, .become)
            XCTAssertEqual(te?.message, "incorrect sudo password (becoming \(self.other))")
            XCTAssertFalse("\(e)".contains("wrong"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testMissingPasswordSaysOneIsNeeded() throws {
        XCTAssertThrowsError(try LocalTransport().run(RemoteCommand("true", become: Become(user: other)))) { e in
            XCTAssertEqual((e as? TransportError)?.kind, .become)
            XCTAssertTrue("\(e)".contains("--ask-become-pass"), "\(e)")
        }
    }

    func testSudoThatDoesNotPromptStillGetsStdin() throws {
        _ = FileManager.default.createFile(atPath: dir + "/nopasswd", contents: Data())
        let r = try LocalTransport().run(RemoteCommand("cat", stdin: Data("input".utf8),
                                                       become: Become(user: other, password: Secret("right horse"))))
        XCTAssertEqual(r.stdoutText, "input")
    }
}
