import Foundation
import XCTest
@testable import ProvisionCore

/// What Ansible decides per host while it runs, provision decides there too: dynamic
/// includes, modules it does not implement, templated keywords, inventory changes, and honest
/// messages for plays left without hosts.
final class ExecutorRuntimeDecisionTests: XCTestCase {
    func testTemplatedIncludesAreReadPerHostAndOnlyWhenReached() throws {
        let h = try RunHarness(hosts: ["a1", "a2", "a3"], hostVars: ["a1": "flavour: one", "a2": "flavour: two", "a3": "flavour: gone"])
        try h.write("tasks/one.yml", "- name: in one\n  shell: echo one >> {{ state }}/log\n")
        try h.write("tasks/two.yml", "- name: in two\n  ansible.builtin.shell: echo two >> {{ state }}/log\n")
        // Never reached by any host: a module no Ansible collection has would be a load error
        // if the file were read before the run.
        try h.write("tasks/never.yml", "- nonsense_module_xyz: {}\n")
        try h.write("roles/web/tasks/main.yml", "- name: role task\n  shell: echo role-{{ role_name }} >> {{ state }}/log\n")
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: per host
              ansible.builtin.include_tasks: "tasks/{{ flavour }}.yml"
            - name: never
              ansible.legacy.include_tasks: "tasks/{{ 'never' }}.yml"
              when: false
            - name: a role chosen per host
              ansible.builtin.include_role:
                name: "{{ 'web' }}"
        """)
        // The files the templated include may choose are read now for warnings only.
        let (pb, _) = try h.load("site.yml")
        XCTAssertTrue(pb.warnings.contains { $0.message.contains("unknown key or module 'nonsense_module_xyz'")
            && $0.location.file.hasSuffix("tasks/never.yml") }, "\(pb.warnings)")
        let r = try h.run("site.yml")
        XCTAssertEqual(h.read("a1", "log"), "one\nrole-web\n", r.console)
        XCTAssertEqual(h.read("a2", "log"), "two\nrole-web\n")
        XCTAssertNil(h.read("a3", "log"), "a3's file does not exist: its include fails, the others go on")
        XCTAssertEqual(r.status("per host")["a3"], .failed)
        XCTAssertEqual(r.status("never"), ["a1": .skipped, "a2": .skipped])
        XCTAssertEqual(r.recap.exitCode, 2)
    }

    func testAModuleProvisionLacksWarnsAtLoadAndFailsOnlyWhereReached() throws {
        let h = try RunHarness(hosts: ["b1", "b2"], hostVars: ["b1": "family: RedHat", "b2": "family: Debian"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: redhat only
              ansible.builtin.rpm_key:
                key: https://example.invalid/key
              when: family == 'RedHat'
            - name: after
              copy: dest={{ state }}/after content=x
        """)
        let (pb, _) = try h.load("site.yml")
        XCTAssertEqual(pb.warnings.count, 1)
        XCTAssertTrue(pb.warnings[0].renderedAsWarning().contains("site.yml:5:7: warning: module 'ansible.builtin.rpm_key'"),
                      pb.warnings[0].renderedAsWarning())
        var strict = PlaybookLoader()
        strict.strict = true
        XCTAssertThrowsError(try strict.load(h.dir + "/site.yml"))
        let r = try h.run("site.yml")
        XCTAssertEqual(r.status("redhat only"), ["b1": .failed, "b2": .skipped])
        XCTAssertTrue(r.results("redhat only")["b1"]?.message?.contains("not implemented by provision") == true)
        XCTAssertEqual(h.read("b2", "after"), "x")
        XCTAssertNil(h.read("b1", "after"))
        // A name no Ansible collection has stays a load error.
        XCTAssertThrowsError(try PlaybookLoader().parse("- hosts: all\n  tasks:\n    - rpm_kee: {}\n", file: "x.yml"))
    }

    func testTemplatedKeywordsRenderPerHostWithAnsiblesBooleans() throws {
        let h = try RunHarness(hosts: ["c1", "c2"], hostVars: ["c1": "tolerate: 'yes'", "c2": "tolerate: 'no'"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: may fail
              command: "false"
              ignore_errors: "{{ tolerate }}"
            - name: check mode from a template
              copy: dest={{ state }}/f content=x
              check_mode: "{{ inventory_hostname == 'c1' }}"
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.results("may fail")["c1"]?.ignored, true)
        XCTAssertEqual(r.results("may fail")["c2"]?.ignored, false)
        XCTAssertEqual(r.status("check mode from a template"), ["c1": .changed])
        XCTAssertNil(h.read("c1", "f"), "c1 ran in check mode")
    }

    func testAddHostGroupByAndAnHonestMessageForAPlayWhoseHostsAllFailed() throws {
        let h = try RunHarness(hosts: ["d1", "d2"], groups: "  children:\n    managers:\n      hosts:\n        d1:\n")
        try h.write("site.yml", """
        - hosts: managers
          gather_facts: false
          tasks:
            - shell: echo TOKEN-42
              register: tok
            - add_host: {name: d2, groups: joiners, join_token: "{{ tok.stdout }}"}
            - group_by: {key: "kind_{{ 'manager' }}"}
        - hosts: joiners
          gather_facts: false
          tasks:
            - copy: dest={{ state }}/token content="{{ join_token }}/{{ hostvars['d1'].tok.stdout }}/{{ groups['kind_manager'] | join(',') }}"
        - hosts: all
          gather_facts: false
          tasks:
            - command: "false"
              when: inventory_hostname == 'd1'
        - name: after the managers failed
          hosts: managers
          tasks:
            - command: "true"
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(h.read("d2", "token"), "TOKEN-42/TOKEN-42/d1")
        let skipped = r.events.compactMap { e -> String? in
            if case .playSkipped(let name, let reason) = e { return name + ": " + reason }
            return nil
        }
        XCTAssertEqual(skipped.count, 1, "\(skipped)")
        XCTAssertTrue(skipped.first?.contains("after the managers failed: every host of 'managers' (d1) failed") == true, "\(skipped)")
    }

    func testAddHostCreatesAHostLaterPlaysReachAndForceHandlersRunOnFailedHosts() throws {
        let h = try RunHarness(hosts: ["e1"])
        let newState = h.dir + "/state/newbie"
        try FileManager.default.createDirectory(atPath: newState, withIntermediateDirectories: true)
        try h.write("site.yml", """
        - hosts: e1
          gather_facts: false
          tasks:
            - name: add
              add_host: {name: newbie, groups: [fresh], ansible_connection: local, state: "\(newState)"}
        - hosts: fresh
          gather_facts: false
          tasks:
            - copy: dest={{ state }}/hello content={{ inventory_hostname }}-{{ group_names | join(',') }}
        - hosts: e1
          gather_facts: false
          force_handlers: true
          tasks:
            - name: notify
              command: "true"
              notify: note
            - command: "false"
          handlers:
            - name: note
              copy: dest={{ state }}/handled content=yes
        - hosts: all
          gather_facts: false
          tasks:
            - name: never
              command: "true"
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.status("add"), ["e1": .changed])
        XCTAssertEqual(try String(contentsOfFile: newState + "/hello", encoding: .utf8), "newbie-fresh")
        XCTAssertEqual(h.read("e1", "handled"), "yes", "force_handlers ran the handler on the failed host")
        XCTAssertNotNil(r.recap("newbie"))
        XCTAssertEqual(r.status("never"), [:], "a play whose whole batch failed ends the playbook, as Ansible's break_play")
    }
}
