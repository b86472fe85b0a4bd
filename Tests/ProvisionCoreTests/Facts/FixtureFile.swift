import Foundation
import XCTest

/// Reads a recorded fixture under Tests/ProvisionCoreTests/Fixtures.
func fixtureText(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
        XCTFail("Fixtures folder missing from the test bundle", file: file, line: line)
        throw CocoaError(.fileNoSuchFile)
    }
    return try String(contentsOf: base.appendingPathComponent(relativePath), encoding: .utf8)
}
