import Foundation
import XCTest
@testable import ProvisionCore

final class FactParserTests: XCTestCase {
    func testRecordedDebianContainerWithoutSystemd() throws {
        let f = FactParser.parse(try fixtureText("facts/debian12-x86_64-container.txt"))
        XCTAssertEqual(f.architecture, "x86_64")
        XCTAssertEqual(f.debianArch, "amd64")
        XCTAssertEqual(f.distribution, "Debian")
        // As ansible-core 2.14's setup reported on this same machine.
        XCTAssertEqual(f.distributionVersion, "12")
        XCTAssertEqual(f.distributionMajorVersion, "12")
        XCTAssertEqual(f.distributionMinorVersion, "11")
        XCTAssertEqual(f.distributionRelease, "bookworm")
        XCTAssertEqual(f.osFamily, "Debian")
        XCTAssertEqual(f.hostname, "vm")
        XCTAssertEqual(f.defaultIPv4, HostFacts.IPv4(address: "192.0.2.2", interface: "eth0", gateway: "192.0.2.1", prefixLength: 24))
        XCTAssertEqual(f.allIPv4, ["192.0.2.2", "172.30.213.1"])
        XCTAssertEqual(f.memTotalMB, 24105)
        XCTAssertEqual(f.vcpus, 2)
        XCTAssertEqual(f.serviceManager, "process_api")
        XCTAssertFalse(f.isRaspberryPi)
        XCTAssertNil(f.piModel)
        XCTAssertEqual(f.kernel, "6.18.44-fc-v595")
        XCTAssertTrue(f.tools.contains("apt-get"))
        XCTAssertFalse(f.tools.contains("nc"))
        XCTAssertEqual(f.cgroupVersion, 1)
        XCTAssertEqual(f.cgroupMemory, true)
        XCTAssertNil(f.bootCmdline)
    }

    func testPi4With64BitKernelAnd32BitUserlandIsArmhf() throws {
        let f = FactParser.parse(try fixtureText("facts/raspios-bookworm-armhf-pi4-64bit-kernel.txt"))
        XCTAssertEqual(f.architecture, "aarch64")
        XCTAssertEqual(f.debianArch, "armhf", "dpkg's userland architecture wins over uname -m")
        XCTAssertEqual(f.distribution, "Debian", "Raspbian reads as Debian, as Ansible reports it")
        XCTAssertEqual(f.osRelease["ID"], "raspbian")
        XCTAssertEqual(f.distributionVersion, "12")
        XCTAssertEqual(f.distributionMinorVersion, "8")
        XCTAssertEqual(f.distributionRelease, "bookworm")
        XCTAssertTrue(f.isRaspberryPi)
        XCTAssertEqual(f.piModel, "Raspberry Pi 4 Model B Rev 1.4")
        XCTAssertEqual(f.serviceManager, "systemd")
        XCTAssertEqual(f.defaultIPv4?.address, "192.168.1.42")
        XCTAssertEqual(f.defaultIPv4?.interface, "eth0")
        XCTAssertEqual(f.memTotalMB, 3794)
        XCTAssertEqual(f.userID, "pi")
        XCTAssertEqual(f.cgroupVersion, 2)
        XCTAssertEqual(f.cgroupMemory, false, "no memory controller listed: Docker cannot limit memory yet")
        XCTAssertEqual(f.bootCmdline, "/boot/firmware/cmdline.txt")
    }

    func testPi5OnRaspberryPiOS64Bit() throws {
        let f = FactParser.parse(try fixtureText("facts/raspios-bookworm-arm64-pi5.txt"))
        XCTAssertEqual(f.debianArch, "arm64")
        XCTAssertEqual(f.distribution, "Debian")
        XCTAssertEqual(f.piModel, "Raspberry Pi 5 Model B Rev 1.0")
        XCTAssertEqual(f.hostname, "pi5-manager")
        XCTAssertEqual(f.fqdn, "pi5-manager.home.arpa")
        XCTAssertEqual(f.allIPv4, ["10.0.0.15", "172.17.0.1"])
        let v = f.values
        XCTAssertEqual(v["ansible_domain"], "home.arpa")
        XCTAssertEqual(v["ansible_default_ipv4"]?["netmask"], "255.255.255.0")
    }

    func testPi3BusterFallsBackToCpuinfoModelUnameArchAndDefaultRoute() throws {
        let f = FactParser.parse(try fixtureText("facts/raspbian-buster-armv7l-pi3.txt"))
        XCTAssertEqual(f.architecture, "armv7l")
        XCTAssertEqual(f.debianArch, "armhf", "mapped from uname -m when dpkg printed nothing")
        XCTAssertNil(f.deviceModel)
        XCTAssertEqual(f.piModel, "Raspberry Pi 3 Model B Rev 1.2", "from /proc/cpuinfo's Model line")
        XCTAssertEqual(f.distributionRelease, "buster", "from PRETTY_NAME when VERSION_CODENAME is missing")
        XCTAssertEqual(f.cgroupVersion, 1)
        XCTAssertEqual(f.cgroupMemory, false, "/proc/cgroups says memory is disabled")
        XCTAssertEqual(f.bootCmdline, "/boot/cmdline.txt")
        XCTAssertEqual(f.defaultIPv4, HostFacts.IPv4(address: "192.168.0.23", interface: "wlan0", gateway: "192.168.0.1", prefixLength: 24))
    }

