import Foundation
import XCTest
@testable import ProvisionCore

/// The pieces around the executor: batches, tag selection, -e parsing, redaction, folding,
/// and the live progress line.
final class ExecutorPartsTests: XCTestCase {
    func testBatchesFollowSerialWithTheLastSizeRepeating() {
        let hosts = (1...7).map { "h\($0)" }
        XCTAssertEqual(BatchSize.batches(hosts, sizes: []).map(\.count), [7])
        XCTAssertEqual(BatchSize.batches(hosts, sizes: [.count(2)]).map(\.count), [2, 2, 2, 1])
        XCTAssertEqual(BatchSize.batches(hosts, sizes: [.count(1), .percent(50)]).map(\.count), [1, 3, 3])
        XCTAssertEqual(BatchSize.batches(hosts, sizes: [.percent(10)]).map(\.count), [1, 1, 1, 1, 1, 1, 1],
                       "a percentage below one host still runs one")
        XCTAssertEqual(BatchSize.batches([String](), sizes: [.count(2)]).count, 0)
    }

    func testTagSelectionAsAnsibleDoesIt() {
        func sel(_ t: Set<String>, _ tags: Set<String> = [], _ skip: Set<String> = []) -> Bool {
            PlaybookExecutor.tagsSelect(t, tags: tags, skip: skip)
        }
        XCTAssertTrue(sel([]))
        XCTAssertFalse(sel(["never"]))
        XCTAssertTrue(sel(["never", "debug"], ["debug"]))
        XCTAssertTrue(sel(["always"], ["web"]))
        XCTAssertFalse(sel(["always"], [], ["always"]))
        XCTAssertFalse(sel([], ["web"]))
        XCTAssertTrue(sel([], ["untagged"]))
        XCTAssertTrue(sel(["x"], ["tagged"]))
        XCTAssertFalse(sel(["web", "db"], ["web"], ["db"]), "skip wins")
    }

    func testExtraVarsFromPairsInlineMappingsAndFiles() throws {
        let dir = NSTemporaryDirectory() + "ev-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "a: 1\nlist: [x, y]\n".write(toFile: dir + "/v.yml", atomically: true, encoding: .utf8)
        let v = try ExtraVars.parse(["@\(dir)/v.yml", "b=two c='three words'", #"{"a": 5, "d": true}"#])
        XCTAssertEqual(v, ["a": 5, "list": ["x", "y"], "b": "two", "c": "three words", "d": true])
        XCTAssertThrowsError(try ExtraVars.parse(["novalue", "@\(dir)/missing.yml"])) { e in
            XCTAssertEqual((e as? LoadError)?.diagnostics.count, 2, "\(e)")
        }
    }

    func testRedactorMasksSecretsLongestFirstAndIgnoresShortStrings() {
        let r = SecretRedactor()
        r.add("abc")
        r.add(Secret("hunter22"))
        r.add("hunter22-extended")
        r.addSecretVariables(["db_password": "Pw-1234", "name": "visible-name", "key_file": "/etc/k"])
        XCTAssertEqual(r.redact("abc hunter22 hunter22-extended Pw-1234 visible-name /etc/k"),
                       "abc ******** ******** ******** visible-name /etc/k")
    }

    func testOutcomesFoldByStatusAndMessage() {
        let rs = [
            TaskHostResult(host: "red02", status: .ok, message: "path red02"),
            TaskHostResult(host: "red01", status: .ok, message: "path red01"),
            TaskHostResult(host: "red03", status: .failed, message: "boom", outputTail: "last"),
            TaskHostResult(host: "red00", status: .changed),
            TaskHostResult(host: "red04", status: .failed, message: "boom", outputTail: "last"),
        ]
        let g = RunOutcomeGroup.fold(rs, showMessages: false)
        XCTAssertEqual(g.map(\.status), [.ok, .changed, .failed])
        XCTAssertEqual(g.map { NodeSet.fold($0.hosts) }, ["red[01-02]", "red00", "red[03-04]"])
        XCTAssertEqual(g[2].message, "boom")
        XCTAssertEqual(RunOutcomeGroup.fold(rs, showMessages: true).count, 4)
    }

    func testLiveLineShowsRunningHostsAndIsErasedBeforeOutput() throws {
        let buffer = TextBuffer()
        let reporter = RunConsoleReporter(output: buffer.output, style: TerminalStyle(enabled: false),
                                          redactor: SecretRedactor(), live: true)
        let info = TaskInfo(name: "slow task", module: "command", location: SourceLocation(file: "p.yml", line: 3),
                            hosts: ["red01", "red02", "red03"])
        reporter.handle(.playbook(.taskStarted(info)))
        for h in info.hosts { reporter.handle(.playbook(.hostStarted(host: h))) }
        reporter.handle(.playbook(.hostFinished(info, TaskHostResult(host: "red02", status: .ok))))
        let deadline = Date().addingTimeInterval(10)
        while !buffer.contents.contains("running slow task: red[01,03]"), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertTrue(buffer.contents.contains("running slow task: red[01,03]"), buffer.contents)
        reporter.handle(.playbook(.taskFinished(info, info.hosts.map { TaskHostResult(host: $0, status: .ok) })))
        XCTAssertTrue(buffer.contents.hasSuffix("\r\u{1B}[KTASK [slow task]\n  ok: red[01-03]\n"), buffer.contents)
    }

    func testModuleWarningsShowAtDefaultVerbosityFoldedByNodeSet() {
        let reporter = RunConsoleReporter(output: TextBuffer().output, style: TerminalStyle(enabled: false),
                                          redactor: SecretRedactor(), live: false)
        let info = TaskInfo(name: "daemon", module: "docker_daemon", location: SourceLocation(file: "p.yml", line: 3),
                            hosts: ["red01", "red02", "red03"])
        let w = "dockerd listens on tcp://0.0.0.0:2375 without TLS"
        let text = reporter.render(info, [TaskHostResult(host: "red01", status: .changed, warnings: [w]),
                                          TaskHostResult(host: "red02", status: .changed, warnings: [w]),
                                          TaskHostResult(host: "red03", status: .ok)])
        XCTAssertTrue(text.contains("warning: red[01-02]: \(w)"), text)
    }
}
