import Foundation
import XCTest
@testable import ProvisionCore

/// template, assert and debug with the project's real template engine behind
/// `HostContext.renderTemplate`, as the executor wires it.
final class TemplateEngineModuleTests: ModuleTestCase {
    let vars: [String: Value] = [
        "ansible_distribution": "Debian", "ansible_memtotal_mb": 3794,
        "nodes": [["name": "pi1", "ip": "10.0.0.1"], ["name": "pi2", "ip": "10.0.0.2"]],
    ]

    func engineContext(check: Bool = false) -> HostContext {
        let scope = LayeredScope([vars])
        var ctx = context(check: check, vars: vars, render: { try Templating.renderString($0, in: scope) })
        ctx.diffMode = true
        return ctx
    }

    func testTemplateWithLoopsAndFilters() throws {
        try write(path("hosts.j2"), """
        # {{ ansible_distribution | lower }}
        {% for n in nodes %}
        {{ n.ip }} {{ n.name }}
        {% endfor %}
        """)
        let m = try ModuleRegistry.make(TemplateModule.self, arguments: ["src": "hosts.j2", "dest": .string(path("hosts"))])
        let r = try m.run(in: engineContext())
        XCTAssertTrue(r.changed, "\(r)")
        XCTAssertEqual(read(path("hosts")), "# debian\n10.0.0.1 pi1\n10.0.0.2 pi2\n")
        XCTAssertFalse(try m.run(in: engineContext()).changed)
    }

    func testAssertEvaluatesConditionsWithTheEngine() throws {
        let pass = try ModuleRegistry.make(AssertModule.self, arguments: [
            "that": ["ansible_distribution == 'Debian'", "ansible_memtotal_mb >= 1024", "nodes | length == 2"],
        ])
        XCTAssertFalse(try pass.run(in: engineContext()).failed)
        let fail = try ModuleRegistry.make(AssertModule.self, arguments: [
            "that": ["ansible_memtotal_mb > 4096"], "fail_msg": "needs 4 GiB",
        ])
        let r = try fail.run(in: engineContext())
        XCTAssertTrue(r.failed)
        XCTAssertEqual(r.message, "needs 4 GiB")
        let undefined = try ModuleRegistry.make(AssertModule.self, arguments: ["that": "no_such_var == 1"])
        XCTAssertTrue(try undefined.run(in: engineContext()).failed)
    }

    func testDebugVarAsAnExpression() throws {
        let m = try ModuleRegistry.make(DebugModule.self, arguments: ["var": "nodes | map(attribute='name') | join(',')"])
        let r = try m.run(in: engineContext())
        XCTAssertEqual(r.data["nodes | map(attribute='name') | join(',')"], "pi1,pi2")
        let path = try ModuleRegistry.make(DebugModule.self, arguments: ["var": "nodes[1].ip"])
        XCTAssertEqual(try path.run(in: engineContext()).data["nodes[1].ip"], "10.0.0.2")
    }
}
