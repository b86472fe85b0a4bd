import Foundation
import XCTest
@testable import ProvisionCore

/// The facts in Ansible's shapes and types, on output recorded on a lab node; the expected
/// values are what ansible-core 2.14's `setup` reported on the twin node (same image, same
/// machine).
final class AnsibleFactShapeTests: XCTestCase {
    func testLabNodeFactsHaveAnsiblesValuesAndTypes() throws {
        let f = FactParser.parse(try fixtureText("facts/lab-node-bookworm.txt")).unprefixed
        XCTAssertEqual(f["processor_cores"], .int(2))
        XCTAssertEqual(f["processor_count"], .int(1))
        XCTAssertEqual(f["processor_vcpus"], .int(2))
        XCTAssertEqual(f["processor_threads_per_core"], .int(1))
        XCTAssertEqual(f["processor"], .list(["0", "GenuineIntel", "Intel(R) Xeon(R) Processor",
                                              "1", "GenuineIntel", "Intel(R) Xeon(R) Processor"]))
        XCTAssertEqual(f["distribution_major_version"], .string("12"))
        XCTAssertEqual(f["distribution_file_variety"], .string("Debian"))
        XCTAssertEqual(f["memtotal_mb"], .int(24105))
        XCTAssertEqual(f["lsb"], .dict([:]))
        XCTAssertEqual(f["nodename"], .string("mod2"))
        XCTAssertEqual(f["hostname"], .string("mod2"))
        XCTAssertEqual(f["user_shell"], .string("/bin/bash"))
        XCTAssertEqual(f["env"]?["HOME"], .string("/home/pi"))
        let ip = try XCTUnwrap(f["default_ipv4"]?.dictValue)
        XCTAssertEqual(ip["prefix"], .string("24"))
        XCTAssertEqual(ip["mtu"], .int(1500))
        XCTAssertEqual(ip["type"], .string("ether"))
        XCTAssertEqual(ip["network"], .string("172.30.214.0"))
        XCTAssertEqual(ip["broadcast"], .string("172.30.214.255"))
        XCTAssertEqual(ip["netmask"], .string("255.255.255.0"))
        XCTAssertEqual(ip["macaddress"], .string("02:42:ac:1e:d6:0c"))
        let dt = try XCTUnwrap(f["date_time"]?.dictValue)
        XCTAssertEqual(Set(dt.keys), ["date", "day", "epoch", "epoch_int", "hour", "iso8601", "iso8601_basic",
                                      "iso8601_basic_short", "iso8601_micro", "minute", "month", "second", "time",
                                      "tz", "tz_dst", "tz_offset", "weekday", "weekday_number", "weeknumber", "year"])
        XCTAssertEqual(dt["epoch"], .string("1796332368"))
        XCTAssertEqual(dt["iso8601_micro"], .string("2026-12-03T21:12:48.288709Z"))
        XCTAssertEqual(dt["iso8601_basic"], .string("20261203T211248285052"))
        XCTAssertEqual(dt["tz_dst"], .string("UTC"))
    }

    func testCpuFactsOnARMCountProcessorEntries() {
        let pi4 = ["processor\t: 0", "model name\t: ARMv7 Processor rev 3 (v7l)", "processor\t: 1",
                   "model name\t: ARMv7 Processor rev 3 (v7l)", "processor\t: 2", "model name\t: ARMv7 Processor rev 3 (v7l)",
                   "processor\t: 3", "model name\t: ARMv7 Processor rev 3 (v7l)"]
        let f = FactParser.cpuFacts(pi4, architecture: "armv7l")
        XCTAssertEqual(f["processor_count"], .int(4))
        XCTAssertEqual(f["processor_cores"], .int(1))
        XCTAssertEqual(f["processor_vcpus"], .int(4))
    }

    func testLSBFromTheFileWhenNoCommand() {
        let v = FactParser.lsb(release: [], file: ["DISTRIB_ID=Ubuntu", "DISTRIB_RELEASE=24.04", "DISTRIB_CODENAME=noble",
                                                    "DISTRIB_DESCRIPTION=\"Ubuntu 24.04 LTS\""])
        XCTAssertEqual(v, .dict(["id": "Ubuntu", "release": "24.04", "codename": "noble", "description": "Ubuntu 24.04 LTS",
                                 "major_release": "24"]))
    }

    func testGatherSubsetArithmetic() throws {
        XCTAssertEqual(try SetupModule.subsets(["all"]), ["min", "hardware", "network", "virtual"])
        XCTAssertEqual(try SetupModule.subsets(["!all"]), ["min"])
        XCTAssertEqual(try SetupModule.subsets(["!hardware"]), ["min", "network", "virtual"])
        XCTAssertEqual(try SetupModule.subsets(["network"]), ["min", "network"])
        XCTAssertEqual(try SetupModule.subsets(["!all", "!min"]), [])
        XCTAssertThrowsError(try SetupModule.subsets(["nope"]))
    }
}
