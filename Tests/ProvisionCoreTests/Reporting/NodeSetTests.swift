import XCTest
@testable import ProvisionCore

final class NodeSetTests: XCTestCase {
    func testFoldsRangesKeepingPadding() {
        XCTAssertEqual(NodeSet.fold(["red01", "red02", "red03", "red05"]), "red[01-03,05]")
        XCTAssertEqual(NodeSet.fold(["red05", "red01", "red03", "red02"]), "red[01-03,05]")
        XCTAssertEqual(NodeSet.fold(["node1", "node2", "node10"]), "node[1-2,10]")
        XCTAssertEqual(NodeSet.fold(["red08", "red09", "red10"]), "red[08-10]")
        XCTAssertEqual(NodeSet.fold(["red1", "red01"]), "red1,red01")
    }

    func testSingletonsAndPlainNames() {
        XCTAssertEqual(NodeSet.fold(["red01"]), "red01")
        XCTAssertEqual(NodeSet.fold(["alpha", "beta"]), "alpha,beta")
        XCTAssertEqual(NodeSet.fold(["red01", "red01"]), "red01")
        XCTAssertEqual(NodeSet.fold([]), "")
    }

    func testSeveralPrefixesAndSuffixes() {
        XCTAssertEqual(NodeSet.fold(["red01", "blue1", "red02", "blue2", "gw"]), "red[01-02],blue[1-2],gw")
        XCTAssertEqual(NodeSet.fold(["n1.lan", "n2.lan", "n3.lab"]), "n[1-2].lan,n3.lab")
        XCTAssertEqual(NodeSet.fold(["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.9"]), "127.0.0.[2-4,9]")
        XCTAssertEqual(NodeSet.fold(["r1n1", "r1n2", "r2n1"]), "r1n[1-2],r2n1")
    }

    func testManyHostsFoldInOneRange() {
        let names = (1...1000).map { String(format: "node%04d", $0) }
        XCTAssertEqual(NodeSet.fold(names.shuffled()), "node[0001-1000]")
    }
}
