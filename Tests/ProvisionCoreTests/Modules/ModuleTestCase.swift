import Foundation
import XCTest
@testable import ProvisionCore

/// Base for tests that run modules for real on this machine through `LocalTransport`, in a
/// fresh temporary directory per test.
class ModuleTestCase: XCTestCase {
    var dir = ""
    var transport: LocalTransport!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pv-mod-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        transport = LocalTransport(hostName: "local", defaultTimeout: 120)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }

    func context(check: Bool = false, diff: Bool = false, vars: [String: Value] = [:],
                 environment: [String: String] = [:],
                 render: @escaping (String) throws -> String = { $0 }) -> HostContext {
        HostContext(host: "local", transport: transport, vars: vars, checkMode: check, diffMode: diff,
                    environment: environment, controllerBaseDirectory: dir, renderTemplate: render)
    }

    /// Builds the module named `key` from `args` as the loader will, then runs it.
    @discardableResult
    func run(_ key: String, _ args: [String: Value], check: Bool = false, diff: Bool = false,
             environment: [String: String] = [:], render: @escaping (String) throws -> String = { $0 },
             file: StaticString = #filePath, line: UInt = #line) throws -> ModuleResult {
        let type = try XCTUnwrap(ModuleRegistry.lookup(key), "no module \(key)", file: file, line: line)
        let module = try ModuleRegistry.make(type, arguments: args)
        return try module.run(in: context(check: check, diff: diff, environment: environment, render: render))
    }

    func read(_ p: String) -> String? { try? String(contentsOfFile: p, encoding: .utf8) }

    func write(_ p: String, _ text: String) throws { try text.write(toFile: p, atomically: true, encoding: .utf8) }

    func mode(_ p: String) throws -> Int {
        let attrs = try FileManager.default.attributesOfItem(atPath: p)
        return (attrs[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func sh(_ line: String) throws -> CommandResult { try transport.run(line) }
}
