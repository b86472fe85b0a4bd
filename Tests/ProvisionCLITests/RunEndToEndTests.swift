import Foundation
import XCTest
import ProvisionCore

/// `provision run` as a user runs it: the built binary, a workspace with an inventory of local
/// hosts (each with its own state directory), real files.
final class RunEndToEndTests: XCTestCase {
    var binary: ProvisionBinary!
    var workspace: Workspace!
    /// Where the hosts keep their state (outside the workspace, named by the inventory).
    var base = ""

    func state(_ host: String) -> String { base + "/state/" + host }

    override func setUpWithError() throws {
        binary = try ProvisionBinary.locate()
        base = NSTemporaryDirectory() + "provision-run-state-" + UUID().uuidString
        var inv = "all:\n  hosts:\n"
        for h in ["red01", "red02", "red03"] {
            inv += "    \(h):\n      ansible_connection: local\n      state: \(base)/state/\(h)\n"
        }
        inv += "  vars:\n    db_password: Pl4nted-Secret-Value\n"
        workspace = try Workspace(inventory: inv, files: [
            "site.yml": """
            - hosts: all
              gather_facts: false
              vars:
                motd: "{{ greeting | default('hello') }} from {{ inventory_hostname }}"
              tasks:
                - name: state directory
                  file: path={{ state }} state=directory
                - name: motd
                  copy:
                    dest: "{{ state }}/motd"
                    content: "{{ motd }}\\n"
                  notify: count restarts
                  tags: [motd]
                - name: uptime
                  command: uptime
                  changed_when: false
                - name: secret
                  shell: echo {{ db_password }} > {{ state }}/pw
                  args:
                    creates: "{{ state }}/pw"
                  no_log: true
                - name: fail red02 on demand
                  command: /bin/false
                  when: inventory_hostname == 'red02' and (break_red02 | default(false) | bool)
              handlers:
                - name: count restarts
                  shell: echo x >> {{ state }}/restarts
            """,
            "broken.yml": """
            - hosts: all
              tasks:
                - name: fine
                  file: path=/tmp/never-touched state=touch
                - name: typo
                  copy: {dest: /tmp/x, contnet: y}
                - name: undefined
                  debug: msg="{{ nowhere }}"
                  whn: true
            """,
            "vars.yml": "greeting: bonjour\n",
            "controller.yml": """
            - hosts: all
              gather_facts: false
              tasks:
                - name: note each host on the controller
                  shell: echo {{ inventory_hostname }} >> \(base)/collected
                  delegate_to: localhost
            - hosts: localhost
              gather_facts: false
              tasks:
                - name: on the controller
                  copy: dest=\(base)/done content="{{ inventory_hostname }} {{ ansible_connection }} {{ group_names | length }}"
            """,
        ])
    }

    override func tearDown() {
        workspace?.remove()
        try? FileManager.default.removeItem(atPath: base)
    }

    func run(_ args: [String], env: [String: String] = [:]) throws -> ProvisionBinary.Output {
        try binary.run(["run"] + args, in: workspace.path, environment: env)
    }

    func testFirstRunChangesSecondChangesNothingCheckAndDiff() throws {
        let first = try run(["site.yml"])
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        XCTAssertTrue(first.stdout.contains("TASK [motd]\n  changed: red[01-03]"), first.stdout)
        XCTAssertTrue(first.stdout.contains("HANDLER [count restarts]"), first.stdout)
        XCTAssertTrue(first.stdout.contains("red[01-03]  ok=5 changed=4 unreachable=0 failed=0 skipped=1"), first.stdout)
        XCTAssertEqual(try String(contentsOfFile: state("red02") + "/motd", encoding: .utf8), "hello from red02\n")

        let second = try run(["site.yml"])
        XCTAssertEqual(second.status, 0, second.stdout)
        XCTAssertTrue(second.stdout.contains("red[01-03]  ok=4 changed=0 unreachable=0 failed=0 skipped=1"), second.stdout)

        let check = try run(["site.yml", "--check", "--diff", "-e", "@vars.yml"])
        XCTAssertEqual(check.status, 0, check.stdout)
        XCTAssertTrue(check.stdout.contains("-hello from red01"), check.stdout)
        XCTAssertTrue(check.stdout.contains("+bonjour from red01"), check.stdout)
        XCTAssertEqual(try String(contentsOfFile: state("red01") + "/motd", encoding: .utf8), "hello from red01\n",
                       "check mode changed a file")
        XCTAssertEqual(try String(contentsOfFile: state("red01") + "/restarts", encoding: .utf8), "x\n")

        let tagged = try run(["site.yml", "--tags", "motd", "-e", "greeting=salut"])
        XCTAssertEqual(tagged.status, 0, tagged.stdout)
        XCTAssertFalse(tagged.stdout.contains("TASK [uptime]"), tagged.stdout)
        XCTAssertEqual(try String(contentsOfFile: state("red03") + "/motd", encoding: .utf8), "salut from red03\n")
    }

