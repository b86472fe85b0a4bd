import XCTest
@testable import ProvisionCore

final class InventoryLoaderTests: XCTestCase {
    func loadAnsible() throws -> Inventory {
        try InventoryLoader().load(InventoryFixtures.path("ansible/hosts.yml"))
    }

    func testHostsComeInInventoryOrderWithRangesExpanded() throws {
        let inv = try loadAnsible()
        XCTAssertEqual(inv.hosts.map(\.name), [
            "loner", "red00", "red01", "red02", "red03", "red04", "node1", "node2", "node3",
            "ax", "bx", "cx", "even0", "even2", "even4", "even6", "ctl",
        ])
    }

    func testGroupsNestedChildrenAndUngrouped() throws {
        let inv = try loadAnsible()
        XCTAssertEqual(inv.groupNames, ["all", "ungrouped", "managers", "workers", "fast", "letters"])
        XCTAssertEqual(inv.hosts(inGroup: "ungrouped").map(\.name), ["loner"])
        XCTAssertEqual(inv.hosts(inGroup: "fast").map(\.name), ["red02", "red04"])
        // workers includes its child group's hosts
        XCTAssertEqual(inv.hosts(inGroup: "workers").map(\.name),
                       ["red01", "red02", "red03", "red04", "node1", "node2", "node3"])
        XCTAssertEqual(inv.host(named: "red02")?.groups, ["all", "workers", "fast"])
        XCTAssertEqual(inv.group(named: "fast")?.depth, 2)
        XCTAssertEqual(inv.group(named: "fast")?.parents, ["workers"])
    }

    func testVariablePrecedenceAllParentChildHostAndVarsFiles() throws {
        let inv = try loadAnsible()
        func v(_ host: String, _ key: String) -> Value? { inv.host(named: host)?.vars[key] }
        XCTAssertEqual(v("loner", "level"), "all")
        XCTAssertEqual(v("red00", "level"), "managers")
        XCTAssertEqual(v("red03", "level"), "workers")
        XCTAssertEqual(v("red02", "level"), "fast")         // child group beats parent
        XCTAssertEqual(v("red01", "level"), "red01-file")   // host_vars/red01.yml beats groups
        XCTAssertEqual(v("red02", "role"), "worker")        // inherited from the parent
        XCTAssertEqual(v("red00", "from_all"), .bool(true))
        XCTAssertEqual(v("ctl", "ntp_server"), "pool.example")      // group_vars/all.yml
        XCTAssertEqual(v("red03", "docker_version"), "24.0")        // group_vars/workers/ dir
        XCTAssertEqual(v("red03", "from_dir"), "second")            // later file in the dir wins
        XCTAssertEqual(v("red00", "swarm_role"), "manager")         // group_vars/managers, no extension
        XCTAssertNil(v("red00", "docker_version"))
    }

    func testConnectionKeysInBothSpellings() throws {
        let inv = try loadAnsible()
        let red00 = try XCTUnwrap(inv.host(named: "red00")).connection
        XCTAssertEqual(red00.address, "192.168.1.50")
        XCTAssertEqual(red00.port, 2222)
        XCTAssertEqual(red00.user, "pi")
        XCTAssertEqual(red00.kind, .ssh)
        let node2 = try XCTUnwrap(inv.host(named: "node2")).connection
        XCTAssertEqual(node2.address, "node2")
        XCTAssertEqual(node2.user, "admin")   // host `user` beats all's `ansible_user`
        XCTAssertEqual(inv.host(named: "even4")?.connection.identityFile, "~/.ssh/id_ed25519")
        XCTAssertEqual(inv.host(named: "loner")?.connection.address, "10.0.0.99")
        let ctl = try XCTUnwrap(inv.host(named: "ctl"))
        XCTAssertEqual(ctl.connection.kind, .local)
        XCTAssertTrue(ctl.connection.become)
        XCTAssertEqual(ctl.connection.becomePassword?.reveal(), "hunter2")
        XCTAssertEqual(ctl.maskedVars["ansible_become_password"], "********")
        XCTAssertFalse("\(ctl.maskedVars)".contains("hunter2"))
    }

