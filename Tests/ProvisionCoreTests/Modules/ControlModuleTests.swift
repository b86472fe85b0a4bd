import Foundation
import XCTest
@testable import ProvisionCore

/// set_fact, debug, assert, fail, pause, meta, setup and the registry.
final class ControlModuleTests: ModuleTestCase {
    /// A stand-in for the template engine that understands the one form `assert` sends.
    let conditions: (String) throws -> String = { text in
        let body = text.replacingOccurrences(of: "{% if ", with: "").replacingOccurrences(of: " %}True{% else %}False{% endif %}", with: "")
        switch body {
        case "x == 1": return "True"
        case "x == 2": return "False"
        default: throw ModuleError("'\(body)' is undefined")
        }
    }

    func testSetFactReturnsFactsForTheExecutor() throws {
        let r = try run("set_fact", ["swarm_manager": "pi1", "replicas": 3, "cacheable": true])
        XCTAssertEqual(r.facts, ["swarm_manager": "pi1", "replicas": 3])
        XCTAssertFalse(r.changed)
        XCTAssertEqual(SetFactModule.argumentSpec.problems(in: ["anything": 1]).count, 0)
        XCTAssertThrowsError(try run("set_fact", ["bad-name": 1]))
    }

    func testAssertUsesTheTemplateHook() throws {
        let ok = try run("assert", ["that": ["x == 1"], "success_msg": "fine"], render: conditions)
        XCTAssertFalse(ok.failed)
        XCTAssertEqual(ok.message, "fine")
        let bad = try run("assert", ["that": ["x == 1", "x == 2"], "fail_msg": "x must be 1"], render: conditions)
        XCTAssertTrue(bad.failed)
        XCTAssertEqual(bad.message, "x must be 1")
        XCTAssertEqual(bad.data["assertion"], "x == 2")
        let undefined = try run("assert", ["that": "y"], render: conditions)
        XCTAssertTrue(undefined.failed)
        XCTAssertTrue(undefined.message?.contains("undefined") ?? false)
        let noEngine = try run("assert", ["that": "x == 1"])
        XCTAssertTrue(noEngine.failed, "the identity renderer cannot evaluate conditions")
    }

    func testDebugMsgAndVar() throws {
        let r = try ModuleRegistry.make(DebugModule.self, arguments: ["var": "ansible_default_ipv4.address"])
        let ctx = context(vars: ["ansible_default_ipv4": ["address": "10.0.0.5"], "l": [1, 2]])
        XCTAssertEqual(try r.run(in: ctx).data["ansible_default_ipv4.address"], "10.0.0.5")
        let idx = try ModuleRegistry.make(DebugModule.self, arguments: ["var": "l[1]"])
        XCTAssertEqual(try idx.run(in: ctx).data["l[1]"], 2)
        let missing = try ModuleRegistry.make(DebugModule.self, arguments: ["var": "nope"])
        XCTAssertEqual(try missing.run(in: ctx).data["nope"], "VARIABLE IS NOT DEFINED!")
        let msg = try run("debug", ["msg": "hello"])
        XCTAssertEqual(msg.message, "hello")
        XCTAssertEqual(try run("debug", [:]).message, "Hello world!")
    }

    func testFailPauseMeta() throws {
        let f = try run("fail", ["msg": "stop here"])
        XCTAssertTrue(f.failed)
        XCTAssertEqual(f.message, "stop here")
        let p = try run("pause", ["seconds": 1])
        XCTAssertEqual(p.data["delta"], 1)
        XCTAssertThrowsError(try run("pause", ["prompt": "press enter"]))
        XCTAssertEqual(try run("meta", ["_raw_params": "flush_handlers"]).metaAction, .flushHandlers)
        XCTAssertEqual(try run("ansible.builtin.meta", ["_raw_params": "end_host"]).metaAction, .endHost)
        XCTAssertThrowsError(try run("meta", ["_raw_params": "explode"]))
    }