    func testImplicitLocalhostForDelegationAndItsOwnPlay() throws {
        // The inventory names no localhost: as in Ansible, `localhost` is the controller, reached
        // without SSH, and `all` leaves it out.
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let r = try run(["controller.yml"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let collected = try String(contentsOfFile: base + "/collected", encoding: .utf8)
        XCTAssertEqual(collected.split(separator: "\n").sorted(), ["red01", "red02", "red03"])
        XCTAssertEqual(try String(contentsOfFile: base + "/done", encoding: .utf8), "localhost local 0")
        XCTAssertTrue(r.stdout.contains("PLAY [localhost]"), r.stdout)

        // --limit still bounds the plays: localhost is out unless named.
        let limited = try run(["controller.yml", "--limit", "red01"])
        XCTAssertEqual(limited.status, 0, limited.stdout + limited.stderr)
        XCTAssertTrue(limited.stdout.contains("no hosts matched"), limited.stdout)
    }

    func testLoadErrorsAreAllShownWithPositionsAndNothingRuns() throws {
        let out = try run(["broken.yml"])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stdout, "")
        // A module's arguments are Ansible's run-time business: not a load error (--strict below).
        XCTAssertFalse(out.stderr.contains("error: copy: unknown argument 'contnet'"), out.stderr)
        XCTAssertTrue(out.stderr.contains("broken.yml:9:7: error: unknown key or module 'whn'"), out.stderr)
        // Not visibly defined is Ansible's business at run time: only --strict refuses it.
        XCTAssertFalse(out.stderr.contains("'nowhere'"), out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: state("red01")), "a host was contacted")
        let strict = try run(["broken.yml", "--strict"])
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.stderr.contains("broken.yml:8:14: error: 'nowhere' is not visibly defined"), strict.stderr)
        XCTAssertTrue(strict.stderr.contains("broken.yml:6:28: error: copy: unknown argument 'contnet'"), strict.stderr)
    }

    func testVarsPromptTakesExtraVarsThenTheDefaultAndFailsClearlyWithoutEither() throws {
        try """
        - hosts: red01
          gather_facts: false
          vars_prompt:
            - name: release
              prompt: Which release?
              private: false
              default: stable
            - name: secret_word
              prompt: Say it
          tasks:
            - file: path={{ state }} state=directory
            - copy: dest={{ state }}/prompted content="{{ release }}-{{ secret_word }}"
        """.write(toFile: workspace.path + "/prompt.yml", atomically: true, encoding: .utf8)
        // No terminal here (stdin is /dev/null): no default and no -e is an error before the run.
        let refused = try run(["prompt.yml"])
        XCTAssertEqual(refused.status, 1, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("vars_prompt 'secret_word': no terminal to ask on and no default"), refused.stderr)
        let ran = try run(["prompt.yml", "-e", "secret_word=xyzzy"])
        XCTAssertEqual(ran.status, 0, ran.stdout + ran.stderr)
        XCTAssertEqual(try String(contentsOfFile: state("red01") + "/prompted", encoding: .utf8), "stable-xyzzy")
    }

    func testWarningsAreShownBeforeTheRunAndStrictRefusesThem() throws {
        try """
        - hosts: red01
          gather_facts: false
          tasks:
            - name: maybe
              debug: msg="{{ not_defined_here }}"
              when: false
        """.write(toFile: workspace.path + "/warned.yml", atomically: true, encoding: .utf8)
        let out = try run(["warned.yml"])
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        XCTAssertTrue(out.stderr.contains("warned.yml:5:14: warning: 'not_defined_here' is not visibly defined"), out.stderr)
        let strict = try run(["warned.yml", "--strict"])
        XCTAssertEqual(strict.status, 1, strict.stdout + strict.stderr)
        XCTAssertEqual(strict.stdout, "")
    }

    func testFailedHostsAreRecordedAndRetriedWithLimitAtFile() throws {
        let out = try run(["site.yml", "-e", "break_red02=true"])
        XCTAssertEqual(out.status, 2, out.stdout)
        XCTAssertTrue(out.stdout.contains("failed: red02"), out.stdout)
        let recorded = try String(contentsOfFile: workspace.path + "/.provision/last-failed", encoding: .utf8)
        XCTAssertEqual(recorded, "red02\n")
        let retry = try run(["site.yml", "--limit", "@.provision/last-failed", "--json"])
        XCTAssertEqual(retry.status, 0, retry.stdout + retry.stderr)
        let events = retry.stdout.split(separator: "\n").map { Value(jsonText: String($0)) }
        XCTAssertFalse(events.contains { $0 == nil }, "stdout holds only JSON lines: \(retry.stdout)")
        let hosts = Set(events.compactMap { $0?["host"]?.stringValue })
        XCTAssertEqual(hosts, ["red02"])
        XCTAssertEqual(events.last??["event"], "recap")
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.path + "/.provision/last-failed"),
                       "a clean run removes the list")
    }

    func testPlantedSecretsAppearNowhereAtHighestVerbosityOrInJSON() throws {
        let env = ["PROVISION_BECOME_PASSWORD": "Become-Pw-Planted-42"]
        let console = try run(["site.yml", "-vvv", "--become"], env: env)
        let json = try run(["site.yml", "-vvv", "--json", "--become"], env: env)
        XCTAssertEqual(try String(contentsOfFile: state("red01") + "/pw", encoding: .utf8), "Pl4nted-Secret-Value\n",
                       "the secret task really ran")
        for out in [console, json] {
            XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
            for secret in ["Pl4nted-Secret-Value", "Become-Pw-Planted-42"] {
                XCTAssertFalse(out.stdout.contains(secret), out.stdout)
                XCTAssertFalse(out.stderr.contains(secret), out.stderr)
            }
        }
        XCTAssertTrue(console.stdout.contains(TaskHostResult.hidden), console.stdout)
        XCTAssertTrue(json.stdout.contains(TaskHostResult.hidden), json.stdout)
    }

    func testStartAtTaskAndCtrlC() throws {
        XCTAssertEqual(try run(["site.yml"]).status, 0)
        let out = try run(["site.yml", "--start-at-task", "uptime"])
        XCTAssertEqual(out.status, 0, out.stdout)
        XCTAssertFalse(out.stdout.contains("TASK [motd]"), out.stdout)
        XCTAssertTrue(out.stdout.contains("TASK [uptime]"), out.stdout)

        try """
        - hosts: all
          gather_facts: false
          tasks:
            - shell: mkdir -p {{ state }} && touch {{ state }}/started && sleep 6
        """.write(toFile: workspace.path + "/slow.yml", atomically: true, encoding: .utf8)
        let started = ["red01", "red02", "red03"].map { state($0) + "/started" }
        let slow = try binary.run(["run", "slow.yml"], in: workspace.path) { p, _ in
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, p.isRunning,
                  !started.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) {
                Thread.sleep(forTimeInterval: 0.05)
            }
            kill(p.processIdentifier, SIGINT)
        }
        XCTAssertEqual(slow.status, 130, slow.stdout + slow.stderr)
    }
}
