import XCTest
final class ProvisionCLITestsPlaceholder: XCTestCase { func testBuilds() {} }