    func testShortFormBecomesManagersAndWorkers() throws {
        let inv = try InventoryLoader().load(InventoryFixtures.path("short.yml"))
        XCTAssertEqual(inv.hosts.map(\.name), ["192.168.1.50", "192.168.1.51", "pi52", "pi53"])
        XCTAssertEqual(inv.hosts(inGroup: "managers").map(\.name), ["192.168.1.50"])
        XCTAssertEqual(inv.hosts(inGroup: "workers").map(\.name), ["192.168.1.51", "pi52", "pi53"])
        XCTAssertEqual(inv.host(named: "pi52")?.connection.address, "192.168.1.52")
        XCTAssertEqual(inv.host(named: "pi52")?.connection.user, "pi")
        XCTAssertEqual(inv.host(named: "pi53")?.connection.user, "ubuntu")

        let singular = try InventoryLoader().load(InventoryFixtures.path("short-singular.yml"))
        XCTAssertEqual(singular.hosts(inGroup: "managers").map(\.name), ["10.1.0.1"])
        XCTAssertEqual(singular.hosts(inGroup: "workers").map(\.name), ["10.1.0.2", "10.1.0.3"])
    }

    func testMisspeltConnectionKeysAreErrorsButPlainVarsAreNot() {
        let path = InventoryFixtures.path("errors/misspelt.yml")
        let d = InventoryFixtures.diagnostics(path)
        XCTAssertEqual(d.count, 2, "\(d)")
        XCTAssertEqual(d.first?.location, SourceLocation(file: path, line: 4, column: 7))
        XCTAssertTrue(d.first?.message.contains("'adress'") ?? false)
        XCTAssertEqual(d.first?.hint?.contains("'address'"), true)
        XCTAssertEqual(d.last?.location, SourceLocation(file: path, line: 6, column: 7))
        XCTAssertEqual(d.last?.hint?.contains("'ansible_host'"), true, "\(d)")
    }

    func testBadRangesPointIntoTheName() {
        let path = InventoryFixtures.path("errors/bad-range.yml")
        let d = InventoryFixtures.diagnostics(path)
        XCTAssertEqual(d.map(\.location), [
            SourceLocation(file: path, line: 3, column: 8),
            SourceLocation(file: path, line: 4, column: 9),
            SourceLocation(file: path, line: 5, column: 8),
        ], "\(d)")
        XCTAssertTrue(d[0].message.contains("begins after it ends"))
        XCTAssertTrue(d[2].message.contains("same width"))
    }

    func testHostWithTwoAddressesIsAnError() {
        let path = InventoryFixtures.path("errors/two-addresses.yml")
        let d = InventoryFixtures.diagnostics(path)
        XCTAssertEqual(d.count, 1, "\(d)")
        XCTAssertEqual(d.first?.location, SourceLocation(file: path, line: 10, column: 11))
        XCTAssertTrue(d.first?.message.contains("'10.0.0.1'") ?? false)
        XCTAssertTrue(d.first?.message.contains("\(path):6:11") ?? false, d.first?.message ?? "")
    }

    func testHostWithTwoPortsIsAnError() {
        let path = InventoryFixtures.path("errors/two-ports.yml")
        let d = InventoryFixtures.diagnostics(path)
        XCTAssertEqual(d.count, 1, "\(d)")
        XCTAssertEqual(d.first?.location, SourceLocation(file: path, line: 10, column: 11))
        XCTAssertTrue(d.first?.message.contains("port '22' here but '2222' at \(path):6:11") ?? false, d.first?.message ?? "")
    }

    func testDuplicateKeyAndSyntaxErrorsHavePositions() {
        let dup = InventoryFixtures.path("errors/duplicate.yml")
        let d = InventoryFixtures.diagnostics(dup)
        XCTAssertEqual(d.first?.location, SourceLocation(file: dup, line: 5, column: 7))
        let syn = InventoryFixtures.path("errors/syntax.yml")
        let s = InventoryFixtures.diagnostics(syn)
        XCTAssertEqual(s.first?.location.file, syn)
        XCTAssertGreaterThanOrEqual(s.first?.location.line ?? 0, 3)
        XCTAssertTrue(s.first?.message.contains("YAML syntax error") ?? false)
    }

