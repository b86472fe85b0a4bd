import XCTest
@testable import ProvisionCore

/// Python tuples in templates (the differential corpus's 42-tuples-methods.yml checks the same
/// shapes against Ansible).
final class TupleTests: XCTestCase {
    func testTuplesPrintAsPython() throws {
        XCTAssertEqual(try TemplateFixtures.renderString("x {{ (1, 2) }} {{ (1,) }} {{ () }}"), "x (1, 2) (1,) ()")
        XCTAssertEqual(try TemplateFixtures.renderString("x {{ {'a': 1, 'b': 2}.items() | list }}"), "x [('a', 1), ('b', 2)]")
        XCTAssertEqual(try TemplateFixtures.renderString("x {{ ['a'] | zip([1]) | list }}"), "x [('a', 1)]")
        XCTAssertEqual(try TemplateFixtures.renderString("x {{ 'a/b.gz' | splitext }}"), "x ('a/b', '.gz')")
    }

    func testTuplesCompareAsPython() throws {
        XCTAssertEqual(try TemplateFixtures.render("{{ [1] == (1,) }}"), .bool(false))
        XCTAssertEqual(try TemplateFixtures.render("{{ (1, 2) in [(1, 2)] }}"), .bool(true))
        XCTAssertEqual(try TemplateFixtures.render("{{ [1, 2] in [(1, 2)] }}"), .bool(false))
        XCTAssertThrowsError(try TemplateFixtures.render("{{ (1, 2) + [3] }}"))
    }

    func testFiltersReadTuplesAsLists() throws {
        XCTAssertEqual(try TemplateFixtures.render("{{ (1, 2) | list }}"), [1, 2])
        XCTAssertEqual(try TemplateFixtures.renderString("x {{ (1, 2) | length }} {{ () | length }}"), "x 2 0")
        XCTAssertEqual(try TemplateFixtures.render("{{ (1, 2) | to_json }}"), "[1, 2]")
        XCTAssertEqual(try TemplateFixtures.render("{{ (1, 2) | type_debug }}"), "tuple")
        XCTAssertEqual(try TemplateFixtures.render("{{ dict(['a'] | zip([1])) }}"), ["a": 1])
    }

    func testLiteralEvalReadsTuplesBack() throws {
        XCTAssertEqual(SafeEval.parse("[('a', 1), (2,), ()]"), .list([.tuple(["a", 1]), .tuple([2]), .tuple([])]))
        XCTAssertEqual(SafeEval.parse("[(1)]"), [1])
        XCTAssertEqual(Value.list([.tuple([1])]).tuplesAsLists, [[1]])
    }

    func testPercentFormattingSpreadsOnlyATuple() throws {
        XCTAssertEqual(try TemplateFixtures.render("{{ '%s-%s' % (1, 2) }}"), "1-2")
        XCTAssertEqual(try TemplateFixtures.render("{{ '%s' % [1, 2] }}"), "[1, 2]")
        XCTAssertThrowsError(try TemplateFixtures.render("{{ '%d' % '5' }}"))
    }
}
