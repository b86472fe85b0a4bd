import XCTest
final class ProvisionSSHTestsPlaceholder: XCTestCase { func testBuilds() {} }
