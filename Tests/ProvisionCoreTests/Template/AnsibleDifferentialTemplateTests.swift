import Foundation
import XCTest
@testable import ProvisionCore

/// Renders the corpus in Fixtures/templates with ansible-core and with provision, compares
/// the typed values, prints the counts and fails on any silent difference (a different value,
/// or a value where Ansible fails). A case provision refuses with a clear TemplateError is
/// counted apart: not wrong, but not yet supported.
final class AnsibleDifferentialTemplateTests: XCTestCase {
    func testCorpusMatchesAnsible() throws {
        let ansible = "/usr/bin/ansible-playbook"
        guard FileManager.default.isExecutableFile(atPath: ansible) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("ansible-playbook is missing under CI"); return }
            throw XCTSkip("ansible-playbook not installed (scripts/test installs it)")
        }
        let corpus = try AnsibleTemplateOracle.loadCorpus()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("provision-oracle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let oracle = try corpus.runAnsible(in: dir)

        let extra = try ExtraVars.parse(corpus.extra)
        let inventoryFile = dir.appendingPathComponent("inventory.ini")
        try "localhost ansible_connection=local\n".write(to: inventoryFile, atomically: true, encoding: .utf8)
        let inventory = try InventoryLoader().load(inventoryFile.path)
        var identical = 0, refused: [String] = [], different: [String] = [], documented: [String] = [], total = 0
        for play in corpus.plays {
            let node = try YAMLFile.parse(play.varsText, file: "vars-\(play.file).yml")
            let vars = try node.map { try YAMLFile.value(of: $0, file: play.file) }?.dictValue ?? ValueDict()
            let state = HostState(name: "localhost", groups: ["ungrouped"], inventoryVars: [
                "ansible_connection": "local", "ansible_python_interpreter": "/usr/bin/python3"])
            let run = RunVariables(extraVars: extra, inventory: inventory,
                                   hosts: [state], playbookDirectory: dir.path, inventoryDirectory: dir.path,
                                   checkMode: false, diffMode: false,
                                   // The run-wide magic variables (ansible_version, …) as a run has them.
                                   constants: RunVariables.constants(options: RunOptions(), inventoryPath: inventoryFile.path, forks: 5))
            let playVars = PlayVariables(vars: Dictionary(uniqueKeysWithValues: vars.map { ($0.key, $0.value) }),
                                         varsFilesVars: [:], name: "", hosts: ["localhost"], batch: ["localhost"])
            for c in play.cases {
                total += 1
                let scope = HostScope(run: run, host: state, play: playVars)
                let mine: Result<Value, Error> = Result {
                    switch c.kind {
                    case .value:
                        // As the executor passes a task's arguments (Ansible's remove_omit): a
                        // value that is `omit` leaves set_fact with nothing to set, an error.
                        let args = Templating.removingOmitted(try Templating.render(.dict(ValueDict([(c.id, .string(c.text))])), in: scope))
                        guard let v = args[c.id] else { throw ModuleError("set_fact needs at least one variable to set") }
                        return SetFactModule.factValue(v)
                    case .when: return .bool(try Templating.evaluateCondition(.string(c.text), in: scope))
                    case .template:
                        // The variables the template lookup adds for the file the oracle wrote.
                        let fileVars = try TemplateFileVariables.make(
                            path: "\(c.id).j2", fullPath: dir.appendingPathComponent("templates/\(c.id).j2").path,
                            destPath: nil)
                        return .string(try Templating.renderFile(c.text, in: LayeredScope([fileVars], fallback: scope)))
                    }
                }
                guard let theirs = oracle[c.id] else {
                    different.append("\(c.label): ansible gave no result"); continue
                }
                switch (theirs, mine) {
                case (.value(let a), .success(let b)):
                    if AnsibleTemplateOracle.typed(a) == AnsibleTemplateOracle.typed(b) {
                        identical += 1
                        if c.kind == .value { state.setRuntime(c.id, b) }
                    } else if let reason = c.differs {
                        documented.append("\(c.label): \(reason)")
                    } else {
                        different.append("\(c.label)\n    ansible:   \(AnsibleTemplateOracle.typed(a))\n    provision: \(AnsibleTemplateOracle.typed(b))")
                    }
                case (.failed, .failure):
                    identical += 1
                case (.value(let a), .failure(let e)):
                    refused.append("\(c.label)\n    ansible:   \(AnsibleTemplateOracle.typed(a))\n    provision: \(e)")
                case (.failed(let m), .success(let b)):
                    different.append("\(c.label)\n    ansible failed: \(m.prefix(300))\n    provision: \(AnsibleTemplateOracle.typed(b))")
                }
            }
        }
        let verbose = ProcessInfo.processInfo.environment["PROVISION_CORPUS_VERBOSE"] != nil
        if verbose { print("REFUSED:\n" + refused.joined(separator: "\n")) }
        print("DIFFERENT:\n" + different.joined(separator: "\n"))
        if verbose { print("DOCUMENTED DIFFERENCES:\n" + documented.joined(separator: "\n")) }
        print("template corpus: \(total) cases: \(identical) identical, \(refused.count) refused with a clear error, "
              + "\(documented.count) documented differences (README), \(different.count) different")
        XCTAssertGreaterThanOrEqual(total, 600)
        XCTAssertEqual(different.count, 0, "silent differences from ansible-core:\n" + different.joined(separator: "\n"))
    }
}
