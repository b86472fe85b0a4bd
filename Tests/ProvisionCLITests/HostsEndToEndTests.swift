import Foundation
import XCTest
import ProvisionCore

/// `provision hosts` on the built binary: the table, merged variables with secrets masked, the
/// group tree, and overrides from the command line.
final class HostsEndToEndTests: XCTestCase {
    var binary: ProvisionBinary!
    var workspace: Workspace!

    override func setUpWithError() throws {
        binary = try ProvisionBinary.locate()
        workspace = try Workspace(inventory: """
        all:
          vars:
            ansible_user: pi
            tier: base
          children:
            managers:
              hosts:
                red00: {ansible_host: 192.168.1.50, ansible_port: 2222}
            workers:
              vars:
                tier: worker
              hosts:
                red[01:02]:
                  ansible_become_password: topsecret-77
        """, files: ["inventories/host_vars/red02.yml": "tier: special\n"])
    }

    override func tearDown() { workspace?.remove() }

    func testTableShowsResolvedConnections() throws {
        let out = try binary.run(["hosts"], in: workspace.path)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, """
        HOST   ADDRESS       PORT  USER  VIA  GROUPS
        red00  192.168.1.50  2222  pi    ssh  managers
        red01  red01         22    pi    ssh  workers
        red02  red02         22    pi    ssh  workers

        """)
        // As in Ansible, the inventory's ansible_user beats --user.
        let cli = try binary.run(["hosts", "--limit", "red00", "--user", "admin"], in: workspace.path)
        XCTAssertTrue(cli.stdout.contains("red00  192.168.1.50  2222  pi    ssh  managers"), cli.stdout)
    }

    func testVarsAreMergedAndSecretsMasked() throws {
        let out = try binary.run(["hosts", "--vars", "--limit", "workers"], in: workspace.path)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(out.stdout.contains("topsecret"), out.stdout)
        XCTAssertTrue(out.stdout.contains("    ansible_become_password: ********"), out.stdout)
        let blocks = out.stdout.components(separatedBy: "\nred02 ")
        XCTAssertTrue(blocks[0].contains("    tier: worker"), out.stdout)
        XCTAssertTrue(blocks[1].contains("    tier: special"), out.stdout)
    }

    func testGraph() throws {
        let out = try binary.run(["hosts", "--graph"], in: workspace.path)
        XCTAssertEqual(out.stdout, """
        @all:
          |--@ungrouped:
          |--@managers:
          |  |--red00
          |--@workers:
          |  |--red01
          |  |--red02

        """)
    }
}
