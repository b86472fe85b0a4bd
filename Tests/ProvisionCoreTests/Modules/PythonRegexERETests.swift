import Foundation
import XCTest
@testable import ProvisionCore

/// The Python → POSIX ERE translation, checked by running the result through this machine's
/// `grep -E` on lines whose Python `re.search` outcome is written in the table (each was
/// confirmed with python3 when the table was written; `testTableAgreesWithPython` re-checks it
/// where python3 is installed).
final class PythonRegexERETests: XCTestCase {
    struct Case {
        var python: String
        var matching: [String]
        var notMatching: [String]
    }

    static let cases: [Case] = [
        Case(python: #"port=(\d+)"#, matching: ["listen port=8080 ok"], notMatching: ["port=x", "port="]),
        Case(python: #"^\s*server\s+\S+$"#, matching: ["  server a.example", "server\tb"], notMatching: ["server", "xserver a"]),
        Case(python: #"\w+@\w+\.com"#, matching: ["mail bob_1@ex.com now"], notMatching: ["@ex.com", "bob@ex-com"]),
        Case(python: #"(?:ab)+c"#, matching: ["xababc"], notMatching: ["ac", "abab"]),
        Case(python: #"(?P<k>key)=(?P<v>\d{2,})"#, matching: ["key=42"], notMatching: ["key=4"]),
        Case(python: #"a{,2}b"#, matching: ["b", "aab"], notMatching: ["c"]),
        Case(python: #"x{y}"#, matching: ["x{y}"], notMatching: ["xy"]),
        Case(python: #"[\d.]+%"#, matching: ["use 12.5%"], notMatching: ["use %"]),
        Case(python: #"[^\s#]+="#, matching: ["  a=1"], notMatching: ["# ="]),
        Case(python: #"[]a]z"#, matching: ["]z", "az"], notMatching: ["bz"]),
        Case(python: #"[a\-]z"#, matching: ["-z", "az"], notMatching: ["bz"]),
        Case(python: #"[\^a]q"#, matching: ["^q"], notMatching: ["bq"]),
        Case(python: #"\.conf\b"#, matching: ["a.conf here"], notMatching: ["a.config", "aconf"]),
        Case(python: #"(?i)ready"#, matching: ["READY now"], notMatching: ["rdy"]),
        Case(python: #"started.*?done"#, matching: ["started x done"], notMatching: ["done started"]),
        Case(python: #"\/var\/log"#, matching: ["/var/log/syslog"], notMatching: ["/var/lib"]),
        Case(python: #"\x41B"#, matching: ["xAB"], notMatching: ["ab"]),
        Case(python: #"a|b\d"#, matching: ["a", "b1"], notMatching: ["b", "c2"]),
        Case(python: #"\Aroot:"#, matching: ["root:x:0"], notMatching: ["xroot:"]),
        Case(python: #"tab\there"#, matching: ["tab\there"], notMatching: ["tab here"]),
    ]

    func grep(_ ere: POSIXExtendedRegex, _ line: String) throws -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/grep")
        p.arguments = ["-Eq"] + (ere.caseInsensitive ? ["-i"] : []) + ["--", ere.pattern]
        let input = Pipe()
        p.standardInput = input
        try p.run()
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        XCTAssertLessThan(p.terminationStatus, 2, "grep -E rejected \(ere.pattern)")
        return p.terminationStatus == 0
    }

    func testTranslationsMatchLikePython() throws {
        for c in Self.cases {
            let ere = try POSIXExtendedRegex(python: c.python)
            for line in c.matching {
                XCTAssertTrue(try grep(ere, line), "\(c.python) → \(ere.pattern) should match '\(line)'")
            }
            for line in c.notMatching {
                XCTAssertFalse(try grep(ere, line), "\(c.python) → \(ere.pattern) should not match '\(line)'")
            }
        }
    }

    func testTableAgreesWithPython() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            throw XCTSkip("python3 is not installed")
        }
        var lines: [String] = []
        for c in Self.cases {
            for l in c.matching { lines.append(try json([c.python, l, true])) }
            for l in c.notMatching { lines.append(try json([c.python, l, false])) }
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", """
            import json, re, sys
            bad = [l for l in sys.stdin if (re.search(json.loads(l)[0], json.loads(l)[1], re.M) is not None) != json.loads(l)[2]]
            print("".join(bad), end="")
            """]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(lines.joined(separator: "\n").utf8 + [10]))
        try input.fileHandleForWriting.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(out, "", "table rows Python disagrees with")
    }

    private func json(_ v: [Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: v), as: UTF8.self)
    }

    func testUntranslatableConstructsAreRefusedByName() {
        let refused: [(String, String)] = [
            (#"foo(?=bar)"#, "lookahead"), (#"(?<!x)y"#, "lookbehind"), (#"(a)\1"#, "backreference"),
            (#"(?P<n>a)(?P=n)"#, "backreference"), (#"a\nb"#, "across lines"), (#"(?x) a b"#, "verbose"),
            (#"[\S]"#, "negated class"), (#"a(?i)b"#, "inline flags"), (#"(?>a)"#, "atomic"),
        ]
        for (pattern, word) in refused {
            XCTAssertThrowsError(try POSIXExtendedRegex(python: pattern), pattern) { error in
                XCTAssertTrue("\(error)".contains(word), "\(pattern): \(error)")
            }
        }
        XCTAssertThrowsError(try POSIXExtendedRegex(python: "a*?", use: .substitution))
        XCTAssertThrowsError(try POSIXExtendedRegex(python: "*a"))
    }

    func testWaitForSearchRegexWithDigitClassOnAHost() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pv-ere-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/app.log"
        try "starting\nlistening on port=8125\n".write(toFile: log, atomically: true, encoding: .utf8)
        let transport = LocalTransport(hostName: "local", defaultTimeout: 30)
        let ctx = HostContext(host: "local", transport: transport)
        let found = try ModuleRegistry.make(WaitForModule.self, arguments: [
            "path": .string(log), "search_regex": #"port=(\d+)"#, "timeout": 5,
        ]).run(in: ctx)
        XCTAssertFalse(found.failed, found.message ?? "")
        let missing = try ModuleRegistry.make(WaitForModule.self, arguments: [
            "path": .string(log), "search_regex": #"port=(\d+)x"#, "timeout": 1,
        ]).run(in: ctx)
        XCTAssertTrue(missing.failed)
        XCTAssertThrowsError(try ModuleRegistry.make(WaitForModule.self, arguments: [
            "path": .string(log), "search_regex": #"(?<=port=)\d+"#,
        ]))
    }
}