    func testSetupGathersFactsOfThisMachine() throws {
        let r = try run("setup", [:])
        let facts = try XCTUnwrap(r.facts)
        var uts = utsname()
        uname(&uts)
        let machine = withUnsafePointer(to: &uts.machine) { $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) } }
        XCTAssertEqual(facts["ansible_architecture"]?.stringValue, machine)
        XCTAssertEqual(facts["ansible_facts"]?["architecture"]?.stringValue, machine)
        XCTAssertEqual(facts["ansible_processor_vcpus"], .int(ProcessInfo.processInfo.activeProcessorCount))
        XCTAssertEqual(facts["ansible_user_id"], .string(NSUserName()))
        XCTAssertNotNil(facts["ansible_memtotal_mb"]?.renderedString.isEmpty == false ? 1 : nil)
        let filtered = try run("setup", ["filter": ["ansible_distribution*"]])
        // `ansible_facts` holds the same facts without the prefix, for the executor to merge.
        let kept = try XCTUnwrap(filtered.facts)
        XCTAssertTrue(kept.keys.allSatisfy { $0.hasPrefix("ansible_distribution") || $0 == "ansible_facts" }, "\(kept.keys)")
        // `_ansible_facts_gathered`, Ansible's marker that facts were gathered, survives the filter as Ansible's.
        XCTAssertTrue(kept["ansible_facts"]?.dictValue?.keys.allSatisfy { $0.hasPrefix("distribution") || $0 == "_ansible_facts_gathered" } ?? false)
        XCTAssertNil(try XCTUnwrap(run("setup", ["gather_subset": ["!all"]]).facts)["ansible_memtotal_mb"])
        XCTAssertNotNil(try XCTUnwrap(run("setup", ["gather_subset": ["hardware"]]).facts)["ansible_memtotal_mb"])
        XCTAssertThrowsError(try run("setup", ["gather_subset": ["bogus"]]))
    }

    func testRegistryNamesAliasesAndPrefixes() throws {
        XCTAssertTrue(ModuleRegistry.lookup("copy") == CopyModule.self)
        XCTAssertTrue(ModuleRegistry.lookup("ansible.builtin.copy") == CopyModule.self)
        XCTAssertTrue(ModuleRegistry.lookup("ansible.legacy.shell") == ShellModule.self)
        XCTAssertTrue(ModuleRegistry.lookup("service") == ServiceModule.self)
        XCTAssertTrue(ModuleRegistry.lookup("ansible.builtin.systemd_service") == SystemdModule.self)
        XCTAssertTrue(ModuleRegistry.lookup("gather_facts") == SetupModule.self)
        XCTAssertNil(ModuleRegistry.lookup("ansible.builtin.nope"))
        XCTAssertNil(ModuleRegistry.lookup("community.general.copy"))
        XCTAssertEqual(ModuleRegistry.suggestion(for: "lineinfle"), "lineinfile")
        XCTAssertEqual(ModuleRegistry.suggestion(for: "ansible.builtin.tempalte"), "template")
        XCTAssertNil(ModuleRegistry.suggestion(for: "kubernetes"))
        let names = ModuleRegistry.names
        for key in ["command", "shell", "raw", "apt", "package", "copy", "template", "file", "lineinfile", "blockinfile",
                    "systemd", "service", "user", "group", "get_url", "wait_for", "reboot", "set_fact", "debug",
                    "assert", "fail", "pause", "meta", "setup", "stat", "hostname", "replace", "authorized_key"] {
            XCTAssertTrue(names.contains(key), key)
        }
    }

    func testArgumentProblemsSurfaceAtLoadTime() {
        XCTAssertThrowsError(try ModuleRegistry.make(CopyModule.self, arguments: ["dest": "/x"])) { e in
            XCTAssertTrue("\(e)".contains("src, content"), "\(e)")
        }
        XCTAssertThrowsError(try ModuleRegistry.make(CopyModule.self, arguments: ["content": "x", "dest": "/x", "mdoe": "644"])) { e in
            XCTAssertTrue("\(e)".contains("unknown argument 'mdoe'"), "\(e)")
        }
        XCTAssertThrowsError(try ModuleRegistry.make(FileModule.self, arguments: ["path": "/x", "mode": "0999"]))
        XCTAssertThrowsError(try ModuleRegistry.make(FileModule.self, arguments: ["path": "/x", "state": "link"]))
        XCTAssertThrowsError(try ModuleRegistry.make(LineInFileModule.self, arguments: ["path": "/x"]))
        XCTAssertThrowsError(try ModuleRegistry.make(BlockInFileModule.self, arguments: ["path": "/x", "marker": "# managed"]))
        XCTAssertThrowsError(try ModuleRegistry.make(GetURLModule.self, arguments: ["url": "http://x/a", "dest": "/a", "checksum": "crc32:abc"]))
        XCTAssertNoThrow(try ModuleRegistry.make(FileModule.self, arguments: ["path": "/x", "mode": 644]))
    }

    func testModeParsing() throws {
        // An integer is the mode's value, as in Ansible: YAML 1.1's 0644 is 420; a bare 644 is 0o1204.
        XCTAssertEqual(try FileAttributes.mode(.int(420)), "644")
        XCTAssertEqual(try FileAttributes.mode(.int(644)), "1204")
        XCTAssertEqual(try FileAttributes.mode("0644"), "644")
        XCTAssertEqual(try FileAttributes.mode("02755"), "2755")
        XCTAssertEqual(try FileAttributes.mode("0000"), "0")
        XCTAssertEqual(try FileAttributes.mode("u=rw,g=r,o="), "u=rw,g=r,o=")
        XCTAssertEqual(try FileAttributes.mode("a+X"), "a+X")
        XCTAssertThrowsError(try FileAttributes.mode("rwxr-xr-x"))
        XCTAssertThrowsError(try FileAttributes.mode(.int(0o10000)))
    }
}
