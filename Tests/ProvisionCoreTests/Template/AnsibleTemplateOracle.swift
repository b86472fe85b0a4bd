import Foundation
import XCTest
import Yams
@testable import ProvisionCore

/// The differential corpus (Fixtures/templates/*.yml) and its run through ansible-core.
///
/// A fixture file is one play: `vars` is YAML text (play vars: read by PyYAML on one side and
/// YAMLFile on the other, so YAML scalar rules are compared too), `extra` are `-e key=value`
/// strings, `cases` a list of
///   - a string: the value of a `set_fact` (what a playbook sees afterwards),
///   - `{when: expr}`: a `debug` task's condition (ran or skipped),
///   - `{template: text}`: a template file, rendered as the `template` module does (through
///     `lookup('template', …, convert_data=False)`: the same options and trailing newlines;
///     the lookup's own shortcut for a file that is exactly `{{ name }}` is not the module's,
///     so the corpus has no such file),
///   - any of these with `differs: reason`: a difference made on purpose (README lists it);
///     counted apart, never silently.
/// Every case of every file goes into ONE playbook, one ansible-playbook run.
struct AnsibleTemplateOracle {
    enum Kind: Equatable { case value, when, template }

    struct Case {
        let file: String
        let index: Int
        let kind: Kind
        let text: String
        /// Why provision differs on purpose (listed in the README); nil for every other case.
        var differs: String? = nil
        var id: String { "c_\(file.replacingOccurrences(of: "-", with: "_"))_\(index)" }
        var label: String { "\(file)#\(index) [\(kind)] \(text.debugDescription)" }
    }

    struct Play {
        let file: String
        let varsText: String
        let cases: [Case]
    }

    /// What ansible-core gave for a case: a value, or a failure message.
    enum Outcome {
        case value(Value)
        case failed(String)
    }

    let plays: [Play]
    let extra: [String]

    static func loadCorpus() throws -> AnsibleTemplateOracle {
        guard let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?
            .appendingPathComponent("templates") else { throw XCTSkip("no Fixtures/templates") }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yml") }.sorted()
        var plays: [Play] = []
        var extra: [String] = []
        for name in files {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            guard let node = try Yams.compose(yaml: text), let map = node.mapping else { continue }
            let stem = String(name.dropLast(4))
            let varsText = map["vars"]?.scalar?.string ?? ""
            extra += map["extra"]?.sequence?.compactMap { $0.scalar?.string } ?? []
            var cases: [Case] = []
            for (i, item) in (map["cases"]?.sequence ?? []).enumerated() {
                if let s = item.scalar?.string {
                    cases.append(Case(file: stem, index: i, kind: .value, text: s))
                } else if let m = item.mapping {
                    let reason = m["differs"]?.scalar?.string
                    for (key, kind) in [("value", Kind.value), ("when", .when), ("template", .template)] {
                        if let s = m[key]?.scalar?.string {
                            cases.append(Case(file: stem, index: i, kind: kind, text: s, differs: reason))
                        }
                    }
                }
            }
            plays.append(Play(file: stem, varsText: varsText, cases: cases))
        }
        return AnsibleTemplateOracle(plays: plays, extra: extra)
    }

    /// Runs every case through ansible-playbook once; outcomes by case id.
    func runAnsible(in dir: URL) throws -> [String: Outcome] {
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("templates"), withIntermediateDirectories: true)
        // One task per case: Ansible 2.14's result types depend on the exact template (a lone
        // `{{ name }}` returns the variable itself; anything else goes through the non-native
        // concat: text, with lists/dicts/bools read back by literal_eval), so a case cannot be
        // wrapped or indirected without changing what it gives; and a failing item can abort a
        // whole looped task. Template files go through `lookup('template')`, which renders
        // with the template module's options and trailing newlines and returns text as is.
        var playbook: [Any] = []
        for play in plays {
            let varsFile = "vars-\(play.file).yml"
            var tasks: [Any] = []
            for c in play.cases {
                switch c.kind {
                case .value:
                    tasks.append(["name": c.id, "set_fact": [c.id: c.text], "ignore_errors": true])
                case .when:
                    tasks.append(["name": c.id, "debug": ["msg": "ran"], "when": c.text, "ignore_errors": true])
                case .template:
                    try c.text.write(to: dir.appendingPathComponent("templates/\(c.id).j2"), atomically: true, encoding: .utf8)
                    tasks.append(["name": c.id, "ignore_errors": true,
                                  "set_fact": [c.id: "{{ lookup('template', '\(c.id).j2', convert_data=False) }}"]])
                }
            }
            try play.varsText.write(to: dir.appendingPathComponent(varsFile), atomically: true, encoding: .utf8)
            playbook.append(["hosts": "localhost", "gather_facts": false, "vars_files": [varsFile], "tasks": tasks])
        }
        let data = try JSONSerialization.data(withJSONObject: playbook, options: [.sortedKeys])
        try data.write(to: dir.appendingPathComponent("site.yml"))
        try "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"
            .write(to: dir.appendingPathComponent("hosts"), atomically: true, encoding: .utf8)

