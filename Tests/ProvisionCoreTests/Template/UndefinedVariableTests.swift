import XCTest
@testable import ProvisionCore

final class UndefinedVariableTests: XCTestCase {
    func testUndefinedErrorsNameTheVariableOrPath() {
        let cases: [(String, String, Int)] = [
            ("{{ foo }}", "foo", 3),
            ("x {{ result.missing }}", "result.missing", 5),
            ("{{ nope.stdout }}", "nope.stdout", 3),
            ("{{ nope.a.b | upper }}", "nope.a.b", 3),
            ("{{ groups['nope'] | first }}", "groups['nope']", 3),
            ("{{ packages[7] }}", "packages[7]", 3),
            ("{% if foo %}x{% endif %}", "foo", 6),
            ("{% for x in nope %}{% endfor %}", "nope", 12),
            ("{{ count + nope }}", "nope", 11),
            ("{{ nope == 1 }}", "nope", 3),
            ("{{ [nope] }}", "nope", 4),
            ("{{ nope | default(other_nope) }}", "other_nope", 18),
        ]
        for (text, path, offset) in cases {
            guard let e = TemplateFixtures.error({ try TemplateFixtures.render(text) }) else { continue }
            XCTAssertEqual(e.kind, .undefined(path), text)
            XCTAssertEqual(e.undefinedVariable, path, text)
            XCTAssertEqual(e.message, "'\(path)' is undefined", text)
            XCTAssertEqual(e.source, text)
            XCTAssertEqual(e.offset, offset, text)
        }
    }

    func testDefinedTestsAndDefaultsAcceptUndefined() throws {
        XCTAssertEqual(try TemplateFixtures.render("{{ foo is defined }}"), false)
        XCTAssertEqual(try TemplateFixtures.render("{{ foo.bar.baz is undefined }}"), true)
        XCTAssertEqual(try TemplateFixtures.render("{{ foo | default(1) + 1 }}"), 2)
        XCTAssertEqual(try TemplateFixtures.render("{{ foo if foo is defined else 'x' }}"), "x")
        XCTAssertEqual(try TemplateFixtures.render("{{ foo is defined and foo.bar }}"), false)
        XCTAssertEqual(try TemplateFixtures.render("{{ 'k' in foo | default({}) }}"), false)
    }

    func testErrorDescriptionCarriesSourceAndOffset() {
        let e = TemplateFixtures.error { try TemplateFixtures.render("ab {{ foo }}") }
        XCTAssertEqual(e?.description, "'foo' is undefined in 'ab {{ foo }}' at offset 6")
    }
}

final class TemplateErrorDiagnosticTests: XCTestCase {
    func testLocationWalksTheTemplateText() {
        let e = TemplateFixtures.error { try TemplateFixtures.render("line one\n  {{ foo }}") }
        let start = SourceLocation(file: "site.yml", line: 10, column: 7)
        XCTAssertEqual(e?.location(from: start), SourceLocation(file: "site.yml", line: 11, column: 6))
        let d = e?.diagnostic(from: start)
        XCTAssertEqual(d?.location.description, "site.yml:11:6")
        XCTAssertTrue(d?.message.hasPrefix("'foo' is undefined") ?? false)
        XCTAssertTrue(d?.hint?.contains("{{ foo | default(...) }}") ?? false, "\(String(describing: d?.hint))")
    }

    func testSameLineOffsetsAddToTheColumn() {
        let u = TemplateFixtures.error { try TemplateFixtures.eval("count > nope") }
        XCTAssertEqual(u?.location(from: SourceLocation(file: "t.yml", line: 3, column: 13)),
                       SourceLocation(file: "t.yml", line: 3, column: 21))
        XCTAssertTrue(u?.diagnostic(from: SourceLocation(file: "t.yml", line: 3, column: 13)).hint?.contains("define 'nope'") ?? false)
    }
}
