import Foundation
import XCTest
@testable import ProvisionCore

/// The template module's own variables (`ansible_managed`, `template_*`), as
/// `generate_ansible_template_vars` in ansible-core 2.14 defines them. The default text and the
/// lookup's values are compared with ansible-playbook in the corpus (07, 15); these check the
/// module's wiring and an `ansible_managed` setting with fields and a date pattern.
final class TemplateFileVariablesTests: XCTestCase {
    func testManagedFormatFieldsAndDatePattern() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pv-tfv-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("motd.j2")
        try "x\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: file.path)
        let vars = try TemplateFileVariables.make(path: "motd.j2", fullPath: file.path, destPath: "/etc/motd",
                                                  managed: "{file} on {host} by {uid}: %Y")
        let user = try XCTUnwrap(vars["template_uid"]?.stringValue)
        XCTAssertFalse(user.isEmpty)
        let year = PythonDateTime.cStrftime("%Y", 1_700_000_000)
        XCTAssertEqual(vars["ansible_managed"], .string("motd.j2 on \(TemplateFileVariables.hostName()) by \(user): \(year)"))
        XCTAssertEqual(vars["template_destpath"], "/etc/motd")
        XCTAssertEqual(vars["template_fullpath"], .string(file.path))
        XCTAssertEqual(vars["template_mtime"]?.stringValue?.count, 19, "a whole second prints without microseconds")
        XCTAssertThrowsError(try TemplateFileVariables.make(path: "a", fullPath: file.path, destPath: nil, managed: "{nope}"))
    }

    func testTemplateModuleDefinesThemOverTheHostsVariables() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pv-tfm-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "{{ ansible_managed | comment }}\n{{ template_path }} -> {{ template_destpath }}\n"
            .write(toFile: dir + "/app.conf.j2", atomically: true, encoding: .utf8)
        let hostScope = LayeredScope([["ansible_managed": "from the host", "template_path": "host"]])
        var context = HostContext(host: "local", transport: LocalTransport(hostName: "local", defaultTimeout: 60),
                                  controllerBaseDirectory: dir)
        context.renderTemplateFile = { text, fileVars in
            try Templating.renderFile(text, in: LayeredScope([fileVars], fallback: hostScope))
        }
        context.ansibleManaged = "Managed: {file}"
        let dest = dir + "/app.conf"
        let module = try ModuleRegistry.make(TemplateModule.self, arguments: ["src": "app.conf.j2", "dest": .string(dest)])
        XCTAssertTrue(try module.run(in: context).changed)
        XCTAssertEqual(try String(contentsOfFile: dest, encoding: .utf8), "#\n# Managed: app.conf.j2\n#\napp.conf.j2 -> \(dest)\n")
    }
}
