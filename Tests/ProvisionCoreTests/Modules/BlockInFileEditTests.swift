import XCTest
@testable import ProvisionCore

/// Expected texts were checked once against ansible-core 2.14.18's blockinfile on the same
/// input (append_newline/prepend_newline, added in 2.16, against its documented behaviour).
final class BlockInFileEditTests: XCTestCase {
    let begin = "# BEGIN ANSIBLE MANAGED BLOCK\n", end = "# END ANSIBLE MANAGED BLOCK\n"

    func testInsertsAtEOFThenIsIdempotent() throws {
        let edit = BlockInFileEdit(block: "x=1\ny=2")
        let first = try edit.apply("a\nb")
        XCTAssertEqual(first.text, "a\nb\n" + begin + "x=1\ny=2\n" + end)
        XCTAssertTrue(first.changed)
        XCTAssertEqual(first.message, "Block inserted")
        let second = try edit.apply(first.text)
        XCTAssertFalse(second.changed)
        XCTAssertEqual(second.text, first.text)
    }

    func testUpdatesTheBlockInPlace() throws {
        let original = "top\n" + begin + "old\n" + end + "bottom\n"
        let r = try BlockInFileEdit(block: "new1\nnew2\n").apply(original)
        XCTAssertEqual(r.text, "top\n" + begin + "new1\nnew2\n" + end + "bottom\n")
    }

    func testAbsentAndEmptyBlockRemoveIt() throws {
        let original = "top\n" + begin + "old\n" + end + "bottom\n"
        XCTAssertEqual(try BlockInFileEdit(block: "x", present: false).apply(original).text, "top\nbottom\n")
        let emptied = try BlockInFileEdit(block: "").apply(original)
        XCTAssertEqual(emptied.text, "top\nbottom\n")
        XCTAssertEqual(emptied.message, "Block removed")
        XCTAssertFalse(try BlockInFileEdit(block: "x", present: false).apply("nothing\n").changed)
    }

    func testInsertBeforeBOFAndAfterLastAnchorMatch() throws {
        XCTAssertEqual(try BlockInFileEdit(block: "b", insertBefore: "BOF").apply("x\n").text, begin + "b\n" + end + "x\n")
        let r = try BlockInFileEdit(block: "b", insertAfter: "^Host").apply("Host a\nHost b\nend\n")
        XCTAssertEqual(r.text, "Host a\nHost b\n" + begin + "b\n" + end + "end\n")
        let before = try BlockInFileEdit(block: "b", insertBefore: "^Host").apply("Host a\nHost b\n")
        XCTAssertEqual(before.text, "Host a\n" + begin + "b\n" + end + "Host b\n")
    }

    func testMissingFileIsCreatedAndCustomMarkers() throws {
        let edit = BlockInFileEdit(block: "k: v", marker: "<!-- {mark} managed -->", markerBegin: "START", markerEnd: "STOP")
        let r = try edit.apply(nil)
        XCTAssertEqual(r.text, "<!-- START managed -->\nk: v\n<!-- STOP managed -->\n")
        XCTAssertEqual(r.message, "File created")
    }

    func testNewlinesAroundTheBlock() throws {
        let r = try BlockInFileEdit(block: "b", insertBefore: "^end", appendNewline: true, prependNewline: true)
            .apply("start\nend\n")
        XCTAssertEqual(r.text, "start\n\n" + begin + "b\n" + end + "\nend\n")
    }
}
