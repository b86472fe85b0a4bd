import XCTest
@testable import ProvisionCore

/// INI inventories: Ansible's value rules and the errors Ansible's INI plugin raises, each at
/// its line. (`InventoryCompatTests` compares whole inventories with ansible-inventory.)
final class INIInventoryTests: XCTestCase {
    func testPythonLiterals() {
        XCTAssertEqual(PythonLiteral.parse("42"), .int(42))
        XCTAssertEqual(PythonLiteral.parse("-3"), .int(-3))
        XCTAssertEqual(PythonLiteral.parse("1_000"), .int(1000))
        XCTAssertEqual(PythonLiteral.parse("0x1F"), .int(31))
        XCTAssertEqual(PythonLiteral.parse("1.5"), .double(1.5))
        XCTAssertEqual(PythonLiteral.parse("1e3"), .double(1000))
        XCTAssertEqual(PythonLiteral.parse("True"), .bool(true))
        XCTAssertEqual(PythonLiteral.parse("None"), .null)
        XCTAssertEqual(PythonLiteral.parse("'a' \"b\""), .string("ab"))
        XCTAssertEqual(PythonLiteral.parse(#"'tab\there'"#), .string("tab\there"))
        XCTAssertEqual(PythonLiteral.parse("[1, 'two', (3,), {'k': None}]"),
                       .list([.int(1), .string("two"), .list([.int(3)]), .dict(["k": .null])]))
        XCTAssertEqual(PythonLiteral.parse("(1)"), .int(1))
        XCTAssertEqual(PythonLiteral.parse("1 # comment"), .int(1))
        // Not literals: the INI plugin keeps the text.
        for text in ["010", "true", "yes", "hello", "", "1.2.3", "[1, two]", "{a: 1}", "x = 1", "1 +", "inf"] {
            XCTAssertNil(PythonLiteral.parse(text), text)
        }
    }

    func testHostLineWordsAndValues() throws {
        let path = try InventoryFixtures.write("""
        [web]
        w1 ansible_host=10.0.0.1 port_list="[80, 443]" msg='a b' flag=True n=007 x=a#comment
        """, name: "hosts")
        let h = try XCTUnwrap(try InventoryLoader().load(path).host(named: "w1"))
        XCTAssertEqual(h.connection.address, "10.0.0.1")
        XCTAssertEqual(h.vars["port_list"], .list([.int(80), .int(443)]))
        XCTAssertEqual(h.vars["msg"], .string("a b"))
        XCTAssertEqual(h.vars["flag"], .bool(true))
        XCTAssertEqual(h.vars["n"], .string("007"))
        XCTAssertEqual(h.vars["x"], .string("a"))
    }

    func testErrorsNameTheirLine() throws {
        let path = try InventoryFixtures.write("""
        [web]
        w1 novalue
        [web:hosts]
        [web:weird]
        [ghost:vars]
        a=1
        [top:children]
        missing
        [web:vars]
        justtext
        [bad section]
        """, name: "hosts")
        let d = InventoryFixtures.diagnostics(path)
        let lines = d.map(\.location.line).sorted()
        XCTAssertEqual(lines, [2, 4, 5, 8, 10, 11], d.map { $0.rendered() }.joined(separator: "\n"))
        XCTAssertTrue(d.contains { $0.message.contains("expected key=value after host 'w1', got 'novalue'") })
        XCTAssertTrue(d.contains { $0.message.contains("[web:weird] has unknown type") })
        XCTAssertTrue(d.contains { $0.message.contains("[ghost:vars] is for group 'ghost', which is not defined") })
        XCTAssertTrue(d.contains { $0.message.contains("names group 'missing', which is not defined") })
    }

    func testConnectionKeysAreCheckedAsInYAML() throws {
        let path = try InventoryFixtures.write("""
        h1 ansible_port=notaport
        h2 ansible_become_method=doas
        h3 ansible_become_method=su ansible_become_user=admin ansible_python_interpreter=/usr/bin/python3
        """, name: "hosts")
        let d = InventoryFixtures.diagnostics(path)
        // As Ansible, any become method loads; one provision lacks fails the tasks that use it.
        XCTAssertEqual(d.map(\.location.line), [1], d.map { $0.rendered() }.joined(separator: "\n"))
        let ok = try InventoryFixtures.write("h3 ansible_become_method=su ansible_python_interpreter=/usr/bin/python3\n", name: "hosts")
        let host = try XCTUnwrap(try InventoryLoader().load(ok).host(named: "h3"))
        XCTAssertEqual(host.connection.becomeMethod, .su)
        XCTAssertEqual(try host.become(defaults: ConnectionDefaults()).method, .su)
    }

    func testHostListSource() throws {
        let inv = try InventoryLoader().load(["a1,a2:2222,"])
        XCTAssertEqual(inv.hosts.map(\.name), ["a1", "a2"])
        XCTAssertEqual(inv.host(named: "a2")?.connection.port, 2222)
        XCTAssertEqual(inv.group(named: "ungrouped")?.hosts, ["a1", "a2"])
    }

    func testExtensionlessYAMLIsReadAsYAML() throws {
        let path = try InventoryFixtures.write("all:\n  hosts:\n    y1:\n", name: "hosts")
        XCTAssertEqual(try InventoryLoader().load(path).hosts.map(\.name), ["y1"])
    }

    func testPluginConfigsAndScriptsAreClearErrors() throws {
        let plugin = try InventoryFixtures.write("plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n", name: "aws_ec2.yml")
        XCTAssertTrue(InventoryFixtures.diagnostics(plugin).first?.message.contains("inventory plugins") ?? false)
        let script = try InventoryFixtures.write("#!/bin/sh\necho '{}'\n", name: "inventory.sh")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        XCTAssertTrue(InventoryFixtures.diagnostics(script).first?.message.contains("inventory script") ?? false)
    }

    func testINIThatLooksLikeYAMLFallsBackToINI() throws {
        // `web:2222` is a YAML mapping, but not a YAML inventory: Ansible's INI plugin reads it.
        let path = try InventoryFixtures.write("web:2222\n", name: "hosts")
        let inv = try InventoryLoader().load(path)
        XCTAssertEqual(inv.host(named: "web")?.connection.port, 2222)
        let broken = try InventoryFixtures.write("all:\n  hosts:\n    h1:\n  childs:\n", name: "hosts")
        XCTAssertTrue(InventoryFixtures.diagnostics(broken).contains { $0.message.contains("unknown key 'childs'") })
    }
}
