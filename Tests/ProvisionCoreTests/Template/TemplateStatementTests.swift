import XCTest
@testable import ProvisionCore

/// Macros, namespaces, block statements and in-place methods beyond what the Ansible corpus
/// shows: the limits and refusals that keep them from giving a different value.
final class TemplateStatementTests: XCTestCase {
    func testRecursiveMacroEndsInAnError() {
        let e = TemplateFixtures.error { try TemplateFixtures.renderString("{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}") }
        XCTAssertTrue(e?.message.contains("macros nested more than") ?? false, e?.message ?? "")
    }

    func testMacroSeesItsArgumentsAndDefaults() throws {
        XCTAssertEqual(try TemplateFixtures.renderString("{% macro m(a, b=a * 2) %}{{ a }}/{{ b }}{% endmacro %}{{ m(3) }} {{ m(1, b=5) }}"),
                       "3/6 1/5")
        let e = TemplateFixtures.error { try TemplateFixtures.renderString("{% macro m(a) %}{% endmacro %}{{ m(c=1) }}") }
        XCTAssertTrue(e?.message.contains("no keyword argument 'c'") ?? false)
    }

    func testRecursiveLoopRendersNestedDictsDeeper() throws {
        // Expected text from Jinja 3.1 (trim_blocks on, as Ansible sets it).
        let template = """
            {% set cfg = {'a': 1, 'b': {'c': 2, 'd': {'e': 3}}, 'f': 4} %}
            {% for k, v in cfg.items() recursive %}{{ '  ' * (loop.depth - 1) }}{{ k }}{% if v is mapping %}:
            {{ loop(v.items()) }}{% else %}={{ v }}
            {% endif %}{% endfor %}
            """
        XCTAssertEqual(try TemplateFixtures.renderString(template), "a=1\nb:\n  c=2\n  d:\n    e=3\nf=4\n")
        let e = TemplateFixtures.error { try TemplateFixtures.renderString("{% for i in [1] %}{{ loop([2]) }}{% endfor %}") }
        XCTAssertNotNil(e, "a loop that is not recursive cannot be called")
    }

    func testNamespaceIsNeverRenderedAsADict() {
        let e = TemplateFixtures.error { try TemplateFixtures.renderString("{% set ns = namespace(a=1) %}{{ ns }}") }
        XCTAssertTrue(e?.message.contains("namespace()") ?? false)
    }

    func testMutatingAPlayVariableShadowsItForTheRestOfTheRender() throws {
        let out = try TemplateFixtures.renderString("{% for i in [1, 2] %}{% set _ = xs.append(i) %}{% endfor %}{{ xs }}",
                                                    ["xs": .list([.int(0)])])
        XCTAssertEqual(out, "[0, 1, 2]")
    }

    func testSHACryptMatchesTheSpecificationVectors() {
        // Checked against glibc crypt(3) (python3 -c "import crypt; crypt.crypt(...)").
        XCTAssertEqual(SHACrypt.crypt("Hello world!", salt: "saltstring", rounds: 5000, variant: .sha512),
                       "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")
        XCTAssertEqual(SHACrypt.crypt("Hello world!", salt: "saltstring", rounds: 5000, variant: .sha256),
                       "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5")
        XCTAssertEqual(SHACrypt.crypt("Hello world!", salt: "saltstringsaltstring", rounds: 10000, variant: .sha512),
                       "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.")
    }

    func testStrFormatRefusesWhatItDoesNotImplement() {
        for text in ["'{0.real}'.format(1)", "'{:{w}}'.format(1, w=3)"] {
            XCTAssertNotNil(TemplateFixtures.error { try TemplateFixtures.eval(text) }, text)
        }
        XCTAssertEqual(try TemplateFixtures.eval("'{:>4}|{:<3}|{:^5}'.format(1, 'a', 'b')"), "   1|a  |  b  ")
    }
}
