import XCTest
@testable import ProvisionCore

/// Where each connection setting comes from, as Ansible ranks them: extra vars over the
/// inventory, the inventory over the command line (`-u`, `--private-key`, `--become-user`),
/// the command line over ansible.cfg.
final class ConnectionPrecedenceTests: XCTestCase {
    func host(_ line: String) throws -> InventoryHost {
        let path = try InventoryFixtures.write(line + "\n", name: "hosts")
        return try XCTUnwrap(try InventoryLoader().load(path).hosts.first)
    }

    func testLoginUser() throws {
        let bare = try host("h1")
        let listed = try host("h1 ansible_user=inv")
        var d = ConnectionDefaults()
        d.fallbackUser = "cfg"
        XCTAssertEqual(bare.loginUser(defaults: d), "cfg")
        XCTAssertEqual(listed.loginUser(defaults: d), "inv")
        d.user = "cli"
        XCTAssertEqual(listed.loginUser(defaults: d), "inv", "the inventory's ansible_user beats -u")
        XCTAssertEqual(bare.loginUser(defaults: d), "cli", "-u beats ansible.cfg")
        d.userOverride = "extra"
        XCTAssertEqual(listed.loginUser(defaults: d), "extra", "-e ansible_user beats the inventory")
        XCTAssertNil(bare.loginUser(defaults: ConnectionDefaults()))
    }

    func testPasswordsAndBecome() throws {
        let h = try host("h1 ansible_password=inv-pw ansible_become_password=inv-become ansible_become_user=invadmin")
        var d = ConnectionDefaults(password: Secret("prompt-pw"), becomePassword: Secret("prompt-become"))
        d.becomeUser = "cliadmin"
        d.fallbackBecomeUser = "cfgadmin"
        XCTAssertEqual(try h.connectionTarget(defaults: d).password, Secret("inv-pw"))
        XCTAssertEqual(try h.become(defaults: d), Become(user: "invadmin", password: Secret("inv-become")))
        d.passwordOverride = Secret("extra-pw")
        d.becomePasswordOverride = Secret("extra-become")
        d.becomeUser = "extraadmin"
        d.becomeUserOverrides = true
        d.becomeMethodOverride = .su
        XCTAssertEqual(try h.connectionTarget(defaults: d).password, Secret("extra-pw"))
        XCTAssertEqual(try h.become(defaults: d), Become(user: "extraadmin", password: Secret("extra-become"), method: .su))

        let bare = try host("h2")
        var c = ConnectionDefaults(becomePassword: Secret("prompt-become"))
        c.fallbackBecomeUser = "cfgadmin"
        c.becomeMethod = .su
        XCTAssertEqual(try bare.become(defaults: c), Become(user: "cfgadmin", password: Secret("prompt-become"), method: .su))
        c.fallbackHostKeyChecking = .off
        XCTAssertEqual(try bare.connectionTarget(defaults: c).hostKeyChecking, .off)
        c.fallbackIdentityFile = "/keys/id"
        XCTAssertEqual(try bare.connectionTarget(defaults: c).identityFiles, ["/keys/id"])
        c.identityFiles = ["/keys/cli"]
        XCTAssertEqual(try bare.connectionTarget(defaults: c).identityFiles, ["/keys/cli"], "--private-key beats ansible.cfg")
        XCTAssertEqual(bare.commandLineKey(defaults: c), "/keys/cli")
        let keyed = try host("h3 ansible_ssh_private_key_file=/keys/inv")
        XCTAssertEqual(try keyed.connectionTarget(defaults: c).identityFiles, ["/keys/inv"], "the inventory's key beats --private-key")
        XCTAssertNil(keyed.commandLineKey(defaults: c))
        c.identityOverride = "/keys/extra"
        XCTAssertEqual(try keyed.connectionTarget(defaults: c).identityFiles, ["/keys/extra"], "-e beats the inventory")
    }
}
