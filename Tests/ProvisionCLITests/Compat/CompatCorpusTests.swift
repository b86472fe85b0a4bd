import Foundation
import XCTest
import ProvisionCore
import ProvisionTestSupport

/// The compatibility corpus: playbooks in the shapes public roles use (Fixtures/), each run
/// unchanged by ansible-playbook and by provision against the same loopback hosts. Per task
/// and host the statuses must be equal, and so must the files each run left behind.
final class CompatCorpusTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    var binary: ProvisionBinary!
    var server: SSHTestServer!
    var base = ""

    override func setUpWithError() throws {
        try AnsibleReference.require()
        do { server = try SSHTestServer.shared() } catch let e as SSHTestServer.Unavailable { throw XCTSkip(e.reason) }
        binary = try ProvisionBinary.locate()
        base = NSTemporaryDirectory() + "provision-compat-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        chmod(base, 0o1777)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: base)
    }

    /// Three loopback hosts: a manager and two workers; `only_on_one` is set on w1 alone.
    func inventory() -> String {
        """
        all:
          vars:
            ansible_user: \(server.user)
            ansible_ssh_private_key_file: \(server.keyPath)
            ansible_port: \(server.port)
          children:
            managers:
              hosts:
                m1: {ansible_host: 127.0.0.31}
            workers:
              hosts:
                w1: {ansible_host: 127.0.0.32, only_on_one: here}
                w2: {ansible_host: 127.0.0.33}
        """
    }

    /// Copies the fixture, runs both tools, compares statuses and end state. The inventory is
    /// written beside the playbook, or into the fixture's `inventory/` when it has one (so
    /// the playbook's and the inventory's group_vars/ differ).
    /// `options` go to both tools (e.g. `--tags`); `copy` names the work copy when one fixture
    /// is compared more than once; `recap`: the PLAY RECAP counters must be equal too.
    func compare(_ fixture: String, options: [String] = [], copy: String? = nil, recap: Bool = false,
                 file: StaticString = #filePath, line: UInt = #line) throws {
        let work = base + "/" + (copy ?? fixture)
        try FileManager.default.copyItem(atPath: Self.fixtures + "/" + fixture, toPath: work)
        let hosts = FileManager.default.fileExists(atPath: work + "/inventory") ? "inventory/hosts.yml" : "hosts.yml"
        try inventory().write(toFile: work + "/" + hosts, atomically: true, encoding: .utf8)
        let ansibleState = work + "-state-ansible", provisionState = work + "-state-provision"
        for d in [ansibleState, provisionState] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            chmod(d, 0o1777)
        }
        let reference = try AnsibleReference.runAnsibleWithRecap(work + "/site.yml", inventory: work + "/" + hosts, in: work,
                                                                 extra: ["state_root=" + ansibleState], options: options)
        let run = try binary.run(["run", "site.yml", "-i", hosts, "--json", "-e", "state_root=" + provisionState,
                                  "--known-hosts", base + "/known_hosts"] + options, in: work, environment: ["NO_COLOR": "1"])
        let ours = AnsibleReference.ordered(AnsibleReference.outcomes(fromProvisionJSON: run.stdout))
        let theirs = AnsibleReference.ordered(reference.outcomes)
        let context = "\n--- ansible:\n" + theirs.map(\.description).joined(separator: "\n")
            + "\n--- provision:\n" + ours.map(\.description).joined(separator: "\n") + "\n" + run.stderr
        XCTAssertFalse(reference.outcomes.isEmpty, reference.output, file: file, line: line)
        // Same statuses per task and host; tasks in the order both ran them.
        XCTAssertEqual(ours, theirs, context, file: file, line: line)
        XCTAssertEqual(AnsibleReference.tree(provisionState), AnsibleReference.tree(ansibleState),
                       "end state differs" + context, file: file, line: line)
        if recap {
            XCTAssertEqual(AnsibleReference.recap(fromProvisionJSON: run.stdout), reference.recap, "recap differs" + context,
                           file: file, line: line)
        }
    }

    /// A Galaxy-style role: empty vars and defaults files, long names everywhere, a templated
    /// per-OS include and include_vars, setup-RedHat.yml with modules provision lacks never
    /// reached, a templated ignore_errors and become, notify on a block.
    func testGalaxyStyleRole() throws { try compare("galaxy") }

    /// A token from a manager play handed to worker plays through add_host and hostvars;
    /// group_by on a fact; a play for a group nobody joined.
    func testSwarmTokenHandoffAddHostAndGroupBy() throws { try compare("swarm") }

    /// with_* loops, loop_control, throttle, templated ignore_errors, an undefined variable
    /// failing the task only on the hosts where it is undefined.
    func testLoopsAndKeywords() throws { try compare("loops") }

    /// group_vars/ and host_vars/ beside the playbook as well as beside the inventory, with
    /// Ansible's precedence; vars_files entries templated per host (facts, inventory_hostname,
    /// group_names), first-found lists, the vars/ lookup, an entry skipped before facts.
    func testPlaybookVarsDirectoriesAndTemplatedVarsFiles() throws { try compare("playvars") }

    /// Hosts run on the controller: add_host with ansible_connection local, a play's
    /// connection: local over names no SSH reaches, delegate_to the implicit localhost.
    func testLocalConnections() throws { try compare("local") }

    /// meta: clear_host_errors (the failed host back in the next play), flush_handlers, noop,
    /// end_host with a condition, end_play.
    func testMetaActions() throws { try compare("meta") }

    /// async with poll on modules that are not commands (file, lineinfile), copy refusing it
    /// as Ansible's action plugin does, a background shell job waited for with async_status.
    func testAsyncOnAnyModule() throws { try compare("async") }

    /// import_playbook with vars, tags and when, as Ansible applies them; then with --tags
    /// and --skip-tags (fact gathering follows the play's tags once it has some).
    func testImportPlaybookKeywords() throws {
        try compare("imports")
        try compare("imports", options: ["--tags", "own"], copy: "imports-own")
        try compare("imports", options: ["--skip-tags", "imp"], copy: "imports-skip")
    }

    /// Dynamic includes: the include's own result (ok, skipped), its when/keywords not its
    /// tasks', a loop per item, nested includes, a recursion a condition ends, include_role
    /// with tasks_from/vars_from/defaults_from (its handlers added per inclusion), a handler
    /// that is an include, ansible_failed_task/result in rescue, ansible_play_hosts after a
    /// failure; the recap counters too.
    func testDynamicIncludesAndTheirRecap() throws { try compare("includes", recap: true) }

    /// Role argument specs (meta/argument_specs.yml and meta/main.yml): the validation task
    /// first, values converted as Ansible converts them, wrong ones failing the host with
    /// Ansible's messages (read back in rescue), entry points chosen by tasks_from.
    /// `ansible_play_role_names`/`role_names`, `ansible_role_names` and
    /// `ansible_dependent_role_names`: roles named by the play and by import_role, their
    /// dependencies, a role given by path (named by its last component), include_role left out.
    /// Also: trailing newlines of value templates, and NativeJinjaText kept through variables.
    func testRoleNameVariables() throws { try compare("rolenames") }

    func testRoleArgumentSpecs() throws { try compare("argspecs", recap: true) }
}
