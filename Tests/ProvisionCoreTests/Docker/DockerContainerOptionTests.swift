import XCTest
@testable import ProvisionCore

/// docker_container's table-driven options, and the parsers of the newer compatible modules
/// (prune output, volume differences), on recorded inspect/CLI output with no host.
final class DockerContainerOptionTests: XCTestCase {
    func container(_ args: [String: Value]) throws -> DockerContainerModule {
        try XCTUnwrap(try ModuleRegistry.make(DockerContainerModule.self, arguments: ["name": "c", "image": "i"].merging(args) { $1 })
            as? DockerContainerModule)
    }

    /// An inspect output with the host config and config given.
    func inspect(host: [String: Value] = [:], config: [String: Value] = [:]) -> Value {
        .dict(["HostConfig": .dict(host), "Config": .dict(config)])
    }

    func testFlagsForTableOptions() throws {
        let m = try container([
            "dns_servers": ["1.1.1.1", "8.8.8.8"], "cap_drop": ["all"], "sysctls": ["net.ipv4.ip_forward": 1],
            "ulimits": ["nofile:1024:2048", "nproc:10"], "etc_hosts": ["db": "10.0.0.2"], "cpus": .double(1.5),
            "tmpfs": ["/tmp:size=1m"], "shm_size": "64m", "oom_killer": true, "devices": ["/dev/null:/dev/x:r"],
        ])
        let (flags, _) = try m.spec.createArguments(name: "c")
        let line = flags.joined(separator: " ")
        for want in ["--dns 1.1.1.1 --dns 8.8.8.8", "--cap-drop all", "--sysctl net.ipv4.ip_forward=1",
                     "--ulimit nofile=1024:2048 --ulimit nproc=10:10", "--add-host db:10.0.0.2", "--cpus 1.5",
                     "--tmpfs /tmp:size=1m", "--shm-size 64m", "--oom-kill-disable=true", "--device /dev/null:/dev/x:r"] {
            XCTAssertTrue(line.contains(want), "\(want) not in \(line)")
        }
    }

    func testComparisonsFollowTheOptionsType() throws {
        let have = inspect(host: ["Dns": ["8.8.8.8", "1.1.1.1"], "CapDrop": ["ALL", "NET_RAW"], "NanoCpus": 1_500_000_000,
                                  "Sysctls": ["a": "1", "b": "2"], "Ulimits": [["Name": "nofile", "Soft": 1024, "Hard": 2048]],
                                  "ShmSize": 67_108_864, "Devices": [["PathOnHost": "/dev/null", "PathInContainer": "/dev/null", "CgroupPermissions": "rwm"]]])
        // Lists are strict and ordered: another order is a difference.
        XCTAssertEqual(try container(["dns_servers": ["1.1.1.1", "8.8.8.8"]]).spec.differences(have).map(\.option), ["dns_servers"])
        XCTAssertEqual(try container(["dns_servers": ["8.8.8.8", "1.1.1.1"]]).spec.differences(have).map(\.option), [])
        // Sets and dicts allow more on the container, unless strict.
        XCTAssertEqual(try container(["cap_drop": ["all"], "sysctls": ["a": 1], "devices": ["/dev/null"]]).spec.differences(have).map(\.option), [])
        XCTAssertEqual(try container(["cap_drop": ["all"], "comparisons": ["cap_drop": "strict"]]).spec.differences(have).map(\.option), ["cap_drop"])
        XCTAssertEqual(try container(["sysctls": ["a": "2"]]).spec.differences(have).map(\.option), ["sysctls"])
        XCTAssertEqual(try container(["cpus": .double(1.5), "shm_size": "64M", "ulimits": ["nofile:1024:2048"]]).spec.differences(have).map(\.option), [])
        XCTAssertEqual(try container(["cpus": 2]).spec.differences(have).first?.updatable, true)
        XCTAssertEqual(try container(["cpus": 2, "comparisons": ["*": "ignore"]]).spec.differences(have).map(\.option), [])
        // stop_timeout is only compared when asked.
        XCTAssertEqual(try container(["stop_timeout": 3]).spec.differences(have).map(\.option), [])
    }

    func testBadOptionValuesFailAtLoad() {
        func make(_ args: [String: Value]) throws -> any Module {
            try ModuleRegistry.make(DockerContainerModule.self, arguments: ["name": "c", "image": "i"].merging(args) { $1 })
        }
        XCTAssertThrowsError(try make(["ulimits": ["nofile"]]))
        XCTAssertThrowsError(try make(["shm_size": "lots"]))
        XCTAssertThrowsError(try make(["labels": ["a": .double(1.0)]])) {
            XCTAssertEqual("\($0)", "The value 1.0 for 'a' of labels is not a string or something than can be safely converted to a string!")
        }
    }

    func testPruneOutputAndSizes() {
        let out = "Deleted Containers:\nabc123\ndef456\n\nTotal reclaimed space: 1.5kB\n"
        let p = DockerPruneModule.parse(out)
        XCTAssertEqual(p.items, ["abc123", "def456"])
        XCTAssertEqual(p.bytes, 1500)
        XCTAssertEqual(DockerPruneModule.parse("Total reclaimed space: 0B\n").items, [])
        XCTAssertEqual(DockerPruneModule.parse("Deleted Networks:\nnet1\n").items, ["net1"])
        XCTAssertEqual(DockerPruneModule.decimalBytes("2MB"), 2_000_000)
        XCTAssertEqual(DockerPruneModule.filterFlags(["label": ["a=1", "b=2"], "dangling": true]),
                       ["--filter", "dangling=true", "--filter", "label=a=1", "--filter", "label=b=2"])
    }

    func testVolumeDifferences() throws {
        let m = try XCTUnwrap(try ModuleRegistry.make(DockerVolumeModule.self, arguments: [
            "name": "v", "driver_options": ["o": "size=1m"], "labels": ["a": "1"]]) as? DockerVolumeModule)
        let same: Value = ["Driver": "local", "Options": ["o": "size=1m"], "Labels": ["a": "1", "b": "2"]]
        XCTAssertEqual(m.differences(same), [])
        let other: Value = ["Driver": "local", "Options": ["o": "size=2m"], "Labels": [:]]
        XCTAssertEqual(m.differences(other), ["driver_options.o", "labels.a"])
    }
}
