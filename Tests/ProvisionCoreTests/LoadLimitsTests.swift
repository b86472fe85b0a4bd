import XCTest
@testable import ProvisionCore

/// Hostile inputs stopped at load with a clear error naming the limit and how to raise it, and
/// load time near-linear in the input.
final class LoadLimitsTests: XCTestCase {
    func testAliasBytesBombIsRefusedNamingTheLimit() {
        // 100,000 aliases of one 10 KB string: few nodes, but a gigabyte once expanded.
        let big = String(repeating: "x", count: 10_000)
        var text = "a: &a \"\(big)\"\nlist:\n"
        text += String(repeating: "  - *a\n", count: 100_000)
        let start = Date()
        XCTAssertThrowsError(try YAMLFile.parse(text, file: "bomb.yml")) { e in
            let d = (e as? LoadError)?.diagnostics.first
            XCTAssertEqual(d?.location.file, "bomb.yml")
            XCTAssertTrue(d?.message.contains("more than \(YAMLFile.maxExpandedBytes) bytes") ?? false, "\(String(describing: d))")
            XCTAssertTrue(d?.hint?.contains("PROVISION_MAX_YAML_BYTES") ?? false)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }

    func testNestedAliasBombIsRefused() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        XCTAssertThrowsError(try YAMLFile.parse(text, file: "laughs.yml")) { e in
            XCTAssertTrue((e as? LoadError)?.diagnostics.first?.message.contains("nodes") ?? false, "\(e)")
        }
    }

    func testDeepNestingIsRefusedWithAPlainMessage() {
        let text = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        XCTAssertThrowsError(try YAMLFile.parse(text, file: "deep.yml")) { e in
            let d = (e as? LoadError)?.diagnostics.first
            XCTAssertTrue(d?.message.contains("nested deeper than 1000") ?? false, "\(String(describing: d))")
        }
    }

    func testRangeBombIsRefusedAtTheTotalHostLimit() {
        // 200 ranges of 65,536 hosts each: every range is within its own cap.
        var text = "all:\n  hosts:\n"
        for i in 0..<200 { text += "    r\(i)-[0:65535]:\n" }
        let start = Date()
        XCTAssertThrowsError(try InventoryLoader().parse(text, file: "ranges.yml")) { e in
            let d = (e as? LoadError)?.diagnostics.first { $0.message.contains("more than") }
            XCTAssertTrue(d?.message.contains("more than \(InventoryLoader.maxTotalHosts) hosts") ?? false, "\(e)")
            XCTAssertTrue(d?.hint?.contains("PROVISION_MAX_HOSTS") ?? false)
            XCTAssertEqual(d?.location.file, "ranges.yml")
            XCTAssertGreaterThan(d?.location.line ?? 0, 1)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
    }

    func testLongChildrenChainLoadsInNearLinearTime() throws {
        // The flat form Ansible accepts for long chains: every group at the top with one child.
        func flat(_ n: Int) -> String {
            var s = "all:\n  hosts:\n    h0:\n"
            for i in 0..<n {
                s += "g\(i):\n  children:\n    g\(i + 1):\n"
            }
            s += "g\(n):\n  hosts:\n    h1:\n"
            return s
        }
        func time(_ n: Int) throws -> TimeInterval {
            let start = Date()
            let inventory = try InventoryLoader().parse(flat(n), file: "chain.yml")
            XCTAssertNotNil(inventory.host(named: "h1"))
            return Date().timeIntervalSince(start)
        }
        let small = try time(2_000)
        let large = try time(20_000)
        // Ten times the groups: near-linear is ~10x; quadratic would be ~100x.
        XCTAssertLessThan(large, max(small * 30, 3), "2,000 groups: \(small)s, 20,000 groups: \(large)s")
    }
}