    func testMissingFileIsAnError() {
        let d = InventoryFixtures.diagnostics("/nonexistent/hosts.yml")
        XCTAssertEqual(d.first?.message, "file not found")
        XCTAssertEqual(d.first?.location.file, "/nonexistent/hosts.yml")
    }

    func testAllErrorsAreCollectedAtOnce() {
        let path = InventoryFixtures.path("errors/many.yml")
        let d = InventoryFixtures.diagnostics(path)
        XCTAssertEqual(d.map(\.location.line), [4, 6, 9, 13], "\(d)")
        XCTAssertTrue(d[0].message.contains("port"))
        XCTAssertTrue(d[1].message.contains("'ssh' or 'local'"))
        XCTAssertTrue(d[2].message.contains("unknown key 'host'"))
        XCTAssertEqual(d[2].hint, "did you mean 'hosts'?")
        XCTAssertTrue(d[3].message.contains("no end"))
    }

    func testGroupCycleIsAnError() {
        let path = InventoryFixtures.path("errors/cycle.yml")
        let d = InventoryFixtures.diagnostics(path)
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d.first?.location, SourceLocation(file: path, line: 7, column: 13))
        XCTAssertTrue(d.first?.message.contains("a → b → a") ?? false, "\(d)")
    }

    func testRenderedDiagnosticShowsTheLineAndACaret() {
        let path = InventoryFixtures.path("errors/misspelt.yml")
        let text = InventoryFixtures.diagnostics(path).first?.rendered() ?? ""
        XCTAssertEqual(text.split(separator: "\n").map(String.init), [
            "\(path):4:7: error: unknown connection key 'adress' in host 'red01'",
            "  hint: did you mean 'address'? (rename it if it is meant as a plain variable)",
            "        adress: 10.0.0.1",
            "        ^",
        ])
    }

    func testTemplatedConnectionSettingsAreRenderedPerHost() throws {
        let inv = try InventoryLoader().parse("""
        all:
          vars:
            domain: lan
            cluster_user: pi
            ansible_user: "{{ cluster_user }}"
            ansible_host: "{{ inventory_hostname }}.{{ domain }}"
          children:
            workers:
              hosts:
                red[01:02]:
              vars:
                ansible_port: "{{ 2200 + 22 }}"
        """, file: "t.yml")
        let red02 = try XCTUnwrap(inv.host(named: "red02"))
        XCTAssertEqual(red02.connection.address, "red02.lan")
        XCTAssertEqual(red02.connection.user, "pi")
        XCTAssertEqual(red02.connection.port, 2222)
        // The variable itself stays a template, for tasks to render as they see fit.
        XCTAssertEqual(red02.vars["ansible_host"], .string("{{ inventory_hostname }}.{{ domain }}"))

        XCTAssertThrowsError(try InventoryLoader().parse("""
        all:
          hosts:
            red01:
              ansible_host: "{{ nowhere }}.lan"
        """, file: "u.yml")) { e in
            let d = (e as? LoadError)?.diagnostics.first
            XCTAssertEqual(d?.location, SourceLocation(file: "u.yml", line: 4, column: 7))
            XCTAssertTrue(d?.message.contains("ansible_host cannot be rendered") ?? false, d?.message ?? "\(e)")
            XCTAssertTrue(d?.message.contains("nowhere") ?? false, d?.message ?? "")
        }
    }

    func testHostPortInTheKeyAndHostsAsAList() throws {
        let path = try InventoryFixtures.write("""
        all:
          children:
            web:
              hosts:
                www.example:2200:
            db:
              hosts: [db1, db2]
        """)
        let inv = try InventoryLoader().load(path)
        XCTAssertEqual(inv.host(named: "www.example")?.connection.port, 2200)
        XCTAssertEqual(inv.hosts(inGroup: "db").map(\.name), ["db1", "db2"])
    }

    func testBadVarsFileIsReportedWithItsOwnPath() throws {
        let path = try InventoryFixtures.write("all:\n  hosts:\n    a:\n", files: [
            "group_vars/all.yml": "x: 1\nansible_usr: pi\n",
            "host_vars/a": "y: [1, 2\n",
        ])
        let d = InventoryFixtures.diagnostics(path)
        XCTAssertEqual(d.count, 2, "\(d)")
        XCTAssertTrue(d[0].location.file.hasSuffix("group_vars/all.yml"))
        XCTAssertEqual(d[0].location.line, 2)
        XCTAssertTrue(d[1].location.file.hasSuffix("host_vars/a"))
    }

    func testEmptyFileGivesAnEmptyInventory() throws {
        let path = try InventoryFixtures.write("# nothing yet\n")
        let inv = try InventoryLoader().load(path)
        XCTAssertTrue(inv.hosts.isEmpty)
    }
}

