import Foundation
import XCTest
@testable import ProvisionCore

final class ExecReportTests: XCTestCase {
    func ok(_ host: String, _ out: String, status: Int32 = 0) -> ExecResult {
        ExecResult(host: host, status: status == 0 ? .ok : .failed,
                   result: CommandResult(status: status, stdout: Data(out.utf8)), duration: 0.1)
    }

    func testBlocksFoldIdenticalResultsAndPutProblemsLast() {
        let results = [
            ExecResult(host: "pi9", status: .unreachable, error: "no route"),
            ok("red01", "a"), ok("red02", "b"), ok("red03", "a"), ok("red04", "x", status: 1),
            ExecResult(host: "pi8", status: .interrupted, error: "interrupted"),
            ExecResult(host: "pi7", status: .error, error: "timed out"),
            ok("red05", "a"),
        ]
        let blocks = ExecBlock.fold(results)
        XCTAssertEqual(blocks.map(\.nodeSet), ["red[01,03,05]", "red02", "red04", "pi7", "pi9", "pi8"])
        XCTAssertEqual(blocks.map(\.status), [.ok, .ok, .failed, .error, .unreachable, .interrupted])
    }

    func testSameOutputDifferentStatusStaysApart() {
        let blocks = ExecBlock.fold([ok("a1", "x"), ok("a2", "x", status: 2), ok("a3", "x", status: 2)])
        XCTAssertEqual(blocks.map(\.nodeSet), ["a1", "a[2-3]"])
    }

    func testExitCodes() {
        func code(_ statuses: [ExecResult.Status], interrupted: Bool = false) -> Int32 {
            ExecSummary(results: statuses.enumerated().map { ExecResult(host: "h\($0.offset)", status: $0.element) },
                        duration: 0, interrupted: interrupted).exitCode
        }
        XCTAssertEqual(code([.ok, .ok]), 0)
        XCTAssertEqual(code([.ok, .failed]), 2)
        XCTAssertEqual(code([.ok, .error]), 2)
        XCTAssertEqual(code([.unreachable]), 4)
        XCTAssertEqual(code([.failed, .unreachable]), 6)
        XCTAssertEqual(code([.ok, .interrupted], interrupted: true), 130)
    }

    func testJSONLineEscapesAndHasEveryField() {
        let r = ExecResult(host: "h\"1", status: .failed,
                           result: CommandResult(status: 1, stdout: Data("a\tb\n".utf8), stderr: Data("\u{1}".utf8)),
                           duration: 1.5)
        let line = ExecJSONReporter.line(r)
        XCTAssertEqual(line, #"{"host":"h\"1","status":"failed","rc":1,"stdout":"a\tb\n","stderr":"\u0001","duration":1.500,"error":null}"#)
        XCTAssertNotNil(Value(jsonText: line))
    }

    func testColoursOnlyWhenEnabled() {
        let summary = ExecSummary(results: [ok("a", "x")], duration: 0, interrupted: false)
        XCTAssertFalse(ExecConsoleReporter.render(summary).contains("\u{1B}["))
        XCTAssertTrue(ExecConsoleReporter.render(summary, style: TerminalStyle(enabled: true)).contains("\u{1B}[32m"))
        XCTAssertFalse(TerminalStyle.detect(fileDescriptor: 1, environment: ["NO_COLOR": "1"]).enabled)
    }
}

final class ExecProgressReporterTests: XCTestCase {
    func testCountsAndErasesItsLine() {
        let buffer = TextBuffer()
        let p = ExecProgressReporter(output: buffer.output, total: 3)
        p.handle(.commandFinished(ExecResult(host: "a", status: .ok)))
        p.handle(.commandFinished(ExecResult(host: "b", status: .unreachable)))
        p.handle(.execFinished(ExecSummary(results: [], duration: 0, interrupted: false)))
        XCTAssertEqual(buffer.contents, "\r\u{1B}[K1/3 hosts done\r\u{1B}[K2/3 hosts done, 1 not ok\r\u{1B}[K")
    }
}
