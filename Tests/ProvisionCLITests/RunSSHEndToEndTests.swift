import Foundation
import XCTest
import ProvisionCore
import ProvisionTestSupport

/// `provision run` over real SSH: three loopback "hosts" (127.0.0.2…4) on the test sshd, each
/// with its own state directory, one host whose sudo needs a password, one where nothing
/// listens. First run changes, second changes nothing, check mode changes nothing, --diff
/// shows the change, and planted secrets appear nowhere at -vvv or in --json.
final class RunSSHEndToEndTests: XCTestCase {
    var binary: ProvisionBinary!
    var server: SSHTestServer!
    var workspace: Workspace!
    var base = ""
    var knownHosts: String { workspace.path + "/known_hosts" }
    let nodes = ["node1", "node2", "node3"]

    func state(_ host: String) -> String { base + "/" + host }

    override func setUpWithError() throws {
        do { server = try SSHTestServer.shared() } catch let e as SSHTestServer.Unavailable {
            throw XCTSkip(e.reason)
        }
        binary = try ProvisionBinary.locate()
        let dead = try SSHTestServer.unusedPort()
        base = NSTemporaryDirectory() + "provision-ssh-run-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        // The login users create their state directories here.
        chmod(base, 0o1777)
        let hosts = nodes.enumerated().map { i, n in
            "        \(n):\n          address: 127.0.0.\(i + 2)\n          state: \(state(n))"
        }.joined(separator: "\n")
        workspace = try Workspace(inventory: """
        all:
          vars:
            ansible_user: \(server.user)
            ansible_ssh_private_key_file: \(server.keyPath)
            ansible_port: \(server.port)
            api_token: Planted-Token-9f8e7d
          children:
            nodes:
              hosts:
        \(hosts)
            pw:
              hosts:
                pwhost:
                  address: 127.0.0.5
                  user: \(server.passwordSudoUser)
                  state: \(state("pwhost"))
            gone:
              hosts:
                ghost:
                  address: 127.0.0.1
                  port: \(dead)
                  state: /nonexistent
        """, files: [
            "site.yml": """
            - hosts: all
              vars:
                motd: "{{ greeting | default('hello') }} from {{ inventory_hostname }} ({{ ansible_system }})"
              tasks:
                - name: state directory
                  file: path={{ state }} state=directory mode=0755
                - name: motd
                  copy:
                    dest: "{{ state }}/motd"
                    content: "{{ motd }}\\n"
                  notify: note
                - name: as root
                  copy: dest={{ state }}/root-owned content=root owner=root mode=0600
                  become: true
                - name: who am i as root
                  command: id -un
                  become: true
                  register: who
                  changed_when: false
                  check_mode: false
                - name: token, quietly
                  shell: echo {{ api_token }} > {{ state }}/token; cat {{ state }}/token
                  args:
                    creates: "{{ state }}/token"
                  no_log: true
                - name: root it was
                  assert:
                    that: who.stdout == 'root'
              handlers:
                - name: note
                  shell: echo noted >> {{ state }}/notes
            """,
        ])
    }

    override func tearDown() {
        workspace?.remove()
        try? FileManager.default.removeItem(atPath: base)
    }

    func run(_ args: [String], env: [String: String] = [:]) throws -> ProvisionBinary.Output {
        var e = ["NO_COLOR": "1", "PROVISION_BECOME_PASSWORD": server.password]
        e.merge(env) { _, n in n }
        return try binary.run(["run", "site.yml", "--known-hosts", knownHosts] + args, in: workspace.path, environment: e)
    }

