import Foundation
import XCTest
@testable import ProvisionCore

/// `{% include %}`, `{% import %}`, `{% from %}` and `{% extends %}` with files on disk, found
/// as the template module finds them (the Ansible corpus compares the same shapes; these run
/// without Ansible and pin the limits).
final class TemplateIncludeTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("provision-include-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("templates"), withIntermediateDirectories: true)
        let files = [
            "macros.j2": "{% macro kv(k, v) %}{{ k }}={{ v }}{% endmacro %}\n{% macro port() %}{{ port | default('none') }}{% endmacro %}\n",
            "user.j2": "user={{ u }}\n",
            "base.j2": "head\n{% block body %}base body{% endblock %}\n{% block foot %}foot{% endblock %}\n",
            "self.j2": "{% include 'self.j2' %}",
        ]
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent("templates/" + name), atomically: true, encoding: .utf8)
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func render(_ text: String) throws -> String {
        let scope = LayeredScope([["template_fullpath": .string(dir.appendingPathComponent("templates/main.j2").path),
                                   "port": .int(8080)]])
        return try Templating.renderFile(text, in: scope)
    }

    func testIncludeSeesTheLoopAroundIt() throws {
        XCTAssertEqual(try render("{% for u in ['a', 'b'] %}{% include 'user.j2' %};{% endfor %}\n"), "user=a;user=b;\n")
        XCTAssertEqual(try render("{% set u = 'top' %}{% include ['missing.j2', 'user.j2'] %}\n"), "user=top\n")
        // Without context the file sees no variables: 'u' is undefined there.
        XCTAssertThrowsError(try render("{% set u = 'top' %}{% include 'user.j2' without context %}\n"))
    }

    func testMissingFilesFailUnlessIgnored() throws {
        XCTAssertEqual(try render("{% include 'missing.j2' ignore missing %}ok\n"), "ok\n")
        XCTAssertThrowsError(try render("{% include 'missing.j2' %}\n")) { error in
            XCTAssertTrue("\(error)".contains("missing.j2"), "\(error)")
        }
    }

    func testImportedMacrosSeeNoPlayVariablesWithoutContext() throws {
        XCTAssertEqual(try render("{% import 'macros.j2' as m %}{{ m.kv('a', 1) }} {{ m.port() }}\n"), "a=1 none\n")
        XCTAssertEqual(try render("{% from 'macros.j2' import port with context %}{{ port() }}\n"), "8080\n")
        XCTAssertEqual(try render("{% from 'macros.j2' import kv as pair %}{{ pair('b', [1]) }}\n"), "b=[1]\n")
    }

    func testExtendsFillsTheParentsBlocks() throws {
        XCTAssertEqual(try render("{% extends 'base.j2' %}{% block body %}child / {{ super() }}{% endblock %}not shown\n"),
                       "head\nchild / base bodyfoot\n")
    }

    func testAFileIncludingItselfEndsInAnError() {
        XCTAssertThrowsError(try render("{% include 'self.j2' %}\n")) { error in
            XCTAssertTrue("\(error)".contains("nested more than"), "\(error)")
        }
    }
}