        // PROVISION_ORACLE_REPLAY=<file>: reuse ansible's report from an earlier run of the same
        // corpus (local iteration only; written when missing, never kept in git).
        let replay = ProcessInfo.processInfo.environment["PROVISION_ORACLE_REPLAY"]
        let stdout: Data, stderr: Data, status: Int32
        if let replay, let saved = FileManager.default.contents(atPath: replay) {
            (stdout, stderr, status) = (saved, Data(), 0)
        } else {
            (stdout, stderr, status) = try runPlaybook(in: dir)
            if let replay { try stdout.write(to: URL(fileURLWithPath: replay)) }
        }
        guard let report = Value(jsonText: String(decoding: stdout, as: UTF8.self)) else {
            throw NSError(domain: "oracle", code: 1, userInfo: [NSLocalizedDescriptionKey:
                "ansible-playbook gave no JSON (exit \(status)): \(String(decoding: stderr, as: UTF8.self).prefix(2000)) \(String(decoding: stdout, as: UTF8.self).prefix(2000))"])
        }
        var outcomes: [String: Outcome] = [:]
        func record(_ name: String, _ r: Value) {
            if r["failed"] == .bool(true) {
                outcomes[name] = .failed(r["msg"]?.renderedString ?? "failed")
            } else if let facts = r["ansible_facts"], let v = facts[name] {
                outcomes[name] = .value(v)
            } else if r["skipped"] == .bool(true) {
                outcomes[name] = .value(.bool(false))
            } else if r["msg"] == .string("ran") {
                outcomes[name] = .value(.bool(true))
            }
        }
        for play in report["plays"]?.listValue ?? [] {
            for task in play["tasks"]?.listValue ?? [] {
                guard let name = task["task"]?["name"]?.stringValue, let r = task["hosts"]?["localhost"] else { continue }
                record(name, r)
            }
        }
        return outcomes
    }

    private func runPlaybook(in dir: URL) throws -> (Data, Data, Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ansible-playbook")
        p.arguments = ["-i", "hosts", "site.yml"] + extra.flatMap { ["-e", $0] }
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["ANSIBLE_STDOUT_CALLBACK"] = "json"
        env["ANSIBLE_LOCALHOST_WARNING"] = "False"
        env["ANSIBLE_NOCOLOR"] = "1"
        env["ANSIBLE_RETRY_FILES_ENABLED"] = "False"
        env["ANSIBLE_LOCAL_TEMP"] = dir.appendingPathComponent("tmp").path
        env["ANSIBLE_HOME"] = dir.appendingPathComponent("home").path
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read stderr on another thread so neither pipe can fill and stall the run.
        var stderr = Data()
        let reader = Thread { stderr = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while reader.isExecuting { usleep(1000) }
        return (stdout, stderr, p.terminationStatus)
    }

    /// A typed text of a value, to compare as a playbook would see it. Dict keys are sorted:
    /// ansible's json callback writes them sorted, so key order is checked by cases that
    /// turn a dict into a list or text (`| list`, `dict2items`, `to_json`, a template).
    static func typed(_ v: Value) -> String {
        switch v {
        case .null: return "None"
        case .bool(let b): return b ? "bool:True" : "bool:False"
        case .int(let i): return "int:\(i)"
        case .double(let d): return "float:\(d)"
        case .string(let s): return "str:" + s.debugDescription
        case .list(let l), .tuple(let l): return "[" + l.map(typed).joined(separator: ", ") + "]"
        case .dict(let d):
            return "{" + d.sorted { $0.key < $1.key }.map { "\($0.key.debugDescription): \(typed($0.value))" }
                .joined(separator: ", ") + "}"
        }
    }
}
