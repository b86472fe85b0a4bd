import Foundation
import XCTest
import ProvisionCore

/// Differential test of host patterns: `provision run --list-hosts` against `ansible-playbook
/// --list-hosts` (the reference) on one playbook whose plays use subscripts (`g[0]`, `g[1:]`,
/// `g[-1]`, `g[0:2]`, `g[2:0]`), `~regex`, globs, comma-separated strings, `&` and `!`, with and
/// without `--limit`. Each play's hosts are compared as sets (Ansible's listing order is not
/// stable; which hosts a subscript picks is).
final class PatternCompatTests: XCTestCase {
    static var directory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ProvisionCoreTests/Fixtures/inventory/patterns").path
    }

    func testPlayPatternsSelectWhatAnsibleSelects() throws {
        let ansible = "/usr/bin/ansible-playbook"
        guard FileManager.default.isExecutableFile(atPath: ansible) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("ansible-playbook is required under CI (scripts/test installs Debian's ansible)")
                return
            }
            throw XCTSkip("ansible-playbook is not installed")
        }
        let binary = try ProvisionBinary.locate()
        let reference = ProvisionBinary(url: URL(fileURLWithPath: ansible))
        let env = ["ANSIBLE_CONFIG": Self.directory + "/no-such-ansible.cfg"]
        for extra in [[], ["-l", "all:!m1"], ["--limit", "cluster, web01.example.com"]] {
            let args = ["site.yml", "-i", "hosts", "--list-hosts"] + extra
            let theirs = try reference.run(args, in: Self.directory, environment: env)
            let mine = try binary.run(["run"] + args, in: Self.directory)
            XCTAssertEqual(theirs.status, 0, theirs.stderr)
            XCTAssertEqual(mine.status, 0, mine.stderr)
            let expected = Self.plays(theirs.stdout), got = Self.plays(mine.stdout)
            XCTAssertEqual(expected.count, 30, theirs.stdout)
            for (play, hosts) in expected.sorted(by: { $0.key < $1.key }) {
                XCTAssertEqual(got[play], hosts, "play \(play) with \(extra)")
            }
            XCTAssertEqual(Self.unmatched(mine.stderr), Self.unmatched(theirs.stderr), "pattern warnings with \(extra)")
        }
    }

    /// Two `-i` directories each with group_vars: the same variables as ansible-inventory;
    /// every listing mode and --syntax-check warn about the same unmatched names and stop on
    /// a subscript past the end, as ansible-playbook does.
    func testSeveralInventoriesAndPatternWarnings() throws {
        let ansible = "/usr/bin/ansible-playbook"
        guard FileManager.default.isExecutableFile(atPath: ansible) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("ansible-playbook is required under CI"); return }
            throw XCTSkip("ansible-playbook is not installed")
        }
        let dir = NSTemporaryDirectory() + "provision-multi-i-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = [
            "i1/hosts": "[web]\nh1\nh2\n[db]\nh2\n", "i2/hosts": "[web]\nh3\n[db]\nh1\n",
            "i1/group_vars/all.yml": "x: i1-all\ny: i1-all\n", "i1/group_vars/web.yml": "x: i1-web\nz: i1-web\n",
            "i2/group_vars/all.yml": "x: i2-all\nw: i2-all\n", "i2/group_vars/web.yml": "z: i2-web\n",
            "i2/group_vars/db.yml": "y: i2-db\n", "i1/host_vars/h1.yml": "w: i1-h1\n",
            "ok.yml": "- hosts: nosuch\n  tasks: []\n- hosts: web:!db:nope\n  tasks: []\n",
            "bad.yml": "- hosts: nosuch\n  tasks: []\n- hosts: web[5]\n  tasks: []\n",
        ]
        for (path, text) in files {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        let binary = try ProvisionBinary.locate()
        let env = ["ANSIBLE_CONFIG": dir + "/none.cfg"]
        let inventory = ProvisionBinary(url: URL(fileURLWithPath: "/usr/bin/ansible-inventory"))
        let theirVars = try inventory.run(["-i", "i1", "-i", "i2", "--list", "--vars"], in: dir, environment: env)
        let myVars = try binary.run(["hosts", "-i", "i1", "-i", "i2", "--list", "--vars"], in: dir)
        XCTAssertEqual(Value(jsonText: myVars.stdout), Value(jsonText: theirVars.stdout), myVars.stdout + myVars.stderr)
        let reference = ProvisionBinary(url: URL(fileURLWithPath: ansible))
        for book in ["ok.yml", "bad.yml"] {
            for mode in ["--list-hosts", "--list-tasks", "--syntax-check"] {
                let args = [book, "-i", "i1", "-i", "i2", mode]
                let theirs = try reference.run(args, in: dir, environment: env)
                let mine = try binary.run(["run"] + args, in: dir)
                XCTAssertEqual(mine.status, theirs.status, "\(book) \(mode): " + mine.stderr)
                XCTAssertEqual(Self.unmatched(mine.stderr), Self.unmatched(theirs.stderr), "\(book) \(mode)")
                XCTAssertEqual(mine.stderr.contains("subscripted pattern 'web[5]'"), theirs.stderr.contains("subscripted pattern 'web[5]'"))
            }
        }
    }

    /// The names of "Could not match supplied host pattern, ignoring: NAME" warnings.
    static func unmatched(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").compactMap { line in
            line.range(of: "Could not match supplied host pattern, ignoring: ").map { String(line[$0.upperBound...]) }
        }
    }

    /// Play number → its listed hosts, from `--list-hosts` output.
    static func plays(_ text: String) -> [Int: Set<String>] {
        var out: [Int: Set<String>] = [:]
        var current: Int?
        var inHosts = false
        for line in text.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("play #"), let n = Int(t.dropFirst(6).prefix { $0.isNumber }) {
                current = n
                out[n] = []
                inHosts = false
            } else if t.hasPrefix("hosts (") {
                inHosts = true
            } else if inHosts, let c = current, line.hasPrefix("      ") {
                out[c]?.insert(t)
            } else {
                inHosts = false
            }
        }
        return out
    }
}
