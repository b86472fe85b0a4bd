import XCTest
@testable import ProvisionCore

final class ConditionTests: XCTestCase {
    private let scope = TemplateFixtures.scope

    func testConditionsUsersWrite() throws {
        let cases: [(String, Bool)] = [
            ("ansible_facts.architecture == 'armv7l' and docker_version is not defined", true),
            ("ansible_facts['distribution'] == 'Debian' and ansible_facts.distribution_version | int >= 12", true),
            ("inventory_hostname in groups['managers']", true),
            ("inventory_hostname not in groups.workers", true),
            ("inventory_hostname == groups['managers'] | first", true),
            ("result is changed", true),
            ("result is failed", false),
            ("result is succeeded and result.rc == 0", true),
            ("result.rc != 0", false),
            ("'ok' in result.stdout", true),
            ("result.stdout_lines | length > 1", true),
            ("failed_result.rc != 0 and 'already' not in failed_result.stderr", true),
            ("not result.failed", true),
            ("flag", true),  // the string "false" is non-empty: true in a bare `when`, as in Ansible 2.14
            ("flag | bool", false),
            ("version is version('1.9', '>')", true),
            ("count", true),
            ("empty", false),
            ("nothing", false),
            ("packages", true),
            ("  count > 1  ", true),
            ("", true),
            ("{{ count > 1 }}", true),
            ("{{ flag }}", false),
            ("'{{ 'x' }}' == 'x'", true),
            ("{{ count }} > 5", false),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try Templating.evaluateCondition(text, in: scope), expected, text)
        }
    }

    func testConditionValuesFromYAML() throws {
        XCTAssertEqual(try Templating.evaluateCondition(.bool(false), in: scope), false)
        XCTAssertEqual(try Templating.evaluateCondition(.bool(true), in: scope), true)
        XCTAssertEqual(try Templating.evaluateCondition(.null, in: scope), true)
        XCTAssertEqual(try Templating.evaluateCondition(["count > 1", "version == '1.10'"], in: scope), true)
        XCTAssertEqual(try Templating.evaluateCondition(["count > 1", "count > 5"], in: scope), false)
        XCTAssertEqual(try Templating.evaluateCondition([true, "result is changed"], in: scope), true)
        XCTAssertEqual(try Templating.evaluateCondition(0, in: scope), false)
        XCTAssertThrowsError(try Templating.evaluateCondition(["a": 1], in: scope))
    }

    func testListConditionsStopAtTheFirstFalseOne() throws {
        // As in Ansible, later conditions may rely on earlier ones (`x is defined`, then `x.y`).
        XCTAssertEqual(try Templating.evaluateCondition(["nope is defined", "nope.y == 1"], in: scope), false)
    }

    func testUndefinedInAConditionIsAnError() {
        let e = TemplateFixtures.error { try Templating.evaluateCondition("docker_version == '1'", in: self.scope) }
        XCTAssertEqual(e?.kind, .undefined("docker_version"))
        XCTAssertEqual(e?.source, "docker_version == '1'")
        XCTAssertEqual(e?.offset, 0)
    }

    func testCompiledExpressionEvaluatesManyTimes() throws {
        let e = try TemplateExpression.compile("item.uid > 1001")
        let results = try TemplateFixtures.vars["users"]?.listValue?.map {
            try e.evaluateCondition(in: LayeredScope([["item": $0]]))
        }
        XCTAssertEqual(results, [false, true])
    }
}
