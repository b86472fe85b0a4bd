import Foundation
import XCTest
@testable import ProvisionCore

/// Roles, import_role/include_role and include_vars as the loader reads them, from real role
/// trees in a temp directory.
final class RoleLoaderTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("roles-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ name: String, _ text: String) throws {
        let path = dir + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func load(_ text: String, rolesPath: [String] = []) throws -> Playbook {
        try write("site.yml", text)
        return try PlaybookLoader(rolesPath: rolesPath).load(dir + "/site.yml")
    }

    func errors(_ text: String, rolesPath: [String] = []) -> [String] {
        do {
            _ = try load(text, rolesPath: rolesPath)
            XCTFail("loaded without error")
            return []
        } catch let e as LoadError {
            return e.diagnostics.map { "\(($0.location.file as NSString).lastPathComponent):\($0.location.line):\($0.location.column) \($0.message)" }
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func writeTree() throws {
        try write("roles/common/tasks/main.yml", "- name: base\n  debug: msg={{ common_x }}\n")
        try write("roles/common/defaults/main.yml", "common_x: 1\n")
        try write("roles/web/meta/main.yml", "dependencies:\n  - common\n  - {role: extra, level: 2}\n")
        try write("roles/web/defaults/main.yml", "port: 80\n")
        try write("roles/web/vars/main.yml", "doc_root: /srv/www\n")
        try write("roles/web/tasks/main.yml", """
        - name: install
          debug: msg="{{ port }} {{ doc_root }} {{ common_x }} {{ role_path }}"
          notify: reload web
        - import_tasks: more.yml
        """)
        try write("roles/web/tasks/more.yml", "- name: more\n  debug: msg={{ port }}\n")
        try write("roles/web/tasks/other.yml", "- name: other entry\n  debug: msg={{ port }}\n")
        try write("roles/web/handlers/main.yml", "- name: reload web\n  debug: msg=reload\n")
        // Found next to the role that depends on it? No: in the roles path given below.
        try write("shared/extra/tasks/main.yml", "- name: extra {{ level }}\n  debug: msg={{ level }}\n")
    }

    func testRolesExpandDependenciesFirstOnceWithTheirVariablesAndHandlers() throws {
        try writeTree()
        let pb = try load("""
        - hosts: all
          pre_tasks:
            - debug: msg=pre
          roles:
            - web
            - common
            - role: common
              common_x: 2
          tasks:
            - debug: msg=last
        """, rolesPath: [dir + "/shared"])
        let play = pb.plays[0]
        let names = play.roles.flatMap(\.allTasks).map(\.displayName)
        XCTAssertEqual(names, ["common : base", "extra : extra {{ level }}", "web : install", "web : more", "common : base"],
                       "dependencies first, common once more only for its different parameters")
        let install = play.roles.flatMap(\.allTasks)[2]
        XCTAssertEqual(install.role?.name, "web")
        XCTAssertEqual(install.role?.path, dir + "/roles/web")
        XCTAssertEqual(install.roleDefaults["port"], 80)
        XCTAssertEqual(install.roleDefaults["common_x"], 1, "a dependency's defaults reach the dependent role")
        XCTAssertEqual(install.vars["doc_root"], "/srv/www")
        XCTAssertEqual(install.vars["role_name"], "web")
        XCTAssertNil(install.roleDefaults["doc_root"])
        XCTAssertEqual(play.roles.flatMap(\.allTasks)[1].vars["level"], 2, "role parameters are task vars")
        XCTAssertEqual(play.roles.flatMap(\.allTasks).last?.vars["common_x"], 2)
        XCTAssertEqual(play.handlers.map(\.displayName), ["web : reload web"])
        XCTAssertEqual(play.handlers.first?.listen, ["web : reload web"])
        XCTAssertEqual(play.preTasks.count, 1)
        XCTAssertEqual(play.tasks.flatMap(\.allTasks).map(\.displayName), ["debug"])
    }

    func testImportRoleWithTasksFromAndIncludeRoleLoop() throws {
        try writeTree()
        let pb = try load("""
        - hosts: all
          tasks:
            - import_role:
                name: web
                tasks_from: other
              tags: [web]
            - include_role:
                name: common
              loop: [a, b]
              when: item != 'c'
        """, rolesPath: [dir + "/shared"])
        let tasks = pb.plays[0].tasks.flatMap(\.allTasks)
        XCTAssertEqual(tasks.map(\.displayName), ["common : base", "extra : extra {{ level }}", "web : other entry", "common : base"])
        XCTAssertEqual(tasks[2].tags, ["web"])
        // include_role is dynamic: its when and loop are the include's own, not its tasks'.
        XCTAssertEqual(tasks[3].when, [])
        guard case .include(let looped) = pb.plays[0].tasks[1] else { return XCTFail("include_role is a dynamic include") }
        XCTAssertNotNil(looped.loop)
        XCTAssertEqual(looped.conditions, ["item != 'c'"])
        XCTAssertEqual(looped.preview?.flatMap(\.allTasks).map(\.displayName), ["common : base"], "a literal role is read at load")
        XCTAssertEqual(pb.plays[0].handlers.map(\.displayName), ["web : reload web"], "import_role brings the role's handlers")
    }

    /// As Ansible: a role with an argument spec for its entry point gets a first task that
    /// validates it (tagged always); `rolespec_validate: false` or an entry point without a
    /// spec gets none; a dynamic include lists as one entry, a block without its rescue.
    func testArgumentSpecValidationTaskAndListing() throws {
        try write("roles/spec/meta/argument_specs.yml", """
        argument_specs:
          main:
            short_description: Demo
            options:
              level: {type: int, required: true}
        """)
        try write("roles/spec/tasks/main.yml", "- name: main task\n  debug: msg=m\n")
        try write("roles/spec/tasks/other.yml", "- name: other task\n  debug: msg=o\n")
        let pb = try load("""
        - hosts: all
          roles:
            - {role: spec, level: 2}
          tasks:
            - include_role: {name: spec, tasks_from: other}
            - include_role: {name: spec, rolespec_validate: false}
            - block:
                - include_tasks: roles/spec/tasks/other.yml
              rescue:
                - debug: msg=r
        """)
        let roleTasks = pb.plays[0].roles.flatMap(\.allTasks)
        XCTAssertEqual(roleTasks.map(\.displayName), ["spec : Validating arguments against arg spec 'main' - Demo", "spec : main task"])
        XCTAssertEqual(roleTasks[0].tags, ["always"])
        XCTAssertEqual(roleTasks[0].action.module, "validate_argument_spec")
        XCTAssertEqual(roleTasks[0].action.arguments["provided_arguments"], .dict(["level": 2]))
        XCTAssertEqual(pb.plays[0].tasks.flatMap(\.allTasks).map(\.displayName), ["spec : other task", "spec : main task", "other task", "debug"])
        XCTAssertEqual(pb.plays[0].tasks.flatMap(\.listedTasks).map(\.displayName), ["include_role", "include_role", "include_tasks"])
        let check = RoleArgumentCheck(options: ["level": .dict(["type": "int", "required": true]), "mode": .dict(["choices": ["a", "b"]])])
        XCTAssertEqual(check.errors(["level": "7", "mode": "a"]), [])
        XCTAssertEqual(check.errors(["mode": "c"]), ["missing required arguments: level", "value of mode must be one of: a, b, got: c"])
        XCTAssertEqual(check.errors(["level": .double(1.5)]), ["argument 'level' is of type <class 'float'> and we were unable to convert to int: <class 'float'> cannot be converted to an int"])
    }

    func testRoleErrorsNameTheirPlaceAndWhatWasSearched() throws {
        try write("roles/empty/README", "nothing here\n")
        try write("roles/loop1/meta/main.yml", "dependencies: [loop2]\n")
        try write("roles/loop2/meta/main.yml", "dependencies: [loop1]\n")
        try write("roles/ok/tasks/main.yml", "- debug: msg=ok\n")
        let found = errors("""
        - hosts: all
          roles:
            - nope
            - empty
            - loop1
            - {role: ok, 1bad: x}
          tasks:
            - include_role: {name: ok, tasks_from: missing}
            - include_role: {name: ok, task_from: x}
        """, rolesPath: ["/nonexistent/path"])
        let joined = found.joined(separator: "\n")
        XCTAssertTrue(found.contains { $0.hasPrefix("site.yml:3:7 role 'nope' not found; looked in: \(dir)/roles/nope, \(dir)/nope, /nonexistent/path/nope") }, joined)
        XCTAssertTrue(found.contains { $0.hasPrefix("site.yml:4:7 role 'empty' at \(dir)/roles/empty has no tasks/main.yml") }, joined)
        XCTAssertTrue(found.contains { $0.hasPrefix("main.yml:1:16 role 'loop1' depends on itself") }, joined)
        XCTAssertTrue(found.contains { $0.hasPrefix("site.yml:6:18 '1bad' is not a valid role parameter name") }, joined)
        XCTAssertTrue(found.contains { $0.hasPrefix("site.yml:8:28 role has no tasks/missing.yml") }, joined)
        XCTAssertTrue(found.contains { $0.hasPrefix("site.yml:9:32 unknown key 'task_from'") }, joined)
        XCTAssertEqual(found.count, 6, joined)
    }

    func testRolesPathComesFromTheEnvironmentLikeAnsibleRolesPath() {
        let defaults = [NSString(string: "~/.ansible/roles").expandingTildeInPath, "/usr/share/ansible/roles", "/etc/ansible/roles"]
        XCTAssertEqual(PlaybookLoader.environmentRolesPath(["PROVISION_ROLES_PATH": "/a/roles::/b"]), ["/a/roles", "/b"] + defaults)
        XCTAssertEqual(PlaybookLoader.environmentRolesPath(["ANSIBLE_ROLES_PATH": "/c", "PROVISION_ROLES_PATH": "/a"]), ["/a", "/c"] + defaults)
        XCTAssertEqual(PlaybookLoader.environmentRolesPath([:]), defaults)
    }

    func testIncludeVarsFilesAreReadAtLoadTimeForTheUndefinedCheck() throws {
        try write("vars/site.yml", "from_site: 1\n")
        try write("vars/prod.yml", "from_prod: 1\n")
        try write("roles/r/vars/rv.yml", "from_role_file: 1\n")
        try write("roles/r/tasks/main.yml", "- include_vars: rv.yml\n- debug: msg={{ from_role_file }}\n")
        _ = try load("""
        - hosts: all
          roles: [r]
          tasks:
            - include_vars: site.yml
            - include_vars: {file: "{{ env_name | default('prod') }}.yml"}
            - include_vars: {file: site.yml, name: bundle}
            - debug: msg="{{ from_site }} {{ from_prod }} {{ bundle.from_site }}"
        """)
        // Both only warnings: Ansible reads include_vars on the host, when the task runs.
        let warned = try load("""
        - hosts: all
          tasks:
            - include_vars: site.yml
            - debug: msg="{{ from_site }} {{ not_in_the_file }}"
        - hosts: all
          tasks:
            - include_vars: nope.yml
        """).warnings.map { "\(($0.location.file as NSString).lastPathComponent):\($0.location.line):\($0.location.column) \($0.message)" }
        XCTAssertEqual(warned.count, 2, warned.joined(separator: "\n"))
        XCTAssertTrue(warned.contains { $0.hasPrefix("site.yml:4:14 'not_in_the_file' is not visibly defined") }, "\(warned)")
        XCTAssertTrue(warned.contains { $0.hasPrefix("site.yml:7:21 include_vars: no file 'nope.yml' now; looked in: \(dir)/vars, \(dir)") }, "\(warned)")
        // A templated path that matches no file: its variables cannot be known, so none is flagged.
        _ = try load("""
        - hosts: all
          tasks:
            - include_vars: "os/{{ ansible_distribution }}.yml"
            - debug: msg="{{ os_packages }}"
        """)
    }

    func testPlayRemoteUserAndStrategy() throws {
        let pb = try load("- hosts: all\n  remote_user: pi\n  strategy: linear\n  tasks: []\n")
        XCTAssertEqual(pb.plays[0].remoteUser, "pi")
        XCTAssertEqual(pb.plays[0].remoteUserLocation?.line, 2)
        let found = errors("- hosts: all\n  strategy: free\n")
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].hasPrefix("site.yml:2:13 strategy 'free' is not supported"), "\(found)")
    }

    /// `include_tasks: "{{ item }}"` over with_first_found previews the loop's candidates
    /// only (once, the bare `*` read every file and folder beside the role's tasks, and the
    /// playbooks too); a variable used under `when: x is defined` draws no warning.
    func testFirstFoundIncludePreviewsItsCandidatesAndDefinedGuardsSilenceWarnings() throws {
        try write("roles/pi/tasks/prereq/Debian.yml", "- unknown_thing_xyz: {}\n")
        try write("roles/pi/tasks/prereq/default.yml", "- debug: msg=default\n")
        try write("roles/pi/tasks/other.yml", "- another_unknown_xyz: {}\n")
        try write("roles/pi/tasks/main.yml", """
        - include_tasks: "{{ item }}"
          with_first_found:
            - "prereq/{{ ansible_distribution }}.yml"
            - prereq/default.yml
        """)
        try write("roles/guards/tasks/main.yml", """
        - name: guarded
          shell: "rm -rf {{ k3s_location }}/*"
          when: k3s_location is defined
        - block:
            - debug: msg="{{ airgap_dir }}"
          when: airgap_dir is defined
        - debug: msg="{{ really_missing }}"
        """)
        let warned = try load("- hosts: all\n  roles: [pi]\n- hosts: all\n  roles: [guards]\n").warnings
            .map { "\(($0.location.file as NSString).lastPathComponent) \($0.message)" }
        XCTAssertTrue(warned.contains { $0.hasPrefix("Debian.yml") && $0.contains("unknown_thing_xyz") }, "\(warned)")
        XCTAssertFalse(warned.contains { $0.contains("another_unknown_xyz") || $0.contains("cannot read") }, "\(warned)")
        XCTAssertFalse(warned.contains { $0.contains("k3s_location") || $0.contains("airgap_dir") }, "\(warned)")
        XCTAssertTrue(warned.contains { $0.contains("'really_missing' is not visibly defined") }, "\(warned)")
    }
}
