import XCTest
@testable import ProvisionCore

/// The per-render budget: runaway loops end with an error naming the limit and its variable.
final class TemplateBudgetTests: XCTestCase {
    func testNestedLoopsPastTheIterationLimitFailClearly() throws {
        let saved = (RenderBudget.maxIterations, RenderBudget.maxOutputBytes)
        defer { (RenderBudget.maxIterations, RenderBudget.maxOutputBytes) = saved }
        RenderBudget.maxIterations = 5_000
        let text = "{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}"
        let error = TemplateFixtures.error { try TemplateFixtures.renderString(text) }
        XCTAssertTrue(error?.description.contains(RenderBudget.iterationsVariable) ?? false, "\(String(describing: error))")
        RenderBudget.maxIterations = 1_000_000
        RenderBudget.maxOutputBytes = 1_000
        let big = TemplateFixtures.error { try TemplateFixtures.renderString("{% for i in range(100) %}{{ 'x' * 100 }}{% endfor %}") }
        XCTAssertTrue(big?.description.contains(RenderBudget.outputVariable) ?? false, "\(String(describing: big))")
    }

    func testLoopsUnderTheLimitRender() throws {
        XCTAssertEqual(try TemplateFixtures.renderString("{% for i in range(3) %}{% for j in range(2) %}x{% endfor %}{% endfor %}"), "xxxxxx")
    }
}