    func testFirstRunChangesSecondChangesNothingCheckModeAndDiff() throws {
        let first = try run(["--limit", "nodes:pw"])
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        XCTAssertTrue(first.stdout.contains("TASK [motd]\n  changed: node[1-3],pwhost"), first.stdout)
        XCTAssertTrue(first.stdout.contains("node[1-3],pwhost  ok=8 changed=5 unreachable=0 failed=0"), first.stdout)
        for h in nodes + ["pwhost"] {
            XCTAssertEqual(try String(contentsOfFile: state(h) + "/motd", encoding: .utf8), "hello from \(h) (Linux)\n")
            let attrs = try FileManager.default.attributesOfItem(atPath: state(h) + "/root-owned")
            XCTAssertEqual(attrs[.ownerAccountName] as? String, "root")
        }

        let second = try run(["--limit", "nodes:pw"])
        XCTAssertEqual(second.status, 0, second.stdout + second.stderr)
        XCTAssertTrue(second.stdout.contains("node[1-3],pwhost  ok=7 changed=0 unreachable=0 failed=0"), second.stdout)

        let check = try run(["--limit", "nodes", "--check", "--diff", "-e", "greeting=bonjour"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("TASK [motd]\n  changed: node[1-3]"), check.stdout)
        XCTAssertTrue(check.stdout.contains("-hello from node2 (Linux)"), check.stdout)
        XCTAssertTrue(check.stdout.contains("+bonjour from node2 (Linux)"), check.stdout)
        XCTAssertEqual(try String(contentsOfFile: state("node2") + "/motd", encoding: .utf8), "hello from node2 (Linux)\n",
                       "check mode changed the file")
        XCTAssertEqual(try String(contentsOfFile: state("node2") + "/notes", encoding: .utf8), "noted\n")
    }

    func testManyHostsBoundedByForksUseOneSessionEachForTheWholeRun() throws {
        let count = 24
        let hosts = (1...count).map { String(format: "h%02d", $0) }
        let lines = hosts.enumerated().map { i, h in
            "    \(h): {address: 127.0.1.\(i + 10), state: \(state(h))}"
        }.joined(separator: "\n")
        let inventory = """
        all:
          vars:
            ansible_user: \(server.user)
            ansible_ssh_private_key_file: \(server.keyPath)
            ansible_port: \(server.port)
          hosts:
        \(lines)
        """
        try inventory.write(toFile: workspace.path + "/many.yml", atomically: true, encoding: .utf8)
        try """
        - hosts: all
          gather_facts: false
          tasks:
            - file: path={{ state }} state=directory
            - copy: dest={{ state }}/f content={{ inventory_hostname }}
        - hosts: all
          tasks:
            - command: cat {{ state }}/f
              register: out
              changed_when: false
            - assert:
                that: out.stdout == inventory_hostname
        """.write(toFile: workspace.path + "/many-play.yml", atomically: true, encoding: .utf8)
        let args = ["run", "many-play.yml", "-i", "many.yml", "--forks", "5", "-v", "--known-hosts", knownHosts]
        let first = try binary.run(args, in: workspace.path, environment: ["NO_COLOR": "1"])
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        XCTAssertTrue(first.stdout.contains("h[01-24]  ok=5 changed=2 unreachable=0 failed=0"), first.stdout)
        for h in hosts {
            let connects = first.stderr.components(separatedBy: "[\(h)] connecting to").count - 1
            XCTAssertEqual(connects, 1, "\(h) connected \(connects) times over two plays and four tasks")
        }
        let second = try binary.run(args, in: workspace.path, environment: ["NO_COLOR": "1"])
        XCTAssertTrue(second.stdout.contains("h[01-24]  ok=5 changed=0 unreachable=0 failed=0"), second.stdout)
    }

    func testUnreachableHostAndPlantedSecretsNowhere() throws {
        let console = try run(["-vvv"])
        XCTAssertEqual(console.status, 4, console.stdout + console.stderr)
        XCTAssertTrue(console.stdout.contains("unreachable: ghost"), console.stdout)
        XCTAssertTrue(console.stdout.contains(TaskHostResult.hidden), console.stdout)
        XCTAssertEqual(try String(contentsOfFile: state("node1") + "/token", encoding: .utf8), "Planted-Token-9f8e7d\n")
        let failed = try String(contentsOfFile: workspace.path + "/.provision/last-failed", encoding: .utf8)
        XCTAssertEqual(failed, "ghost\n")
        let json = try run(["-vvv", "--json", "--limit", "nodes:pw"])
        XCTAssertEqual(json.status, 0, json.stdout + json.stderr)
        XCTAssertFalse(json.stdout.split(separator: "\n").contains { Value(jsonText: String($0)) == nil }, json.stdout)
        for out in [console, json] {
            for secret in ["Planted-Token-9f8e7d", server.password] {
                XCTAssertFalse(out.stdout.contains(secret), out.stdout)
                XCTAssertFalse(out.stderr.contains(secret), out.stderr)
            }
        }
    }
}
