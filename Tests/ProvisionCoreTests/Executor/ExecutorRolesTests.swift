import Foundation
import XCTest
@testable import ProvisionCore

/// Roles run for real through LocalTransport: a role tree in the harness directory, the
/// playbook next to it, each "host" writing into its own state directory.
final class ExecutorRolesTests: XCTestCase {
    /// roles/common (a dependency of web and app), roles/web (defaults, vars, files, templates,
    /// handlers, an extra task file), roles/app.
    func writeRoles(_ h: RunHarness) throws {
        try h.write("roles/common/defaults/main.yml", "common_marker: from common defaults\n")
        try h.write("roles/common/tasks/main.yml", """
        - name: mark common
          copy:
            dest: "{{ state }}/common"
            content: "{{ common_marker }} in {{ role_name }}\\n"
        """)
        try h.write("roles/web/meta/main.yml", "galaxy_info: {author: me}\ndependencies:\n  - common\n")
        try h.write("roles/web/defaults/main.yml", """
        level_default: default
        level_inventory: default
        level_play: default
        level_rolevars: default
        web_port: 80
        """)
        try h.write("roles/web/vars/main.yml", "level_rolevars: rolevars\n")
        try h.write("roles/web/vars/other.yml", "from_role_vars_dir: role vars file\n")
        try h.write("roles/web/files/motd", "welcome\n")
        try h.write("roles/web/templates/site.conf.j2", "port={{ web_port }} host={{ inventory_hostname }} role={{ role_name }}\n")
        try h.write("roles/web/tasks/main.yml", """
        - name: precedence
          copy:
            dest: "{{ state }}/precedence"
            content: "{{ level_default }} {{ level_inventory }} {{ level_play }} {{ level_rolevars }}\\n"
        - name: motd from files
          copy: src=motd dest={{ state }}/motd
        - name: config from templates
          template:
            src: site.conf.j2
            dest: "{{ state }}/site.conf"
          notify: restart web
        - name: vars from the role's vars dir
          include_vars: other.yml
        - name: use them
          copy:
            dest: "{{ state }}/role-included"
            content: "{{ from_role_vars_dir }}\\n"
        """)
        try h.write("roles/web/tasks/extra.yml", """
        - name: extra task
          copy:
            dest: "{{ state }}/extra"
            content: "extra on port {{ web_port }}\\n"
        """)
        try h.write("roles/web/handlers/main.yml", """
        - name: restart web
          copy:
            dest: "{{ state }}/restarted"
            content: "restarted {{ web_port }}\\n"
        """)
        try h.write("roles/app/meta/main.yml", "dependencies: [{role: common}]\n")
        try h.write("roles/app/tasks/main.yml", """
        - name: app
          copy:
            dest: "{{ state }}/app"
            content: "{{ common_marker }} / {{ app_param }}\\n"
        """)
        try h.write("vars/site.yml", "included_value: from include_vars\nlevel_play: included\n")
    }