    func testPiZeroArmv6IsArmhfOnRaspbian() throws {
        let f = FactParser.parse(try fixtureText("facts/raspbian-bullseye-armv6l-pizero.txt"))
        XCTAssertEqual(f.architecture, "armv6l")
        XCTAssertEqual(f.debianArch, "armhf")
        XCTAssertEqual(f.piModel, "Raspberry Pi Zero W Rev 1.1")
        XCTAssertEqual(f.vcpus, 1)
        XCTAssertNil(f.swapTotalMB)
    }

    func testUbuntu() throws {
        let f = FactParser.parse(try fixtureText("facts/ubuntu2404-x86_64.txt"))
        XCTAssertEqual(f.distribution, "Ubuntu")
        XCTAssertEqual(f.distributionVersion, "24.04")
        XCTAssertEqual(f.distributionMinorVersion, "04", "debian_version's 'trixie/sid' is ignored on Ubuntu")
        XCTAssertEqual(f.distributionRelease, "noble")
        XCTAssertEqual(f.hostname, "nuc1", "ansible_hostname is the first label")
        XCTAssertEqual(f.fqdn, "nuc1.lab.example")
        XCTAssertEqual(f.defaultIPv4?.prefixLength, 23)
        XCTAssertEqual(f.values["ansible_default_ipv4"]?["netmask"], "255.255.254.0")
        XCTAssertEqual(f.serviceManager, "systemd")
        XCTAssertFalse(f.isRaspberryPi)
        XCTAssertEqual(f.cgroupMemory, true)
    }

    func testValuesUseAnsibleNamesAndMirrorThemInAnsibleFacts() throws {
        let f = FactParser.parse(try fixtureText("facts/raspios-bookworm-armhf-pi4-64bit-kernel.txt"))
        let v = f.values
        XCTAssertEqual(v["ansible_architecture"], "aarch64")
        XCTAssertEqual(v["ansible_distribution"], "Debian")
        XCTAssertEqual(v["ansible_distribution_version"], "12")
        XCTAssertEqual(v["ansible_distribution_minor_version"], "8")
        XCTAssertEqual(v["ansible_distribution_release"], "bookworm")
        XCTAssertEqual(v["ansible_hostname"], "pi-node2")
        XCTAssertEqual(v["ansible_default_ipv4"]?["address"], "192.168.1.42")
        XCTAssertEqual(v["ansible_memtotal_mb"], 3794)
        XCTAssertEqual(v["ansible_processor_vcpus"], 4)
        XCTAssertEqual(v["ansible_service_mgr"], "systemd")
        XCTAssertEqual(v["ansible_debian_arch"], "armhf")
        XCTAssertEqual(v["ansible_is_raspberry_pi"], true)
        XCTAssertEqual(v["ansible_pi_model"], "Raspberry Pi 4 Model B Rev 1.4")
        XCTAssertEqual(v["ansible_cgroup_memory"], false)
        XCTAssertEqual(v["ansible_pi_boot_cmdline"], "/boot/firmware/cmdline.txt")
        let inner = try XCTUnwrap(v["ansible_facts"]?.dictValue)
        XCTAssertEqual(inner["architecture"], "aarch64")
        XCTAssertEqual(inner["debian_arch"], "armhf")
        XCTAssertEqual(inner["is_raspberry_pi"], true)
        XCTAssertEqual(inner["pi_model"], "Raspberry Pi 4 Model B Rev 1.4")
        XCTAssertEqual(inner["default_ipv4"]?["interface"], "eth0")
    }

    func testDebianArchitectureMapping() {
        let table: [(String, String?)] = [
            ("x86_64", "amd64"), ("aarch64", "arm64"), ("armv7l", "armhf"), ("armv6l", "armhf"),
            ("i686", "i386"), ("ppc64le", "ppc64el"), ("riscv64", "riscv64"), ("sparc", nil),
        ]
        for (machine, want) in table { XCTAssertEqual(DebianArchitecture.from(machine: machine), want, machine) }
    }

    func testOSReleaseUnquoting() {
        let r = OSRelease.parse("A=\"x \\\"y\\\"\"\nB='single'\n# comment\nC=plain\n")
        XCTAssertEqual(r, ["A": "x \"y\"", "B": "single", "C": "plain"])
    }

    func testEmptyOutputYieldsEmptyFactsWithoutCrashing() {
        let f = FactParser.parse("")
        XCTAssertEqual(f.architecture, "")
        XCTAssertNil(f.defaultIPv4)
        XCTAssertEqual(f.values["ansible_default_ipv4"], .dict([:]))
    }

    func testPythonFactsFromPython3Version() {
        let final = FactParser.python(["/usr/bin/python3", "Python 3.11.2"])
        XCTAssertEqual(final?.dictValue?["version_info"], .list([3, 11, 2, "final", 0]))
        XCTAssertEqual(final?.dictValue?["executable"], "/usr/bin/python3")
        XCTAssertEqual(FactParser.python(["/usr/bin/python3", "Python 3.13.0rc1"])?.dictValue?["version_info"],
                       .list([3, 13, 0, "candidate", 1]))
        XCTAssertEqual(FactParser.python(["/usr/bin/python3", "Python 3.12.0b2"])?.dictValue?["version_info"],
                       .list([3, 12, 0, "beta", 2]))
        XCTAssertNil(FactParser.python([]), "no python3: no ansible_python, as on a node without it")
        XCTAssertNil(FactParser.python(["/usr/bin/python3", "sh: python3: not found"]))
        let facts = FactParser.parse("@@ python\n/usr/bin/python3\nPython 3.9.2\n@@ end\n").unprefixed
        XCTAssertEqual(facts["python_version"], "3.9.2")
        XCTAssertEqual(facts["python"]?.dictValue?["version"]?.dictValue?["minor"], 9)
    }
}
