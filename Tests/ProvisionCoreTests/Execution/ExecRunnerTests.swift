import Foundation
import XCTest
@testable import ProvisionCore

final class ExecRunnerTests: XCTestCase {
    func testRunsTheCommandAndReportsEachHostOnceAndTheSummary() {
        let names = ["red01", "red02", "red03", "red04", "red05", "bad1"]
        let json = TextBuffer()
        let console = TextBuffer()
        let events = ReporterQueue([ExecJSONReporter(output: json.output),
                                    ExecConsoleReporter(output: console.output, style: TerminalStyle(enabled: false))])
        let pool = HostPool(targets: names.map { ConnectionTarget(name: $0) },
                            factory: FaultyFactory(unreachable: ["bad1"]), forks: 4, events: events)
        let summary = ExecRunner(pool: pool, events: events).run(on: names) { host in
            RemoteCommand(host == "red04" ? "echo oops >&2; exit 3" : "echo same")
        }
        events.flush()
        XCTAssertEqual(summary.results.map(\.host), names)
        XCTAssertEqual(summary.results.map(\.status), [.ok, .ok, .ok, .failed, .ok, .unreachable])
        XCTAssertEqual(summary.exitCode, 6)

        let lines = json.contents.split(separator: "\n")
        XCTAssertEqual(lines.count, names.count)
        let objects = lines.compactMap { Value(jsonText: String($0)) }
        XCTAssertEqual(Set(objects.compactMap { $0["host"]?.stringValue }), Set(names))
        let red04 = objects.first { $0["host"] == "red04" }
        XCTAssertEqual(red04?["status"], "failed")
        XCTAssertEqual(red04?["rc"], 3)
        XCTAssertEqual(red04?["stderr"], "oops\n")
        XCTAssertEqual(objects.first { $0["host"] == "bad1" }?["error"], "connection refused (injected)")

        let text = console.contents
        XCTAssertTrue(text.hasPrefix("""
        ---------------
        red[01-03,05] (4)
        ---------------
        same
        ---------------
        red04 (1) exit status 3
        ---------------
        [stderr]
        oops
        ---------------
        bad1 (1) unreachable: connection refused (injected)
        ---------------
        6 hosts: 4 ok, 1 failed, 1 unreachable (
        """), text)
    }
}
