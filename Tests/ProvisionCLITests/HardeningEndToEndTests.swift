import Foundation
import XCTest
import ProvisionCore
import ProvisionTestSupport

/// Hostile hosts and two operators against the loopback sshd: huge output kept bounded with a
/// marker, escape sequences shown escaped, a NUL in an address refused at load, and the run
/// lock (a second run fails fast naming the first; a stale lock is taken over).
final class HardeningEndToEndTests: XCTestCase {
    var binary: ProvisionBinary!
    var server: SSHTestServer!
    var workspace: Workspace!
    var lockDir: String { workspace.path + "/locks" }

    override func setUpWithError() throws {
        do { server = try SSHTestServer.shared() } catch let e as SSHTestServer.Unavailable {
            throw XCTSkip(e.reason)
        }
        binary = try ProvisionBinary.locate()
        workspace = try Workspace(inventory: """
        all:
          vars:
            ansible_user: \(server.user)
            ansible_ssh_private_key_file: \(server.keyPath)
            ansible_port: \(server.port)
          hosts:
            node1:
              address: 127.0.0.2
            node2:
              address: 127.0.0.3
        """, files: [
            "slow.yml": """
            - hosts: all
              gather_facts: false
              tasks:
                - command: sleep 4
            """,
            "quick.yml": """
            - hosts: all
              gather_facts: false
              tasks:
                - command: "true"
            """,
            "nul.yml": """
            all:
              hosts:
                evil:
                  ansible_host: "127.0.0.1\\0.example"
                badnl:
                  ansible_user: "root\\nx"
            """,
        ])
    }

    override func tearDown() { workspace?.remove() }

    private func run(_ args: [String], whileRunning: ((Process, () -> String) -> Void)? = nil) throws -> ProvisionBinary.Output {
        try binary.run(args + ["--host-key-checking", "off"], in: workspace.path,
                       environment: ["NO_COLOR": "1", "PROVISION_LOCK_DIR": lockDir], whileRunning: whileRunning)
    }