    func testRolesRunWithPrecedenceDependenciesHandlersFilesAndIncludes() throws {
        let h = try RunHarness(hosts: ["red01", "red02"],
                               hostVars: ["red01": "level_inventory: inventory\nlevel_play: inventory\nlevel_rolevars: inventory"])
        try writeRoles(h)
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          strategy: linear
          vars:
            level_play: play
            level_rolevars: play
          pre_tasks:
            - name: before roles
              copy: {dest: "{{ state }}/pre", content: "pre\\n"}
          roles:
            - web
            - role: app
              app_param: param value
          tasks:
            - name: web extra via include_role
              include_role:
                name: web
                tasks_from: extra
              vars:
                web_port: 8080
            - name: load site vars
              include_vars:
                file: site.yml
            - name: use site vars
              copy:
                dest: "{{ state }}/included"
                content: "{{ included_value }} {{ level_play }}\\n"
        """)
        let first = try h.run("site.yml")
        XCTAssertEqual(first.recap.exitCode, 0, first.console)
        // defaults < inventory < play vars < role vars; red02 has no inventory values.
        XCTAssertEqual(h.read("red01", "precedence"), "default inventory play rolevars\n")
        XCTAssertEqual(h.read("red02", "precedence"), "default default play rolevars\n")
        // files/ and templates/ of the role, role_name.
        XCTAssertEqual(h.read("red01", "motd"), "welcome\n")
        XCTAssertEqual(h.read("red02", "site.conf"), "port=80 host=red02 role=web\n")
        XCTAssertEqual(h.read("red01", "role-included"), "role vars file\n")
        // The dependency ran once, first, with its own role_name; app still sees its defaults.
        let order = first.taskOrder
        XCTAssertEqual(order.filter { $0 == "common : mark common" }.count, 1, "\(order)")
        XCTAssertEqual(Array(order.prefix(3)), ["before roles", "common : mark common", "web : precedence"], "\(order)")
        XCTAssertEqual(h.read("red01", "common"), "from common defaults in common\n")
        XCTAssertEqual(h.read("red02", "app"), "from common defaults / param value\n")
        // The role's handler was notified and ran at the end of the section.
        XCTAssertEqual(h.read("red01", "restarted"), "restarted 80\n")
        XCTAssertTrue(first.console.contains("HANDLER [web : restart web]"), first.console)
        XCTAssertTrue(first.console.contains("TASK [web : config from templates]"), first.console)
        // include_role with tasks_from and vars; include_vars above play vars for later tasks.
        XCTAssertEqual(h.read("red02", "extra"), "extra on port 8080\n")
        XCTAssertEqual(h.read("red01", "included"), "from include_vars included\n")
        XCTAssertLessThan(order.firstIndex(of: "web : precedence") ?? 99, order.firstIndex(of: "web : extra task") ?? -1)

        let second = try h.run("site.yml")
        XCTAssertEqual(second.recap.exitCode, 0, second.console)
        for host in h.hosts { XCTAssertEqual(second.recap(host)?.changed, 0, second.console) }
        XCTAssertFalse(second.taskOrder.contains("web : restart web"))
    }

    func testRoleWhenAndTagsApplyToItsTasksAndDependencies() throws {
        let h = try RunHarness(hosts: ["red01", "red02"])
        try writeRoles(h)
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          roles:
            - role: app
              app_param: x
              when: inventory_hostname == 'red01'
              tags: [app]
        """)
        let r = try h.run("site.yml", options: RunOptions(tags: ["app"]))
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(h.read("red01", "app"), "from common defaults / x\n")
        XCTAssertNotNil(h.read("red01", "common"))
        XCTAssertNil(h.read("red02", "app"))
        XCTAssertNil(h.read("red02", "common"), "the role's when applies to its dependency")
    }

    func testSecretsInRoleDefaultsAndVarsAreMasked() throws {
        let h = try RunHarness(hosts: ["red01"])
        try h.write("roles/db/defaults/main.yml", "db_password: Pl4nted-Role-Default\n")
        try h.write("roles/db/vars/main.yml", "api_token: Pl4nted-Role-Var\n")
        try h.write("roles/db/tasks/main.yml", "- debug: msg=\"{{ db_password }} {{ api_token }}\"\n")
        try h.write("site.yml", "- hosts: all\n  gather_facts: false\n  roles: [db]\n")
        let r = try h.run("site.yml", verbosity: 3)
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertTrue(r.console.contains("db : debug"), r.console)
        for out in [r.console, r.json] {
            XCTAssertFalse(out.contains("Pl4nted-Role-Default"), out)
            XCTAssertFalse(out.contains("Pl4nted-Role-Var"), out)
        }
    }

    func testRemoteUserDifferentFromTheSessionIsRefusedBeforeTheRun() throws {
        let h = try RunHarness(hosts: ["red01"])
        try h.write("inv-ssh.yml", """
        all:
          hosts:
            pi1: {ansible_host: 127.0.0.1}
            pi2: {ansible_host: 127.0.0.1, ansible_user: alice}
            box: {ansible_connection: local}
        """)
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          remote_user: deploy
          tasks:
            - debug: msg=hi
        """)
        let inventory = try InventoryLoader().load(h.dir + "/inv-ssh.yml")
        let pb = try PlaybookLoader().load(h.dir + "/site.yml")
        let events = ReporterQueue([])
        let pool = HostPool(targets: [], factory: InjectedFaults(unreachable: []), events: events)
        let executor = PlaybookExecutor(playbook: pb, inventory: inventory, selectedHosts: ["pi1", "pi2", "box"],
                                        pool: pool, events: events, options: RunOptions())
        executor.sessionUsers = ["pi1": "pi"]
        let problems = executor.validate()
        XCTAssertEqual(problems.count, 1, "\(problems)")
        XCTAssertTrue(problems.first?.message.contains("remote_user 'deploy' differs from the user host 'pi1' logs in as ('pi')") ?? false,
                      "\(problems)")
        XCTAssertEqual(problems.first?.location.line, 3)
        XCTAssertEqual(problems.first?.location.column, 16)
        executor.sessionUsers = ["pi1": "deploy"]
        XCTAssertEqual(executor.validate().count, 0, "same user: fine; ansible_user and local hosts are not affected")
    }
}
