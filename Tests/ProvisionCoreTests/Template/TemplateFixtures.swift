import XCTest
@testable import ProvisionCore

/// Variables shaped like what Ansible users have in a play: facts, groups, a registered result.
enum TemplateFixtures {
    static let vars: [String: Value] = [
        "ansible_facts": ["architecture": "armv7l", "distribution": "Debian", "distribution_version": "12"],
        "groups": ["managers": ["pi1", "pi2"], "workers": ["pc1"], "all": ["pi1", "pi2", "pc1"]],
        "inventory_hostname": "pi1",
        "result": ["changed": true, "failed": false, "rc": 0, "stdout": "ok\nline2", "stdout_lines": ["ok", "line2"]],
        "failed_result": ["changed": false, "failed": true, "rc": 1, "stderr": "boom"],
        "skipped_result": ["changed": false, "skipped": true],
        "loop_result": ["results": [["changed": false], ["changed": true]]],
        "users": [["name": "alice", "uid": 1001, "admin": true], ["name": "bob", "uid": 1002, "admin": false]],
        "version": "1.10",
        "count": 3,
        "ratio": .double(0.5),
        "empty": "",
        "nothing": nil,
        "flag": "false",
        "packages": ["git", "curl"],
        "config": ["a": 1, "b": ["c": 2]],
        "item": "pc1",
    ]

    static var scope: LayeredScope { LayeredScope([vars]) }

    static func eval(_ text: String, _ extra: [String: Value] = [:]) throws -> Value {
        try TemplateExpression(text).evaluate(in: LayeredScope([extra, vars]))
    }

    static func render(_ text: String, _ extra: [String: Value] = [:]) throws -> Value {
        try Template(text).render(in: LayeredScope([extra, vars]))
    }

    static func renderString(_ text: String, _ extra: [String: Value] = [:]) throws -> String {
        try Template(text).renderString(in: LayeredScope([extra, vars]))
    }

    /// The error `body` throws, as a TemplateError; fails the test when it throws none.
    static func error(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> TemplateError? {
        do {
            let v = try body()
            XCTFail("expected an error, got \(v)", file: file, line: line)
            return nil
        } catch let e as TemplateError {
            return e
        } catch {
            XCTFail("expected a TemplateError, got \(error)", file: file, line: line)
            return nil
        }
    }
}
