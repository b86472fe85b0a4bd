import XCTest
@testable import ProvisionCore

final class HostRangeTests: XCTestCase {
    func testForms() throws {
        XCTAssertEqual(try HostRange.expand("red[00:04]"), ["red00", "red01", "red02", "red03", "red04"])
        XCTAssertEqual(try HostRange.expand("node[1:3]"), ["node1", "node2", "node3"])
        XCTAssertEqual(try HostRange.expand("node[8:10]"), ["node8", "node9", "node10"])
        XCTAssertEqual(try HostRange.expand("[a:c]"), ["a", "b", "c"])
        XCTAssertEqual(try HostRange.expand("w[0:10:5]"), ["w0", "w5", "w10"])
        XCTAssertEqual(try HostRange.expand("r[1:2]n[a:b].lan"), ["r1na.lan", "r1nb.lan", "r2na.lan", "r2nb.lan"])
        XCTAssertEqual(try HostRange.expand("plain"), ["plain"])
        XCTAssertEqual(try HostRange.expand("n[:2]"), ["n0", "n1", "n2"])
    }

    func testProblemsNameTheirOffset() {
        func problem(_ s: String) -> HostRange.Problem? {
            do { _ = try HostRange.expand(s); return nil } catch { return error as? HostRange.Problem }
        }
        XCTAssertEqual(problem("red[4:1]")?.offset, 3)
        XCTAssertEqual(problem("red[1:x]")?.offset, 3)
        XCTAssertEqual(problem("red[01:100]")?.offset, 3)
        XCTAssertEqual(problem("red[1:5:0]")?.offset, 3)
        XCTAssertEqual(problem("red[1:5")?.offset, 3)
        XCTAssertEqual(problem("r[1:2]x[3:1]")?.offset, 7)
        XCTAssertEqual(problem("n[0:99999999]")?.message.contains("more than"), true)
        XCTAssertEqual(problem("n[aa:b]")?.offset, 1)
    }
}
