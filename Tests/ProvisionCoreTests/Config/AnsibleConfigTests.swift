import XCTest
@testable import ProvisionCore

/// ansible.cfg found where Ansible finds it, `ANSIBLE_*` over the file, paths relative to the
/// file, warnings for settings provision cannot honour, errors at their line.
final class AnsibleConfigTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "provision-cfg-" + UUID().uuidString
        for d in ["cwd", "home", "envdir"] {
            try FileManager.default.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true)
        }
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    func write(_ rel: String, _ text: String) throws {
        try text.write(toFile: root + "/" + rel, atomically: true, encoding: .utf8)
    }

    func load(_ env: [String: String] = [:]) throws -> AnsibleConfig {
        try AnsibleConfig.load(environment: env, currentDirectory: root + "/cwd", home: root + "/home")
    }

    func testSearchOrderFirstFoundWins() throws {
        try write("home/.ansible.cfg", "[defaults]\nremote_user = fromhome\n")
        XCTAssertEqual(try load().remoteUser, "fromhome")
        try write("cwd/ansible.cfg", "[defaults]\nremote_user = fromcwd\n")
        XCTAssertEqual(try load().remoteUser, "fromcwd")
        try write("envdir/ansible.cfg", "[defaults]\nforks = 7\n")
        let viaEnv = try load(["ANSIBLE_CONFIG": root + "/envdir"])
        XCTAssertEqual(viaEnv.file, root + "/envdir/ansible.cfg")
        XCTAssertNil(viaEnv.remoteUser, "only the first file found is read")
        XCTAssertEqual(viaEnv.forks, 7)
    }

    func testSettingsAndEnvironmentPrecedence() throws {
        try write("cwd/ansible.cfg", """
        # comment
        [defaults]
        inventory = inventory/hosts.ini, other.yml
        remote_user = pi
        private_key_file = keys/id_ed25519
        forks = 20
        host_key_checking = False
        roles_path = roles:~/shared-roles
        timeout = 30 ; inline comment
        some_unknown_key = whatever

        [privilege_escalation]
        become = yes
        become_user = admin
        become_method = su
        become_ask_pass = True
        """)
        let c = try load()
        XCTAssertEqual(c.inventory, [root + "/cwd/inventory/hosts.ini", root + "/cwd/other.yml"])
        XCTAssertEqual(c.remoteUser, "pi")
        XCTAssertEqual(c.privateKeyFile, root + "/cwd/keys/id_ed25519")
        XCTAssertEqual(c.forks, 20)
        XCTAssertEqual(c.hostKeyChecking, false)
        XCTAssertEqual(c.rolesPath, [root + "/cwd/roles", root + "/home/shared-roles"])
        XCTAssertEqual(c.timeout, 30)
        XCTAssertEqual(c.become, true)
        XCTAssertEqual(c.becomeUser, "admin")
        XCTAssertEqual(c.becomeMethod, "su")
        XCTAssertEqual(c.becomeAskPass, true)
        XCTAssertEqual(c.warnings, [])

        let e = try load(["ANSIBLE_REMOTE_USER": "envuser", "ANSIBLE_FORKS": "3", "ANSIBLE_BECOME": "false",
                          "ANSIBLE_INVENTORY": "a.yml", "ANSIBLE_ROLES_PATH": "/r1:/r2", "ANSIBLE_HOST_KEY_CHECKING": "1",
                          "ANSIBLE_BECOME_USER": "envadmin", "ANSIBLE_TIMEOUT": "5", "ANSIBLE_PRIVATE_KEY_FILE": "/k",
                          "ANSIBLE_BECOME_METHOD": "sudo", "ANSIBLE_BECOME_ASK_PASS": "no"])
        XCTAssertEqual(e.remoteUser, "envuser")
        XCTAssertEqual(e.forks, 3)
        XCTAssertEqual(e.become, false)
        XCTAssertEqual(e.inventory, [root + "/cwd/a.yml"])
        XCTAssertEqual(e.rolesPath, ["/r1", "/r2"])
        XCTAssertEqual(e.hostKeyChecking, true)
        XCTAssertEqual(e.becomeUser, "envadmin")
        XCTAssertEqual(e.timeout, 5)
        XCTAssertEqual(e.privateKeyFile, "/k")
        XCTAssertEqual(e.becomeMethod, "sudo")
        XCTAssertEqual(e.becomeAskPass, false)
    }

    func testAnsibleManagedIsReadRaw() throws {
        XCTAssertNil(try load().ansibleManaged)
        // Ansible reads it raw (no % interpolation) and strips one pair of quotes.
        try write("cwd/ansible.cfg", "[defaults]\nansible_managed = \"Managed: {file} %Y-%m-%d\"\n")
        XCTAssertEqual(try load().ansibleManaged, "Managed: {file} %Y-%m-%d")
    }

    func testDefaultRolesPath() throws {
        XCTAssertEqual(try load().effectiveRolesPath(home: "/h"), ["/h/.ansible/roles", "/usr/share/ansible/roles", "/etc/ansible/roles"])
    }

    func testUnhonouredSettingsWarnAndBadValuesFail() throws {
        try write("cwd/ansible.cfg", "[defaults]\nstrategy = free\nvault_password_file = x\n[privilege_escalation]\nbecome_flags = -H\n")
        let w = try load().warnings
        XCTAssertEqual(w.count, 3, "\(w)")
        XCTAssertTrue(w.contains { $0.contains("ansible.cfg:2: [defaults] strategy is not honoured") }, "\(w)")
        try write("cwd/ansible.cfg", "[defaults]\nforks = many\n[privilege_escalation]\nbecome = perhaps\nbecome_method = doas\n")
        XCTAssertThrowsError(try load()) { error in
            let d = (error as? LoadError)?.diagnostics ?? []
            XCTAssertEqual(d.map(\.location.line), [2, 4, 5], "\(d)")
        }
        try write("cwd/ansible.cfg", "remote_user = nobody\n")
        XCTAssertThrowsError(try load())
    }
}
