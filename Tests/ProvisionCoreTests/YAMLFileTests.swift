import XCTest
@testable import ProvisionCore

final class YAMLFileTests: XCTestCase {
    func testScalarsKeepWhatTheUserWrote() throws {
        let node = try XCTUnwrap(YAMLFile.parse("""
        a: 1.10
        b: "yes"
        c: yes
        d: 42
        e: ~
        f: [x, 'y']
        """, file: "t.yml"))
        let v = try YAMLFile.value(of: node, file: "t.yml")
        XCTAssertEqual(v["a"], .double(1.1))  // PyYAML: a plain 1.10 is a float
        XCTAssertEqual(v["b"], .string("yes"))
        XCTAssertEqual(v["c"], .bool(true))
        XCTAssertEqual(v["d"], .int(42))
        XCTAssertEqual(v["e"], .null)
        XCTAssertEqual(v["f"], .list(["x", "y"]))
    }

    func testDuplicateKeyNamesTheSecondOccurrence() {
        XCTAssertThrowsError(try YAMLFile.parse("all:\n  hosts:\n    a: {}\n  hosts:\n    b: {}\n", file: "inv.yml")) { e in
            let d = (e as? LoadError)?.diagnostics.first
            XCTAssertEqual(d?.location.file, "inv.yml")
            XCTAssertEqual(d?.location.line, 4)
            XCTAssertEqual(d?.location.column, 3)
            XCTAssertTrue(d?.message.contains("duplicate key 'hosts'") ?? false, "\(String(describing: d))")
        }
    }

    func testSyntaxErrorHasPosition() {
        XCTAssertThrowsError(try YAMLFile.parse("a: [1, 2\nb: 3\n", file: "x.yml")) { e in
            let d = (e as? LoadError)?.diagnostics.first
            XCTAssertEqual(d?.location.file, "x.yml")
            XCTAssertGreaterThan(d?.location.line ?? 0, 0)
        }
    }

    func testAliasBombIsCapped() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...8 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i-1)", count: 10).joined(separator: ", ") + "]\n" }
        XCTAssertThrowsError(try {
            // Refused when parsed (the expanded size is checked there) or when converted.
            guard let node = try YAMLFile.parse(yaml, file: "bomb.yml") else { return }
            _ = try YAMLFile.value(of: node, file: "bomb.yml")
        }())
    }

    func testSecretNeverPrints() {
        let s = Secret("hunter2")
        XCTAssertFalse("\(s)".contains("hunter2"))
        XCTAssertFalse(String(reflecting: s).contains("hunter2"))
        var dumped = ""
        dump(s, to: &dumped)
        XCTAssertFalse(dumped.contains("hunter2"))
    }
}
