import Foundation
import XCTest
@testable import ProvisionCore

/// Runs one module's task list through ansible-playbook (`connection: local`, the
/// reference) and returns each task's registered result; `BASE` in any string argument is
/// the directory the case works in. Skips (fails under CI) without ansible-playbook.
struct AnsibleLocalOracle {
    struct Task {
        var args: [String: Value]
        var check = false
        init(_ args: [String: Value], check: Bool = false) { self.args = args; self.check = check }
    }

    /// `args` with `BASE` replaced by `base` in every string.
    static func substitute(_ v: Value, _ base: String) -> Value {
        switch v {
        case .string(let s): return .string(s.replacingOccurrences(of: "BASE", with: base))
        case .list(let l): return .list(l.map { substitute($0, base) })
        case .dict(let d): return .dict(ValueDict(d.map { ($0.key, substitute($0.value, base)) }))
        default: return v
        }
    }

    static func available() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ansible-playbook") else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("ansible-playbook is required under CI") }
            throw XCTSkip("ansible-playbook is not installed")
        }
    }

    /// The registered result of every task, in order (BASE written for `base`). `path` is
    /// the play's PATH when given; with `markerLog`, `=== N` is appended to that file before
    /// task N runs (to split a recording fake's log per task).
    static func run(_ module: String, _ tasks: [Task], base: String, work: String,
                    path: String? = nil, markerLog: String? = nil) throws -> [ValueDict] {
        try available()
        var pb = "- hosts: all\n  gather_facts: false\n"
        if let path { pb += "  environment:\n    PATH: \"\(path)\"\n" }
        pb += "  tasks:\n"
        for (i, t) in tasks.enumerated() {
            if let markerLog { pb += "    - shell: echo '=== \(i)' >> \(markerLog)\n" }
            pb += "    - \(module): \(substitute(.dict(ValueDict(t.args)), base).jsonString)\n"
            pb += "      register: r\(i)\n      ignore_errors: true\n"
            if t.check { pb += "      check_mode: true\n" }
        }
        let all = tasks.indices.map { "'r\($0)': r\($0)" }.joined(separator: ", ")
        pb += "    - copy:\n        dest: \(work)/ansible.json\n        content: \"{{ {\(all)} | to_json }}\"\n"
        try pb.write(toFile: work + "/site.yml", atomically: true, encoding: .utf8)
        try "twin ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"
            .write(toFile: work + "/inv", atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ansible-playbook")
        p.arguments = ["-i", work + "/inv", work + "/site.yml"]
        p.environment = ProcessInfo.processInfo.environment.merging(["ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "0"]) { _, n in n }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard let text = try? String(contentsOfFile: work + "/ansible.json", encoding: .utf8),
              case .dict(let d)? = Value(jsonText: text.replacingOccurrences(of: base, with: "BASE")) else {
            XCTFail("ansible-playbook wrote no results:\n\(log)")
            return []
        }
        return tasks.indices.map { d["r\($0)"]?.dictValue ?? ValueDict() }
    }
}

extension ModuleTestCase {
    /// Runs `tasks` through the module `key` here, `BASE` being `base`; a module's argument
    /// error counts as a failed result, as it does for a task.
    func runEach(_ key: String, _ tasks: [AnsibleLocalOracle.Task], base: String) throws -> [ModuleResult] {
        try tasks.map { t in
            let args = AnsibleLocalOracle.substitute(.dict(ValueDict(t.args)), base).dictValue.map { [String: Value]($0) } ?? [:]
            do { return try run(key, args, check: t.check) } catch let e as ModuleError { return .failed(e.message) }
        }
    }
}
