import Foundation
import XCTest
import ProvisionCore

/// Differential test: `provision hosts --list` against `ansible-inventory --list` (the
/// reference) on every case under `ProvisionCoreTests/Fixtures/inventory/compat/`: INI and YAML,
/// ranges, children, group_vars/host_vars, directories and several `-i`. Each case directory
/// holds an `args` file with its inventory sources (and options such as `--playbook-dir=DIR`); both tools run in that directory and their
/// JSON is compared as values; for the cases with nested groups, `--graph` is compared as text.
final class InventoryCompatTests: XCTestCase {
    static let ansibleInventory = "/usr/bin/ansible-inventory"
    /// Cases whose `--graph` is compared as well.
    static let graphCases = ["children", "toplevel", "directory", "ungrouped", "explicit-all", "several"]

    static var casesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ProvisionCoreTests/Fixtures/inventory/compat").path
    }

    func testHostsListEqualsAnsibleInventoryList() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.ansibleInventory) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("ansible-inventory is required under CI (scripts/test installs Debian's ansible)")
                return
            }
            throw XCTSkip("ansible-inventory is not installed")
        }
        let binary = try ProvisionBinary.locate()
        let cases = try FileManager.default.contentsOfDirectory(atPath: Self.casesDirectory).sorted()
        XCTAssertGreaterThanOrEqual(cases.count, 20)
        let results = LockedResults()
        // ansible-inventory takes about a second to start: run a few cases at once.
        DispatchQueue.concurrentPerform(iterations: cases.count) { i in
            let dir = Self.casesDirectory + "/" + cases[i]
            do {
                let sources = try String(contentsOfFile: dir + "/args", encoding: .utf8)
                    .split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
                // Words starting with '-' are options for both tools (`--playbook-dir=DIR`).
                let args = sources.flatMap { $0.hasPrefix("-") ? [$0] : ["-i", $0] } + ["--list"]
                let mine = try binary.run(["hosts"] + args, in: dir)
                let theirs = try Self.runAnsible(args, in: dir)
                results.add(cases[i], mine: mine, theirs: theirs)
                // The tree too, where groups nest (ansible-inventory is slow to start: not all).
                if Self.graphCases.contains(where: cases[i].contains) {
                    let graphArgs = sources.flatMap { $0.hasPrefix("-") ? [$0] : ["-i", $0] } + ["--graph"]
                    let myGraph = try binary.run(["hosts"] + graphArgs, in: dir)
                    let theirGraph = try Self.runAnsible(graphArgs, in: dir)
                    if myGraph.stdout != theirGraph.stdout + "\n" && myGraph.stdout != theirGraph.stdout {
                        results.fail(cases[i], "--graph differs:\nprovision:\n\(myGraph.stdout)\nansible:\n\(theirGraph.stdout)")
                    }
                }
            } catch {
                results.fail(cases[i], "\(error)")
            }
        }
        for (name, problem) in results.problems.sorted(by: { $0.0 < $1.0 }) { XCTFail("\(name): \(problem)") }
    }

    /// ansible-inventory in a clean environment, reading no ansible.cfg.
    static func runAnsible(_ args: [String], in dir: String) throws -> ProvisionBinary.Output {
        try ProvisionBinary(url: URL(fileURLWithPath: ansibleInventory))
            .run(args, in: dir, environment: ["ANSIBLE_CONFIG": dir + "/no-such-ansible.cfg"])
    }

    /// Python compares 1000.0 and 1000 as equal; secrets are masked by provision.
    static func normalized(_ v: Value, key: String? = nil) -> Value {
        if let key, ConnectionKey.isSecret(key), v != .null { return .string("********") }
        switch v {
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: return .int(Int(d))
        case .list(let items): return .list(items.map { normalized($0) })
        case .dict(let d): return .dict(Dictionary(uniqueKeysWithValues: d.map { ($0.key, normalized($0.value, key: $0.key)) }))
        default: return v
        }
    }
}

/// Results of the concurrently run cases.
final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var problems: [(String, String)] = []

    func fail(_ name: String, _ message: String) {
        lock.lock()
        problems.append((name, message))
        lock.unlock()
    }

    func add(_ name: String, mine: ProvisionBinary.Output, theirs: ProvisionBinary.Output) {
        guard theirs.status == 0, let reference = Value(jsonText: theirs.stdout) else {
            return fail(name, "ansible-inventory failed (\(theirs.status)): \(theirs.stderr)")
        }
        guard mine.status == 0, let ours = Value(jsonText: mine.stdout) else {
            return fail(name, "provision hosts --list failed (\(mine.status)): \(mine.stderr)\(mine.stdout)")
        }
        let a = InventoryCompatTests.normalized(ours), b = InventoryCompatTests.normalized(reference)
        if a != b { fail(name, "differs from ansible-inventory:\nprovision: \(a.jsonString)\nansible:   \(b.jsonString)") }
    }
}
