import Foundation
import XCTest

/// Output recorded on lab nodes (scripts/lab), read from Fixtures/docker beside the tests.
enum DockerFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/docker")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
}