final class InventoryMagicVariablesTests: XCTestCase {
    func testMagicVariables() throws {
        let inv = try InventoryLoader().parse("""
        all:
          hosts:
            solo.lan:
          children:
            workers:
              hosts:
                w1.example.org:
                w2:
        """, file: "inv.yml")
        let w1 = try XCTUnwrap(inv.host(named: "w1.example.org"))
        let m = inv.magicVariables(for: w1)
        XCTAssertEqual(m["inventory_hostname"], "w1.example.org")
        XCTAssertEqual(m["inventory_hostname_short"], "w1")
        XCTAssertEqual(m["group_names"], ["workers"])
        XCTAssertEqual(m["groups"]?["all"], ["solo.lan", "w1.example.org", "w2"])
        XCTAssertEqual(m["groups"]?["ungrouped"], ["solo.lan"])
        XCTAssertEqual(inv.magicVariables(for: try XCTUnwrap(inv.host(named: "solo.lan")))["group_names"], ["ungrouped"])
    }
}

final class InventoryLoaderShapeTests: XCTestCase {
    func diagnostics(_ yaml: String) throws -> [Diagnostic] {
        InventoryFixtures.diagnostics(try InventoryFixtures.write(yaml))
    }

    func testWrongShapesSayWhatToWrite() throws {
        let d = try diagnostics("""
        all:
          hosts:
            a: 10.0.0.1
          children:
            web:
              hosts: red01
            cache:
              hostz:
                c1:
              role: x
        """)
        XCTAssertEqual(d.map(\.location.line), [3, 6, 8, 10], "\(d)")
        XCTAssertEqual(d[0].hint, "to give an address write 'address: 10.0.0.1' on the next line, indented")
        XCTAssertEqual(d[2].hint, "did you mean 'hosts'?")
        XCTAssertEqual(d[3].hint, "a group takes 'hosts', 'children' and 'vars'; put variables under 'vars:'")
    }

    func testShortFormRejectsOtherKeys() throws {
        let d = try diagnostics("manager: 10.0.0.1\nworkers:\n  - 10.0.0.2\nfoo: 1\n")
        XCTAssertEqual(d.count, 1, "\(d)")
        XCTAssertEqual(d.first?.location.line, 4)
        XCTAssertEqual(d.first?.message, "unknown key 'foo' in the short inventory form")
    }

    func testTopLevelMustBeAMapping() throws {
        let d = try diagnostics("- a\n- b\n")
        XCTAssertEqual(d.first?.location.line, 1)
        XCTAssertTrue(d.first?.message.contains("must be a mapping") ?? false)
    }
}

final class InventoryTopLevelGroupTests: XCTestCase {
    func testTopLevelGroupThatIsAlsoAChildHangsUnderItsParent() throws {
        let inv = try InventoryLoader().parse("""
        all:
          children:
            workers:
              children:
                fast:
        fast:
          hosts:
            f1:
          vars:
            speed: high
        """, file: "inv.yml")
        XCTAssertEqual(inv.group(named: "fast")?.parents, ["workers"])
        XCTAssertEqual(inv.group(named: "all")?.children, ["ungrouped", "workers"])
        XCTAssertEqual(inv.group(named: "fast")?.depth, 2)
        XCTAssertEqual(inv.host(named: "f1")?.groups, ["all", "workers", "fast"])
        XCTAssertEqual(inv.host(named: "f1")?.vars["speed"], "high")
        XCTAssertEqual(InventoryReport.graph(inv, hosts: inv.hosts), """
        @all:
          |--@workers:
          |  |--@fast:
          |  |  |--f1

        """)
    }
}
