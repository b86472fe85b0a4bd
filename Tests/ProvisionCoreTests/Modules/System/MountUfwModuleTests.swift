import Foundation
import XCTest
@testable import ProvisionCore

/// mount's fstab edit and arguments, and ufw's command building and check-mode comparisons,
/// on text (the mount and firewall themselves are tested on lab nodes against Ansible).
final class MountUfwModuleTests: ModuleTestCase {
    func mount(_ args: [String: Value]) throws -> MountModule {
        guard let m = try ModuleRegistry.make(MountModule.self, arguments: args) as? MountModule else { throw ModuleError("not mount") }
        return m
    }

    func testFstabKeepsOtherLinesAndComments() throws {
        let fstab = "# /etc/fstab\nUUID=1 / ext4 errors=remount-ro 0 1\n\n/dev/sdb1\t/data\text4\tdefaults\t0\t2\n# end"
        let m = try mount(["path": "/data", "src": "/dev/sdc1", "fstype": "xfs", "state": "present"])
        XCTAssertEqual(m.fstabPlan(current: fstab),
                       "# /etc/fstab\nUUID=1 / ext4 errors=remount-ro 0 1\n\n/dev/sdc1 /data xfs defaults 0 0\n# end\n")
        let same = try mount(["path": "/data", "src": "/dev/sdb1", "fstype": "ext4", "passno": "2", "state": "present"])
        XCTAssertNil(same.fstabPlan(current: fstab), "an identical entry is left alone (tabs and all)")
        let added = try mount(["path": "/mnt/my dir", "src": "tmpfs", "fstype": "tmpfs", "opts": "size=1m", "state": "mounted"])
        XCTAssertEqual(added.fstabPlan(current: "a / b c 0 0\n"), "a / b c 0 0\ntmpfs /mnt/my\\040dir tmpfs size=1m 0 0\n")
        // Four fields: the missing dump/passno count as different, as in Ansible.
        XCTAssertEqual(same.fstabPlan(current: "/dev/sdb1 /data ext4 defaults\n"), "/dev/sdb1 /data ext4 defaults 0 2\n")
        let gone = try mount(["path": "/data", "state": "absent"])
        XCTAssertEqual(gone.fstabPlan(current: fstab), "# /etc/fstab\nUUID=1 / ext4 errors=remount-ro 0 1\n\n# end", "removal keeps a last line unterminated")
        XCTAssertNil(gone.fstabPlan(current: "# /data only in a comment\n"))
        XCTAssertNil(try mount(["path": "/data", "state": "unmounted"]).fstabPlan(current: fstab))
        // Swap lines (mount point none) match by source too.
        let swap = try mount(["path": "none", "src": "/dev/sdb2", "fstype": "swap", "state": "present"])
        XCTAssertEqual(swap.fstabPlan(current: "/dev/sdb1 none swap sw 0 0\n"), "/dev/sdb1 none swap sw 0 0\n/dev/sdb2 none swap defaults 0 0\n")
    }

    func testMountArguments() throws {
        XCTAssertThrowsError(try mount(["path": "/x", "state": "mounted", "src": "a"]))
        XCTAssertThrowsError(try mount(["path": "/x"]), "state is required")
        XCTAssertThrowsError(try mount(["path": "/x", "state": "bogus"]))
        XCTAssertNoThrow(try mount(["name": "/x", "state": "unmounted"]))
        let noboot = try mount(["path": "/x", "src": "a", "fstype": "b", "opts": "ro", "boot": false, "state": "present"])
        XCTAssertEqual(noboot.opts, "ro,noauto")
        XCTAssertEqual(noboot.data(backupFile: "")["boot"], "no")
        let defaults = try mount(["path": "/x", "src": "a", "fstype": "b", "boot": false, "state": "present"])
        XCTAssertEqual(defaults.opts, "defaults")
        XCTAssertEqual(defaults.warnings, ["Ignore the 'boot' due to 'opts' contains 'defaults'."])
        XCTAssertTrue(ModuleRegistry.lookup("ansible.posix.mount") == MountModule.self)
        XCTAssertTrue(ModuleRegistry.lookup("mount") == MountModule.self)
    }

