import XCTest
@testable import ProvisionCore

final class HostPatternTests: XCTestCase {
    var inventory: Inventory!

    override func setUpWithError() throws {
        inventory = try InventoryLoader().parse("""
        all:
          hosts:
            solo:
          children:
            managers:
              hosts:
                red00:
            workers:
              hosts:
                red[01:05]:
              children:
                fast:
                  hosts:
                    red02:
                    red04:
            web:
              hosts:
                www1:
                red03:
            empty:
        """, file: "inv.yml")
    }

    func names(_ p: String) throws -> [String] { try HostPattern(p).select(from: inventory).map(\.name) }

    func testAllAndStar() throws {
        let all = ["solo", "red00", "red01", "red02", "red03", "red04", "red05", "www1"]
        XCTAssertEqual(try names("all"), all)
        XCTAssertEqual(try names("*"), all)
    }

    func testImplicitLocalhostOnlyByName() throws {
        XCTAssertEqual(try names("localhost"), ["localhost"])
        XCTAssertEqual(try names("127.0.0.1"), ["localhost"])
        XCTAssertEqual(try names("managers:localhost"), ["red00", "localhost"])
        XCTAssertFalse(try names("*").contains("localhost"))
        XCTAssertThrowsError(try names("local*"), "a wildcard never selects the implicit localhost")
        XCTAssertFalse(try names("all:!red00").contains("localhost"))
        let local = try XCTUnwrap(inventory.host(named: "localhost"))
        XCTAssertTrue(local.isImplicit)
        XCTAssertEqual(local.connection.kind, .local)
        XCTAssertEqual(local.groups, [])
        // An inventory that defines localhost gets no implicit one.
        let own = try InventoryLoader().parse("all:\n  hosts:\n    localhost:\n      ansible_port: 2222\n", file: "i.yml")
        XCTAssertEqual(try HostPattern("all").select(from: own).map(\.name), ["localhost"])
        XCTAssertEqual(own.host(named: "localhost")?.connection.port, 2222)
    }

    func testGroupsHostsAndGlobs() throws {
        XCTAssertEqual(try names("workers"), ["red01", "red02", "red03", "red04", "red05"])
        XCTAssertEqual(try names("red03"), ["red03"])
        XCTAssertEqual(try names("red0*"), ["red00", "red01", "red02", "red03", "red04", "red05"])
        XCTAssertEqual(try names("ungrouped"), ["solo"])
        XCTAssertEqual(try names("fa*"), ["red02", "red04"])   // a glob matches group names too
        XCTAssertEqual(try names("~red0[12]"), ["red01", "red02"])
    }

    func testUnionIntersectionExclusionInInventoryOrder() throws {
        XCTAssertEqual(try names("web:managers"), ["red00", "red03", "www1"])
        XCTAssertEqual(try names("web,managers"), ["red00", "red03", "www1"])
        XCTAssertEqual(try names("workers:&web"), ["red03"])
        XCTAssertEqual(try names("workers:!fast"), ["red01", "red03", "red05"])
        XCTAssertEqual(try names("workers:!fast:&web"), ["red03"])
        XCTAssertEqual(try names("!fast"), ["solo", "red00", "red01", "red03", "red05", "www1"])
        XCTAssertEqual(try names("&web"), ["red03", "www1"])
    }

    func testSubscripts() throws {
        XCTAssertEqual(try names("workers[0]"), ["red01"])
        XCTAssertEqual(try names("workers[-1]"), ["red05"])
        XCTAssertEqual(try names("workers[1:2]"), ["red02", "red03"])
        XCTAssertEqual(try names("workers[3:]"), ["red04", "red05"])
    }

    func testAtFileReadsOneHostALine() throws {
        let path = NSTemporaryDirectory() + "last-failed-\(UUID().uuidString)"
        try "red04\n\n# a comment\nred01\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try names("@\(path)"), ["red01", "red04"])
        XCTAssertEqual(try names("workers:!@\(path)"), ["red02", "red03", "red05"])
    }

    func testAtFileNamingAnUnknownHostGivesItsLine() throws {
        let path = NSTemporaryDirectory() + "last-failed-\(UUID().uuidString)"
        try "red04\nred99\n".write(toFile: path, atomically: true, encoding: .utf8)
        // As Ansible: an unknown name is ignored with a warning; only an empty result fails.
        XCTAssertEqual(try names("@\(path)"), ["red04"])
        let r = try HostPattern("@\(path)").resolve(in: inventory)
        XCTAssertEqual(r.warnings, ["Could not match supplied host pattern, ignoring: red99"])
        try "# only unknown names\nred99\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try names("@\(path)")) { e in
            let err = e as? HostPatternError
            XCTAssertEqual(err?.location, SourceLocation(file: path, line: 2, column: 1))
        }
        XCTAssertThrowsError(try names("@/nonexistent/file")) { e in
            XCTAssertTrue((e as? HostPatternError)?.message.contains("cannot read") ?? false)
        }
    }

    func testNoMatchListsGroups() {
        XCTAssertThrowsError(try names("wrokers")) { e in
            let err = e as? HostPatternError
            XCTAssertEqual(err?.message, "'wrokers' matches no host or group")
            XCTAssertEqual(err?.hint, "did you mean 'workers'? groups: all, ungrouped, managers, workers, fast, web, empty")
        }
        XCTAssertThrowsError(try names("db*"))
        XCTAssertThrowsError(try names("empty")) { e in
            XCTAssertEqual((e as? HostPatternError)?.message, "group 'empty' has no hosts")
        }
        XCTAssertThrowsError(try names("managers:&web")) { e in
            XCTAssertTrue((e as? HostPatternError)?.message.contains("selects no host") ?? false)
        }
        XCTAssertThrowsError(try HostPattern("a::b"))
        XCTAssertThrowsError(try HostPattern(" "))
    }

    func testPlayHostsIntersectLimit() throws {
        let hosts = try HostPattern.select([HostPattern("workers"), HostPattern("red0[3-9]")], from: inventory)
        XCTAssertEqual(hosts.map(\.name), ["red03", "red04", "red05"])
        XCTAssertThrowsError(try HostPattern.select([HostPattern("managers"), HostPattern("web")], from: inventory))
    }
}

final class EmptyInventoryPatternTests: XCTestCase {
    func testAllOnAnEmptyInventorySaysSo() throws {
        let inv = try InventoryLoader().parse("# empty\n", file: "empty.yml")
        XCTAssertThrowsError(try HostPattern("all").select(from: inv)) { e in
            XCTAssertEqual((e as? HostPatternError)?.message, "the inventory empty.yml has no hosts")
        }
    }
}
