import XCTest
@testable import ProvisionCore

/// Typed dict keys, `!unsafe` and lazy undefined values in literals (the value model the
/// differential corpus's 20-value-model.yml checks against Ansible).
final class ValueModelTests: XCTestCase {
    private func yamlVars(_ text: String) throws -> [String: Value] {
        let node = try XCTUnwrap(try YAMLFile.parse(text, file: "t.yml"))
        return Dictionary(try XCTUnwrap(try YAMLFile.value(of: node, file: "t.yml").dictValue))
    }

    func testIntKeysFromYAMLStayInts() throws {
        let vars = try yamlVars("ports: {80: http, 443: https}\nnames: {'1': one}\n")
        XCTAssertEqual(try TemplateFixtures.render("{{ ports[80] }}", vars), "http")
        XCTAssertEqual(try TemplateFixtures.render("{{ ports['80'] | default('none') }}", vars), "none")
        XCTAssertEqual(try TemplateFixtures.render("{{ '80' in ports }}", vars), .bool(false))
        XCTAssertEqual(try TemplateFixtures.render("{{ 80 in ports }}", vars), .bool(true))
        XCTAssertEqual(try TemplateFixtures.render("{{ names[1] | default('none') }}", vars), "none")
        XCTAssertEqual(try TemplateFixtures.renderString("x {{ ports }}", vars), "x {80: 'http', 443: 'https'}")
        XCTAssertEqual(try TemplateFixtures.render("{{ ports | to_json }}", vars), #"{"80": "http", "443": "https"}"#)
        // Module arguments and JSON see the key text.
        XCTAssertEqual(vars["ports"]?.dictValue?["80"], "http")
    }

    func testKeysBuiltInExpressions() throws {
        XCTAssertEqual(try TemplateFixtures.renderString("x {{ {1: 'a'} | combine({2: 'b'}) }}"), "x {1: 'a', 2: 'b'}")
        XCTAssertEqual(try TemplateFixtures.renderString("x {{ {1: 'a'} == {'1': 'a'} }}"), "x False")
        XCTAssertEqual(try TemplateFixtures.renderString("x {{ dict([1, 2] | zip(['a', 'b'])) }}"), "x {1: 'a', 2: 'b'}")
    }

    func testUnsafeIsNeverTemplated() throws {
        let vars = try yamlVars("u: !unsafe '{{ x }} {% endraw %}'\nl: !unsafe ['{{ a }}', 5]\nnl: !unsafe \"\\nline {{ x }}\\n\"\n")
        XCTAssertEqual(try Templating.render(vars["u"] ?? .null, in: LayeredScope([])), "{{ x }} {% endraw %}")
        XCTAssertEqual(try Templating.render(vars["l"] ?? .null, in: LayeredScope([])), ["{{ a }}", 5])
        XCTAssertEqual(try Templating.render(vars["nl"] ?? .null, in: LayeredScope([])), "\nline {{ x }}\n")
    }

    func testUndefinedInsideALiteralIsLazy() throws {
        XCTAssertEqual(try TemplateFixtures.render("{{ packages | default([not_set]) }}"), ["git", "curl"])
        XCTAssertEqual(try TemplateFixtures.render("{{ packages | default(packages + [not_set]) }}"), ["git", "curl"])
        XCTAssertThrowsError(try TemplateFixtures.render("{{ not_here | default([not_set]) }}"))
        XCTAssertEqual(try TemplateFixtures.render("{{ [not_set] is defined }}"), .bool(true))
        // Values of types provision lacks are defined; using them is the error.
        XCTAssertEqual(try TemplateFixtures.render("{{ now() is defined }}"), .bool(true))
        XCTAssertEqual(try TemplateFixtures.render("{{ 'a'.encode('utf-8') is defined }}"), .bool(true))
        XCTAssertThrowsError(try TemplateFixtures.render("{{ 'a'.encode('utf-8') }}"))
    }

    func testDictKeepsKeywordOrder() throws {
        XCTAssertEqual(try TemplateFixtures.renderString("x {{ dict(b=1, a=2) }}"), "x {'b': 1, 'a': 2}")
        XCTAssertEqual(try TemplateFixtures.renderString("x {{ dict(config, z=0) }}"), "x {'a': 1, 'b': {'c': 2}, 'z': 0}")
    }
}

final class ValueDictTypedKeyTests: XCTestCase {
    func testTypedLookup() {
        var d = ValueDict()
        d[typedKey: .int(80)] = "http"
        XCTAssertEqual(d.typedKey("80"), .int(80))
        XCTAssertEqual(d[typedKey: .int(80)], "http")
        XCTAssertNil(d[typedKey: .string("80")])
        XCTAssertEqual(d["80"], "http")
    }
}