    func testHugeOutputIsCutWithAMarkerAndKeptWholeInTheOutputDirectory() throws {
        let total = 20_000_000
        let out = try run(["exec", "head -c \(total) /dev/zero | tr '\\\\0' x; echo", "--limit", "node1", "--json",
                           "--keep-output", "1000", "--output-dir", workspace.path + "/out"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let object = try XCTUnwrap(Value(jsonText: out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(object["stdout_dropped_bytes"], .int(total + 1 - 2000))
        let kept = try XCTUnwrap(object["stdout"]?.stringValue)
        XCTAssertTrue(kept.contains("[provision: \(total + 1 - 2000) bytes of stdout cut here"), String(kept.prefix(1200)))
        XCTAssertLessThan(kept.utf8.count, 2300)
        let attributes = try FileManager.default.attributesOfItem(atPath: workspace.path + "/out/node1.stdout")
        XCTAssertEqual((attributes[.size] as? NSNumber)?.intValue, total + 1)
    }

    func testEscapeSequencesFromAHostAreShownEscaped() throws {
        let out = try run(["exec", "printf 'a\\033]0;pwned\\007b\\033[2Jc\\r\\n'; printf '\\302\\233x' >&2", "--limit", "node1"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(out.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B }, out.stdout)
        XCTAssertTrue(out.stdout.contains("a\\x1b]0;pwned\\x07b\\x1b[2Jc\\r\n"), out.stdout)
        XCTAssertTrue(out.stdout.contains("\\x9bx"), out.stdout)
        // A failure tail of `run` is escaped too.
        try "- hosts: node1\n  gather_facts: false\n  tasks:\n    - shell: printf '\\033[2J\\033]0;t\\007'; exit 3\n"
            .write(toFile: workspace.path + "/esc.yml", atomically: true, encoding: .utf8)
        let failed = try run(["run", "esc.yml"])
        XCTAssertEqual(failed.status, 2, failed.stderr)
        XCTAssertFalse(failed.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, failed.stdout)
        XCTAssertTrue(failed.stdout.contains("\\x1b[2J"), failed.stdout)
    }

    func testControlCharactersInAddressAndUserAreRefusedAtLoad() throws {
        let out = try run(["exec", "true", "-i", "nul.yml"])
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stderr.contains("nul.yml:4:"), out.stderr)
        XCTAssertTrue(out.stderr.contains("U+0000"), out.stderr)
        XCTAssertTrue(out.stderr.contains("nul.yml:6:"), out.stderr)
        XCTAssertTrue(out.stderr.contains("U+000A"), out.stderr)
        XCTAssertFalse(out.stderr.contains("\0"), out.stderr)
    }

    func testASecondRunOnHeldHostsFailsFastNamingTheHolder() throws {
        var second: ProvisionBinary.Output?
        var unlocked: ProvisionBinary.Output?
        let first = try run(["run", "slow.yml"]) { process, _ in
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let files = (try? FileManager.default.contentsOfDirectory(atPath: self.lockDir)) ?? []
                if files.filter({ $0.hasSuffix(".lock") }).count == 2 { break }
                usleep(50_000)
            }
            let start = Date()
            second = try? self.run(["run", "quick.yml", "--limit", "node2"])
            XCTAssertLessThan(Date().timeIntervalSince(start), 3, "the second run must not wait for the first")
            unlocked = try? self.run(["run", "quick.yml", "--limit", "node2", "--no-lock"])
            XCTAssertTrue(process.isRunning, "the first run should still hold its lock")
        }
        XCTAssertEqual(first.status, 0, first.stderr)
        let busy = try XCTUnwrap(second)
        XCTAssertEqual(busy.status, 1, busy.stdout)
        XCTAssertTrue(busy.stderr.contains("host node2 is locked by another provision run of "), busy.stderr)
        XCTAssertTrue(busy.stderr.contains("slow.yml (pid "), busy.stderr)
        XCTAssertTrue(busy.stderr.contains("--no-lock"), busy.stderr)
        XCTAssertFalse(busy.stdout.contains("TASK"), "no task may start: \(busy.stdout)")
        XCTAssertEqual(unlocked?.status, 0, unlocked?.stderr ?? "")
        // The first run gave its hosts back.
        let left = try FileManager.default.contentsOfDirectory(atPath: lockDir).filter { $0.hasSuffix(".lock") }
        XCTAssertEqual(left, [])
        let again = try run(["run", "quick.yml"])
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    func testAStaleLockOfADeadRunIsTakenOverWithANote() throws {
        // Take the lock with a run, then rewrite its holder as a process that has exited.
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        try FileManager.default.createDirectory(atPath: lockDir, withIntermediateDirectories: true)
        let first = try run(["run", "slow.yml", "--limit", "node1"]) { process, _ in
            let deadline = Date().addingTimeInterval(20)
            var files: [String] = []
            while Date() < deadline {
                files = ((try? FileManager.default.contentsOfDirectory(atPath: self.lockDir)) ?? []).filter { $0.hasSuffix(".lock") }
                if !files.isEmpty { break }
                usleep(50_000)
            }
            process.terminate()
            process.waitUntilExit()
            // Whatever the first run left, its holder is now a dead pid of this controller.
            let holder = """
            {"controller":"\(String(cString: host))","pid":\(dead.processIdentifier),"playbook":"/old/site.yml","since":"2026-01-01T00:00:00Z"}
            """
            for f in files { try? holder.write(toFile: self.lockDir + "/" + f, atomically: true, encoding: .utf8) }
            XCTAssertEqual(files.count, 1)
        }
        XCTAssertNotEqual(first.status, 0)
        let out = try run(["run", "quick.yml", "--limit", "node1"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stderr.contains("host node1: taking over a stale run lock left by provision run of /old/site.yml (pid \(dead.processIdentifier)"),
                      out.stderr)
    }

    func testSecretCanariesNeverPrintAtHighVerbosityOrInJSON() throws {
        try """
        - hosts: node1
          gather_facts: false
          vars:
            db_password: Canary-Pw-4242
            dsn: "postgres://app:{{ db_password | reverse | join }}x@db"
          tasks:
            - debug: msg="{{ db_password | upper }} {{ db_password | b64encode }} {{ db_password | hash('sha256') }}"
            - shell: echo Canary-NoLog-7777
              register: hidden
              no_log: true
            - debug: var=hidden
            - debug: msg="{{ hidden.stdout | upper }}"
            - shell: echo "$DBP" | tr a-z A-Z
              environment:
                DBP: "{{ db_password }}"
            # Transformations no list of derived forms holds: masked because they read a secret,
            # directly, through a play variable, or through a fact set from one.
            - debug: msg="{{ db_password | regex_replace('-', '+') }} {{ db_password[7:] }} {{ db_password.split('-') | join('/') }}"
            - debug: msg="{{ dsn }}"
            - set_fact:
                conn: "{{ db_password | replace('Pw', 'Conn') }}"
            - debug: msg="{{ conn | regex_replace('4', '5') }}"
        """.write(toFile: workspace.path + "/secrets.yml", atomically: true, encoding: .utf8)
        let canaries = ["Canary-Pw-4242", "CANARY-PW-4242", Data("Canary-Pw-4242".utf8).base64EncodedString(),
                        "Canary-NoLog-7777", "CANARY-NOLOG-7777",
                        "Canary+Pw+4242", "Pw-4242", "Canary/Pw/4242", "2424-wP-yranaCx", "Canary-Conn-4242", "Canary-Conn-5252"]
        for args in [["-vvvv"], ["--json"], ["--json", "-vvvv"]] {
            let out = try run(["run", "secrets.yml"] + args)
            XCTAssertEqual(out.status, 0, out.stderr)
            XCTAssertTrue(out.stdout.contains("********"), out.stdout)
            for canary in canaries {
                let count = (out.stdout + out.stderr).components(separatedBy: canary).count - 1
                XCTAssertEqual(count, 0, "\(canary) printed \(count) times with \(args):\n\(out.stdout)\n\(out.stderr)")
            }
        }
    }

    private func markerDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "provision-ctrlc-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        chmod(dir, 0o1777)
        return dir
    }

    func testFirstCtrlCDrainsRunningTasksAndStartsNoNewOne() throws {
        let dir = try markerDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        - hosts: all
          gather_facts: false
          tasks:
            - shell: sleep 3; touch \(dir)/first-{{ inventory_hostname }}
            - shell: touch \(dir)/second-{{ inventory_hostname }}
        """.write(toFile: workspace.path + "/drain.yml", atomically: true, encoding: .utf8)
        let out = try run(["run", "drain.yml"]) { process, _ in
            usleep(1_500_000)
            process.interrupt()
        }
        XCTAssertEqual(out.status, 130, out.stdout + out.stderr)
        XCTAssertTrue(out.stderr.contains("finishing the tasks running now"), out.stderr)
        for host in ["node1", "node2"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/first-\(host)"), "the running task must finish on \(host)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(dir)/second-\(host)"), "no new task may start on \(host)")
        }
        XCTAssertTrue(out.stdout.contains("changed: node[1-2]"), out.stdout)
        XCTAssertTrue(out.stdout.contains("interrupted"), out.stdout)
    }

    func testSecondCtrlCAbortsAtOnceNamingTheHostsMidChange() throws {
        try """
        - hosts: all
          gather_facts: false
          tasks:
            - shell: (sleep 23.75 & sleep 23.75; wait)
              become: true
        """.write(toFile: workspace.path + "/abort.yml", atomically: true, encoding: .utf8)
        let start = Date()
        let out = try run(["run", "abort.yml"]) { process, _ in
            usleep(1_500_000)
            process.interrupt()
            usleep(300_000)
            process.interrupt()
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "the second Ctrl-C must not wait for the task")
        XCTAssertEqual(out.status, 130, out.stdout + out.stderr)
        XCTAssertTrue(out.stderr.contains("interrupted while running on node[1-2]"), out.stderr)
        let lastFailed = try String(contentsOfFile: workspace.path + "/.provision/last-failed", encoding: .utf8)
        XCTAssertEqual(lastFailed, "node1\nnode2\n")
        // Nothing the run started is left on the hosts (they share this machine).
        usleep(500_000)
        let left = Process()
        left.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        left.arguments = ["-f", "sleep 23.7[5]"]
        let pipe = Pipe()
        left.standardOutput = pipe
        try left.run()
        left.waitUntilExit()
        let pids = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(pids, "", "processes left running after the abort")
    }
}
