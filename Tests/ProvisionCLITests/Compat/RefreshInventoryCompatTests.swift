import Foundation
import XCTest
import ProvisionCore
import ProvisionTestSupport

/// `meta: refresh_inventory` against ansible-playbook: a task rewrites the inventory file, the
/// refresh reads it again (a new host, a new variable), and the host add_host made is kept.
/// Each tool runs in its own copy, with controller-local hosts, and the files each left
/// behind are compared, with the per-task statuses.
final class RefreshInventoryCompatTests: XCTestCase {
    func testRefreshInventoryRereadsTheSourcesAndKeepsAddedHosts() throws {
        try AnsibleReference.require()
        let binary = try ProvisionBinary.locate()
        let base = NSTemporaryDirectory() + "provision-refresh-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: base) }
        let playbook = """
        - name: Rewrite and refresh
          hosts: h1
          gather_facts: false
          tasks:
            - name: Add a host
              ansible.builtin.add_host: {name: extra, ansible_connection: local, groups: dyn}
            - name: Rewrite the inventory
              ansible.builtin.copy:
                dest: "{{ playbook_dir }}/hosts"
                content: "h1 ansible_connection=local v=new\\nh2 ansible_connection=local\\nh3 ansible_connection=local\\n"
            - name: Refresh
              ansible.builtin.meta: refresh_inventory
        - name: Everyone after the refresh
          hosts: all
          gather_facts: false
          tasks:
            - name: Record
              ansible.builtin.copy:
                dest: "{{ playbook_dir }}/out/{{ inventory_hostname }}"
                content: "{{ v | default('none') }} {{ groups['dyn'] | default([]) | join(',') }} {{ groups['all'] | sort | join(',') }}\\n"
        """
        var outcomes: [[AnsibleReference.Outcome]] = []
        for tool in ["ansible", "provision"] {
            let dir = base + "/" + tool
            try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
            try "h1 ansible_connection=local\nh2 ansible_connection=local\n".write(toFile: dir + "/hosts", atomically: true, encoding: .utf8)
            try playbook.write(toFile: dir + "/site.yml", atomically: true, encoding: .utf8)
            if tool == "ansible" {
                outcomes.append(AnsibleReference.ordered(try AnsibleReference.runAnsible(dir + "/site.yml", inventory: dir + "/hosts",
                                                                                          in: dir, extra: []).outcomes))
            } else {
                let run = try binary.run(["run", "site.yml", "-i", "hosts", "--json"], in: dir, environment: ["NO_COLOR": "1"])
                XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
                outcomes.append(AnsibleReference.ordered(AnsibleReference.outcomes(fromProvisionJSON: run.stdout)))
            }
        }
        XCTAssertEqual(outcomes[1], outcomes[0])
        let theirs = AnsibleReference.tree(base + "/ansible/out"), ours = AnsibleReference.tree(base + "/provision/out")
        XCTAssertEqual(Set(theirs.keys), ["extra", "h1", "h2", "h3"])
        XCTAssertEqual(ours, theirs)
    }
}