    func testUfwCommands() throws {
        func ufw(_ args: [String: Value]) throws -> UfwModule {
            guard let m = try ModuleRegistry.make(UfwModule.self, arguments: args) as? UfwModule else { throw ModuleError("not ufw") }
            return m
        }
        let r = try ufw(["rule": "allow", "port": "22", "proto": "tcp", "comment": "ssh", "insert": 1])
        XCTAssertEqual(try r.commands(ufw: "/usr/sbin/ufw", check: false, insertTo: r.insertPosition(numbered: ""), withComment: true).map(\.words),
                       [["/usr/sbin/ufw", "insert", "1", "allow", "from", "any", "to", "any", "port", "22", "proto", "tcp", "comment", "ssh"]])
        let s = try ufw(["state": "enabled", "policy": "deny", "direction": "outgoing", "logging": "low"])
        XCTAssertEqual(try s.commands(ufw: "ufw", check: false, insertTo: nil, withComment: true).map(\.words),
                       [["ufw", "-f", "enable"], ["ufw", "default", "deny", "outgoing"], ["ufw", "logging", "low"]])
        XCTAssertEqual(try s.commands(ufw: "ufw", check: true, insertTo: nil, withComment: true).count, 0)
        let pre = "Status: active\nLogging: on (low)\nDefault: deny (incoming), allow (outgoing), disabled (routed)\n"
        XCTAssertTrue(s.checkModeChange(pre), "outgoing is allow")
        XCTAssertFalse(try ufw(["state": "enabled", "logging": "low", "default": "deny"]).checkModeChange(pre))
        XCTAssertTrue(try ufw(["state": "disabled"]).checkModeChange(pre))
        XCTAssertTrue(try ufw(["state": "enabled"]).checkModeChange("Status: inactive\n"))
        XCTAssertThrowsError(try ufw(["direction": "in"]), "one of state, default, rule, logging")
        XCTAssertThrowsError(try ufw(["rule": "allow", "interface": "eth0"]), "interface needs direction")
        XCTAssertThrowsError(try ufw(["rule": "allow", "name": "OpenSSH", "proto": "tcp"]))
        XCTAssertThrowsError(try ufw(["default": "deny", "direction": "in"]).commands(ufw: "ufw", check: false, insertTo: nil, withComment: true))
        let numbered = "Status: active\n\n     To    Action    From\n[ 1] 22/tcp ALLOW IN Anywhere\n[ 2] 80 ALLOW IN Anywhere\n[ 3] 22/tcp (v6) ALLOW IN Anywhere (v6)\n"
        XCTAssertEqual(try ufw(["rule": "allow", "insert": 0, "insert_relative_to": "first-ipv6"]).insertPosition(numbered: numbered), 3)
        XCTAssertEqual(try ufw(["rule": "allow", "insert": 1, "insert_relative_to": "last-ipv6"]).insertPosition(numbered: numbered), nil)
        XCTAssertEqual(try ufw(["rule": "allow", "insert": 0, "insert_relative_to": "last-ipv4"]).insertPosition(numbered: numbered), 2)
        let tuple = "### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n"
        XCTAssertFalse(UfwModule.dryRunDiffers("Skipping adding existing rule\nSkipping adding existing rule (v6)\n", preRules: tuple, fromIP: "any", toIP: "any"))
        XCTAssertTrue(UfwModule.dryRunDiffers("*filter\n" + tuple + "### tuple ### allow tcp 80 0.0.0.0/0 any 0.0.0.0/0 in\n", preRules: tuple, fromIP: "any", toIP: "any"))
        // The collection's greedy pattern reads "0.36.2" as 6.2, and so do we.
        XCTAssertEqual(UfwModule.version("ufw 0.36.2\nCopyright 2008-2023 Canonical Ltd.\n").map { [$0.0, $0.1] }, [6, 2])
        XCTAssertTrue(ModuleRegistry.lookup("community.general.ufw") == UfwModule.self)
    }
}
