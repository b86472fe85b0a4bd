import XCTest
@testable import ProvisionCore

final class AnsibleModuleNamesTests: XCTestCase {
    func testBuiltinShortLongAndLegacyNames() {
        XCTAssertEqual(AnsibleModuleNames.resolve("copy"), "ansible.builtin.copy")
        XCTAssertEqual(AnsibleModuleNames.resolve("ansible.builtin.copy"), "ansible.builtin.copy")
        XCTAssertEqual(AnsibleModuleNames.resolve("ansible.legacy.copy"), "ansible.builtin.copy")
        XCTAssertEqual(AnsibleModuleNames.resolve("ansible.builtin.include_tasks"), "ansible.builtin.include_tasks")
        XCTAssertEqual(AnsibleModuleNames.resolve("set_fact"), "ansible.builtin.set_fact")
    }

    func testOldShortNamesRouteToCollections() {
        XCTAssertEqual(AnsibleModuleNames.resolve("mount"), "ansible.posix.mount")
        XCTAssertEqual(AnsibleModuleNames.resolve("docker_swarm"), "community.docker.docker_swarm")
        XCTAssertEqual(AnsibleModuleNames.resolve("ini_file"), "community.general.ini_file")
        XCTAssertEqual(AnsibleModuleNames.resolve("rpm_key"), "ansible.builtin.rpm_key")
        XCTAssertEqual(AnsibleModuleNames.resolve("zypper_repository"), "community.general.zypper_repository")
    }

    func testCollectionNamesAndCollectionsKeyword() {
        XCTAssertEqual(AnsibleModuleNames.resolve("community.docker.docker_container"), "community.docker.docker_container")
        XCTAssertEqual(AnsibleModuleNames.resolve("docker_node", collections: ["community.docker"]),
                       "community.docker.docker_node")
        XCTAssertEqual(AnsibleModuleNames.resolve("ansible.posix.sysctl"), "ansible.posix.sysctl")
    }

    func testUnknownNames() {
        XCTAssertNil(AnsibleModuleNames.resolve("cpoy"))
        XCTAssertNil(AnsibleModuleNames.resolve("community.docker.no_such_module"))
        XCTAssertNil(AnsibleModuleNames.resolve("a.b"))
        XCTAssertFalse(AnsibleModuleNames.isKnown("docker_install"))
        XCTAssertEqual(AnsibleModuleNames.shortName("ansible.posix.mount"), "mount")
    }
}
