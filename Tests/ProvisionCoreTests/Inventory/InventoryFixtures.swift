import Foundation
import XCTest
@testable import ProvisionCore

/// Paths of the inventory fixtures (copied into the test bundle), and a temp-dir helper.
enum InventoryFixtures {
    static var directory: String {
        let base = Bundle.module.resourcePath ?? Bundle.module.bundlePath
        return (base as NSString).appendingPathComponent("Fixtures/inventory")
    }

    static func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Writes `text` to a fresh temp directory as `name` and returns its path.
    static func write(_ text: String, name: String = "hosts.yml", files: [String: String] = [:]) throws -> String {
        let dir = NSTemporaryDirectory() + "provision-inv-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        for (rel, content) in files {
            let p = dir + "/" + rel
            try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try content.write(toFile: p, atomically: true, encoding: .utf8)
        }
        return path
    }

    /// The diagnostics a load throws (fails the test when it loads).
    static func diagnostics(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> [Diagnostic] {
        do {
            _ = try InventoryLoader().load(path)
            XCTFail("expected \(path) to fail to load", file: file, line: line)
            return []
        } catch let e as LoadError {
            return e.diagnostics
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return []
        }
    }
}
