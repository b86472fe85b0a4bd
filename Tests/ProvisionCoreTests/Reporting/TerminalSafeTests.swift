import XCTest
@testable import ProvisionCore

final class TerminalSafeTests: XCTestCase {
    func testControlsAndEscapesAreShownNotInterpreted() {
        XCTAssertEqual(TerminalSafe.escape("a\u{1B}]0;title\u{07}b\u{1B}[2Jc\r\n\td"), "a\\x1b]0;title\\x07b\\x1b[2Jc\\r\n\td")
        XCTAssertEqual(TerminalSafe.escape("\u{0}\u{7F}\u{9B}31m\u{202E}x"), "\\x00\\x7f\\x9b31m\\u202ex")
        XCTAssertEqual(TerminalSafe.escape("plain ünïcode ✓"), "plain ünïcode ✓")
    }

    func testExecReportEscapesHostOutput() {
        let r = ExecResult(host: "h", status: .ok, result: CommandResult(status: 0, stdout: Data("x\u{1B}[2J\n".utf8),
                                                                         stderr: Data("\u{1B}]0;t\u{07}".utf8)))
        let text = ExecConsoleReporter.render(ExecSummary(results: [r], duration: 0, interrupted: false))
        XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, text)
        XCTAssertTrue(text.contains("x\\x1b[2J\n"), text)
    }
}
