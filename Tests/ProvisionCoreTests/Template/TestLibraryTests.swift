import XCTest
@testable import ProvisionCore

final class TestLibraryTests: XCTestCase {
    func testEveryTest() throws {
        let cases: [(String, Bool)] = [
            ("count is defined", true), ("nope is defined", false), ("nope is undefined", true),
            ("nope is not defined", true), ("nope.deeper is defined", false), ("result.stdout is defined", true),
            ("result.nope is undefined", true), ("groups['nope'] is defined", false), ("packages[5] is defined", false),
            ("nothing is none", true), ("count is none", false), ("nope is none", false),
            ("version is string", true), ("count is string", false), ("count is number", true),
            ("ratio is number", true), ("version is number", false), ("count is integer", true),
            ("ratio is float", true), ("true is boolean", true), ("config is mapping", true),
            ("packages is mapping", false), ("packages is sequence", true), ("version is sequence", true),
            ("count is sequence", false),
            ("result is changed", true), ("result is not changed", false), ("failed_result is changed", false),
            ("loop_result is changed", true), ("result is failed", false), ("failed_result is failed", true),
            ("result is succeeded", true), ("result is success", true), ("failed_result is succeeded", false),
            ("skipped_result is skipped", true), ("result is skipped", false), ("result is change", true),
            ("'hello' is match('h.l')", true), ("'hello' is match('ell')", false), ("'hello' is search('ell')", true),
            ("'HELLO' is search('ell', ignorecase=true)", true), ("'hello' is regex('^h')", true),
            ("3 is equalto 3", true), ("3 is eq(4)", false), ("3 is ne(4)", true), ("3 is lt 4", true),
            ("3 is gt(4)", false), ("3 is ge(3)", true), ("3 is le(2)", false),
            ("4 is even", true), ("3 is odd", true), ("9 is divisibleby 3", true), ("10 is divisibleby(3)", false),
            ("'abc' is lower", true), ("'ABC' is upper", true), ("'Abc' is lower", false),
            ("'git' is in(packages)", true), ("packages is contains('curl')", true),
            ("[1] is subset([1, 2])", true), ("[1, 2] is superset([3])", false),
            ("[0, 1] is any", true), ("[0, 1] is all", false), ("'' is falsy", true), ("'x' is truthy", true),
            ("'20.10.5' is version('20.10', '>=')", true), ("'20.10.5' is version('20.9', '>')", true),
            ("'1.10' is version('1.9', 'gt')", true), ("'24.0.7' is version('24.0.7', '==')", true),
            ("'5.15.0-1034-raspi' is version('5.4', '>=')", true), ("'1.0' is version('1.0.1', 'lt')", true),
            ("'2.0' is version_compare('10.0', '<')", true),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try TemplateFixtures.eval(text), .bool(expected), text)
        }
    }

    func testResultTestsNeedAResult() {
        let e = TemplateFixtures.error { try TemplateFixtures.eval("'x' is changed") }
        XCTAssertTrue(e?.message.contains("the 'changed' test expects a registered task result") ?? false,
                      "\(String(describing: e))")
        let u = TemplateFixtures.error { try TemplateFixtures.eval("nope is failed") }
        XCTAssertEqual(u?.kind, .undefined("nope"))
        let v = TemplateFixtures.error { try TemplateFixtures.eval("'1' is version('2', 'around')") }
        XCTAssertTrue(v?.message.contains("unknown operator 'around'") ?? false)
    }
}
