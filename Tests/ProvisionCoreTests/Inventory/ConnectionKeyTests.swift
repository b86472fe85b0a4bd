import XCTest
@testable import ProvisionCore

final class ConnectionKeyTests: XCTestCase {
    func testMisspellingRule() {
        XCTAssertNotNil(ConnectionKey.misspelling("adress"))
        XCTAssertNotNil(ConnectionKey.misspelling("identity-file"))
        XCTAssertNotNil(ConnectionKey.misspelling("usr"))
        XCTAssertNotNil(ConnectionKey.misspelling("ansible_hots"))
        XCTAssertNotNil(ConnectionKey.misspelling("ansible_anything_unknown"))
        XCTAssertNil(ConnectionKey.misspelling("address"))
        XCTAssertNil(ConnectionKey.misspelling("ansible_python_interpreter"))
        XCTAssertNil(ConnectionKey.misspelling("ansible_perl_interpreter"))
        XCTAssertNil(ConnectionKey.misspelling("users"))
        XCTAssertNil(ConnectionKey.misspelling("ports"))
        XCTAssertNil(ConnectionKey.misspelling("addresses"))
        XCTAssertNil(ConnectionKey.misspelling("docker_version"))
        XCTAssertNil(ConnectionKey.misspelling("role"))
    }

    func testSecretsAreRecognised() {
        XCTAssertTrue(ConnectionKey.isSecret("ansible_become_pass"))
        XCTAssertTrue(ConnectionKey.isSecret("swarm_join_token"))
        XCTAssertTrue(ConnectionKey.isSecret("db_password"))
        XCTAssertFalse(ConnectionKey.isSecret("password_file"))
        XCTAssertFalse(ConnectionKey.isSecret("ansible_user"))
    }
}
