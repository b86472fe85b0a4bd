import Foundation
import XCTest
@testable import ProvisionCore

final class ConnectionTargetTests: XCTestCase {
    func testInventorySettingsCommandLineOverridesAndPasswordFiles() throws {
        let dir = NSTemporaryDirectory() + "provision-pw-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "s3cret-from-file\n".write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
        let path = try InventoryFixtures.write("""
        all:
          vars:
            ansible_user: pi
          hosts:
            a:
              address: 10.0.0.1
              port: "2200"
              identity_file: /keys/a
              password_file: \(dir)/pw
              become_password_file: \(dir)/pw
              ansible_become_user: admin
            b:
              ansible_password: inline-pw
              password_file: /nonexistent
            c:
              become_password_file: /nonexistent
        """)
        let inv = try InventoryLoader().load(path)
        let a = try XCTUnwrap(inv.host(named: "a"))
        let t = try a.connectionTarget(defaults: ConnectionDefaults(password: Secret("cli-pw"), hostKeyChecking: .strict,
                                                                     knownHostsFile: "/kh", commandTimeout: 7))
        XCTAssertEqual(t.name, "a")
        XCTAssertEqual(t.address, "10.0.0.1")
        XCTAssertEqual(t.port, 2200)
        XCTAssertEqual(t.user, "pi")
        XCTAssertEqual(t.identityFiles, ["/keys/a"])
        XCTAssertEqual(t.password?.reveal(), "s3cret-from-file")
        XCTAssertEqual(t.hostKeyChecking, .strict)
        XCTAssertEqual(t.knownHostsFile, "/kh")
        XCTAssertEqual(t.commandTimeout, 7)
        let become = try a.become(defaults: ConnectionDefaults())
        XCTAssertEqual(become.user, "admin")
        XCTAssertEqual(become.password?.reveal(), "s3cret-from-file")

        // As in Ansible, the inventory's login beats --user and --private-key.
        let o = try a.connectionTarget(defaults: ConnectionDefaults(user: "ops", identityFiles: ["/keys/ops"]))
        XCTAssertEqual(o.user, "pi")
        XCTAssertEqual(o.identityFiles, ["/keys/a"])

        // An inline password wins over a file; the environment's fills in where nothing is given.
        let b = try XCTUnwrap(inv.host(named: "b"))
        XCTAssertEqual(try b.connectionTarget(defaults: ConnectionDefaults()).password?.reveal(), "inline-pw")
        let c = try XCTUnwrap(inv.host(named: "c"))
        XCTAssertEqual(try c.connectionTarget(defaults: ConnectionDefaults(password: Secret("env"))).password?.reveal(), "env")
        XCTAssertThrowsError(try c.become(defaults: ConnectionDefaults())) { e in
            let d = (e as? LoadError)?.diagnostics.first
            XCTAssertEqual(d?.message, "cannot read become_password_file '/nonexistent' of host 'c'")
            XCTAssertEqual(d?.location.line, 15)
        }
    }

    func testHostKeySettingsFromTheInventoryUnlessTheCommandLineSaysOtherwise() throws {
        let path = try InventoryFixtures.write("""
        all:
          vars:
            known_hosts_file: /lab/known_hosts
            host_key_checking: strict
          hosts:
            a: {}
            b: {ansible_host_key_checking: false}
            c: {host_key_checking: accept-new}
        """)
        let inv = try InventoryLoader().load(path)
        let plain = ConnectionDefaults()
        let a = try XCTUnwrap(inv.host(named: "a")).connectionTarget(defaults: plain)
        XCTAssertEqual(a.hostKeyChecking, .strict)
        XCTAssertEqual(a.knownHostsFile, "/lab/known_hosts")
        XCTAssertEqual(try XCTUnwrap(inv.host(named: "b")).connectionTarget(defaults: plain).hostKeyChecking, .off)
        XCTAssertEqual(try XCTUnwrap(inv.host(named: "c")).connectionTarget(defaults: plain).hostKeyChecking, .acceptNew)
        let cli = ConnectionDefaults(hostKeyChecking: .off, knownHostsFile: "/cli/kh")
        let overridden = try XCTUnwrap(inv.host(named: "a")).connectionTarget(defaults: cli)
        XCTAssertEqual(overridden.hostKeyChecking, .off)
        XCTAssertEqual(overridden.knownHostsFile, "/cli/kh")
        XCTAssertEqual(try ConnectionDefaults().hostKeyChecking, nil)
    }

    func testABadHostKeyPolicyIsALoadError() throws {
        let path = try InventoryFixtures.write("""
        all:
          hosts:
            a: {host_key_checking: sometimes}
        """)
        XCTAssertThrowsError(try InventoryLoader().load(path)) { e in
            let d = (e as? LoadError)?.diagnostics.first
            XCTAssertEqual(d?.location.line, 3)
            XCTAssertTrue(d?.message.contains("accept-new, strict or off") ?? false, "\(String(describing: d))")
        }
    }
}
