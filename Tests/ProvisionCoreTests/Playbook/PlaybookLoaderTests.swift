import Foundation
import XCTest
@testable import ProvisionCore

final class PlaybookLoaderTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/playbooks").path

    func load(_ name: String, known: Set<String> = [], strict: Bool = false) throws -> Playbook {
        var loader = PlaybookLoader(knownVariables: known)
        loader.strict = strict
        return try loader.load(Self.fixtures + "/" + name)
    }

    func testEveryErrorIsReportedWithItsPositionAndNothingElse() throws {
        // Undefined variables are warnings (Ansible decides on the host); --strict makes them errors.
        XCTAssertThrowsError(try load("errors.yml")) { error in
            guard let e = error as? LoadError else { return XCTFail("\(error)") }
            XCTAssertFalse(e.diagnostics.contains { $0.message.contains("not visibly defined") }, e.description)
            // Module arguments are checked on the host in Ansible: warnings here, errors with --strict.
            XCTAssertEqual(e.diagnostics.count, 6, e.description)
            XCTAssertFalse(e.diagnostics.contains { $0.message.contains("unknown argument") }, e.description)
        }
        XCTAssertThrowsError(try load("errors.yml", strict: true)) { error in
            guard let e = error as? LoadError else { return XCTFail("\(error)") }
            let found = e.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
            let expected: [(String, String)] = [
                ("3:3", "unknown play key 'becom'"),
                ("6:7", "unknown key or module 'copyy'"),
                ("8:7", "one of these arguments is required: src, content"),
                ("10:9", "unknown argument 'contnt'"),
                ("12:7", "missing required arguments: path"),
                ("16:14", "'nowhere_defined' is not visibly defined"),
                ("19:13", "'also_missing' is not visibly defined"),
                ("26:7", "a task runs one module, this one names 2"),
                ("29:14", "template error"),
                ("31:7", "value of state must be one of"),
                ("33:13", "'copy' takes key=value arguments here"),
                ("36:15", "notify: no handler named 'nobody listens'"),
            ]
            for (pos, text) in expected {
                XCTAssertTrue(found.contains { $0.hasPrefix(pos + " ") && $0.contains(text) },
                              "missing \(pos) \(text) in:\n" + found.joined(separator: "\n"))
            }
            XCTAssertEqual(found.count, expected.count, found.joined(separator: "\n"))
            XCTAssertFalse(found.contains { $0.contains("maybe") || $0.contains("'item'") },
                           "guarded variables and loop items are not errors")
            XCTAssertTrue(e.description.contains("errors.yml:3:3: error: unknown play key 'becom'"), e.description)
            XCTAssertTrue(e.description.contains("did you mean 'become'?"), e.description)
        }
    }

    func testAFullPlaybookLoadsWithBlocksIncludesLoopsAndHandlers() throws {
        let pb = try load("site.yml")
        XCTAssertEqual(pb.plays.count, 1)
        let play = pb.plays[0]
        XCTAssertEqual(play.name, "web servers")
        XCTAssertEqual(play.hosts, "web:!red03")
        XCTAssertEqual(play.become, true)
        XCTAssertEqual(play.serial, [.count(1), .percent(50)])
        XCTAssertEqual(play.maxFailPercentage, 30)
        XCTAssertEqual(play.vars["port"], 8080)
        XCTAssertEqual(play.varsFilesVars["common_value"], "from vars file")
        XCTAssertEqual(play.preTasks.count, 1)
        XCTAssertEqual(play.tasks.count, 3)
        guard case .block(let imported) = play.tasks[0] else { return XCTFail("import is a block") }
        let included = imported.tasks.flatMap(\.allTasks)
        XCTAssertEqual(included.map(\.name), ["included one", "included two"])
        XCTAssertEqual(included[0].tags, ["setup"])
        XCTAssertEqual(included[1].when, ["port > 80"], "the include's when applies to its tasks")
        XCTAssertEqual(included[0].action.arguments, ["src": "files/a", "dest": "/tmp/a"])
        XCTAssertTrue(included[0].location.file.hasSuffix("tasks/setup.yml"))
        XCTAssertEqual(included[0].location.line, 1)
        XCTAssertEqual(included[1].become, false)
        guard case .block(let block) = play.tasks[1] else { return XCTFail("block") }
        XCTAssertEqual(block.rescue.flatMap(\.allTasks).map(\.name), ["in rescue"])
        let always = block.always.flatMap(\.allTasks)
        XCTAssertEqual(always.first?.action.module, "debug", "ansible.builtin. prefix accepted")
        XCTAssertEqual(always.first?.becomeUser, "nobody", "block keywords reach the tasks")
        guard case .task(let loop) = play.tasks[2] else { return XCTFail("task") }
        XCTAssertEqual(loop.loopVar, "thing")
        XCTAssertEqual(loop.indexVar, "idx")
        XCTAssertTrue(loop.loopFlatten)
        XCTAssertEqual(loop.register, "looped")
        XCTAssertEqual(loop.notify, ["restart web"])
        XCTAssertEqual(play.handlers.map(\.name), ["restart web"])
        XCTAssertEqual(play.handlers.first?.listen, ["web changed"])
    }

    func testImportPlaybookSplicesTheOtherFilesPlays() throws {
        let pb = try load("main.yml")
        XCTAssertEqual(pb.plays.map(\.name), ["web servers", ""])
        XCTAssertEqual(pb.plays[0].vars["from_import"], true)
        XCTAssertEqual(pb.plays[0].vars["port"], 8080, "the play's own vars win")
        XCTAssertThrowsError(try load("self-import.yml")) { e in
            XCTAssertTrue("\(e)".contains("self-import.yml:1:20: error: 'self-import.yml' imports itself"), "\(e)")
        }
    }

    func testAnIncludeCycleIsAnErrorNotAHang() throws {
        XCTAssertThrowsError(try load("loop-include.yml")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("includes itself"), text)
        }
    }

    func testKeyValueArgumentsKeepQuotesAndTemplatesWhole() {
        let r = PlaybookReader.keyValueArguments(#"dest=/etc/motd content="a b c" mode='0644' msg={{ x | default('y z') }}"#)
        guard case .success(let d) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(d, ["dest": "/etc/motd", "content": "a b c", "mode": "0644", "msg": "{{ x | default('y z') }}"])
        guard case .failure = PlaybookReader.keyValueArguments("dest=/x oops") else { return XCTFail("not key=value") }
        guard case .success(let e) = PlaybookReader.keyValueArguments(#"content="a\nb \"q\"""#) else { return XCTFail("escapes") }
        XCTAssertEqual(e["content"], "a\nb \"q\"", "escapes are decoded as Ansible's parse_kv does")
    }

    func testUndefinedVariablesKnownFromTheInventoryOrExtraVarsAreFine() throws {
        let text = """
        - hosts: all
          tasks:
            - debug: msg="{{ from_inventory }} {{ from_cli }} {{ ansible_hostname }} {{ hostvars[inventory_hostname].x }}"
            - set_fact: later=1
            - debug: msg="{{ later }} {{ out.stdout }}"
            - command: uptime
              register: out
        """
        XCTAssertEqual(try PlaybookLoader(knownVariables: ["from_inventory", "from_cli"]).parse(text, file: "t.yml").warnings, [])
        let warned = try PlaybookLoader(knownVariables: ["from_cli"]).parse(text, file: "t.yml")
        XCTAssertEqual(warned.warnings.map { $0.renderedAsWarning() }.filter { $0.contains("t.yml:3:14: warning: 'from_inventory' is not visibly defined") }.count, 1,
                       "\(warned.warnings)")
        var strict = PlaybookLoader(knownVariables: ["from_cli"])
        strict.strict = true
        XCTAssertThrowsError(try strict.parse(text, file: "t.yml")) { e in
            XCTAssertTrue("\(e)".contains("t.yml:3:14: error: 'from_inventory' is not visibly defined"), "\(e)")
        }
    }

    func testPlayLevelShapeErrors() {
        let cases: [(String, String)] = [
            ("hosts: all", "1:1: error: a playbook must be a list of plays"),
            ("- tasks: []", "1:3: error: this play has no 'hosts'"),
            ("- hosts: all\n  serial: 0", "2:11: error: 'serial' must be a positive"),
            ("- hosts: all\n  tasks:\n    - rescue: []", "3:7: error: 'rescue' without 'block'"),
            ("- hosts: all\n  tasks:\n    - name: x", "3:7: error: this task has no module to run"),
            ("- hosts: all\n  tasks:\n    - command: x\n      loop_control: {loop_vr: y}", "4:22: error: unknown key 'loop_vr'"),
            ("- hosts: all\n  roles: [a]", "2:11: error: role 'a' not found; looked in: \(FileManager.default.currentDirectoryPath)/roles/a"),
            ("- hosts: all\n  strategy: free", "2:13: error: strategy 'free' is not supported"),
            ("- hosts: all\n  max_fail_percentage: lots", "2:24: error: 'max_fail_percentage' must be a number"),
            ("- hosts: all\n  vars_files: [nope.yml]", "2:16: error: vars file not found: nope.yml"),
            ("- hosts: all\n  vars: [a]", "2:9: error: 'vars' must be a mapping"),
            ("- hosts: all\n  become: maybe", "2:11: error: 'become' must be true or false"),
            ("- hosts: all\n  tasks:\n    - import_tasks: missing.yml", "3:21: error: cannot read task file 'missing.yml'"),
            ("- import_playbook: missing.yml", "1:20: error: cannot read playbook 'missing.yml'"),
            ("- hosts: all\n  tasks:\n    - command: x\n      listen: y", "4:7: error: 'listen' is only for handlers"),
            ("- hosts: all\n  tasks:\n    - command: x\n      register: 1abc", "4:17: error: '1abc' is not a valid variable name"),
            ("- hosts: all\n  tasks:\n    - command: x\n      retries: -1", "4:16: error: 'retries' must be a whole number"),
            ("- hosts: all\n  tasks:\n    - command: x\n      loop: [1]\n      when: \"{{ item ==\"", "5:13: error: template error"),
            ("- hosts: all\n  tasks:\n    - block: []\n      register: r", "4:7: error: unknown key 'register' in a block"),
            ("- hosts: all\n  handlers:\n    - command: x", "3:7: error: a handler needs a 'name'"),
            ("- hosts: all\n  tasks:\n    - copy: [a, b]", "3:13: error: 'copy' needs its arguments as a mapping, not a list"),
            ("- hosts: all\n  tasks:\n    - debug: msg=x\n      environment: [a]", "4:20: error: 'environment' must be a mapping"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try PlaybookLoader().parse(text, file: "p.yml"), text) { e in
                XCTAssertTrue("\(e)".contains("p.yml:" + expected), "\(text) gave:\n\(e)")
            }
        }
    }

    func testFactPathAndGatherSubsetGoToTheFactGathering() throws {
        let text = """
        - hosts: all
          fact_path: /srv/facts.d
          gather_subset: [network]
          gather_timeout: 20
          tasks:
            - debug: msg=hi
        """
        let loaded = try PlaybookLoader(knownVariables: []).parse(text, file: "f.yml")
        XCTAssertTrue(loaded.warnings.isEmpty, "\(loaded.warnings.map { $0.renderedAsWarning() })")
        let play = try XCTUnwrap(loaded.plays.first)
        XCTAssertEqual(play.gatherArguments["fact_path"], .string("/srv/facts.d"))
        XCTAssertEqual(play.gatherArguments["gather_subset"], .list(["network"]))
        XCTAssertEqual(play.gatherArguments["gather_timeout"], .int(20))
    }
}
