import XCTest
@testable import ProvisionCore

/// The community.docker-compatible modules' argument checks and CLI-output parsers.
final class DockerCompatArgumentTests: XCTestCase {
    func make(_ t: any Module.Type, _ args: [String: Value]) throws -> any Module {
        try ModuleRegistry.make(t, arguments: args)
    }

    func testRequiredIfErrorsMeanWhatTheCollectionsMean() {
        XCTAssertThrowsError(try make(DockerSwarmCompatModule.self, ["state": "join", "join_token": "x"])) {
            XCTAssertEqual("\($0)", "state is join but all of the following are missing: remote_addrs")
        }
        XCTAssertThrowsError(try make(DockerSwarmCompatModule.self, ["state": "remove"])) {
            XCTAssertTrue("\($0)".contains("node_id"))
        }
        XCTAssertThrowsError(try make(DockerImageModule.self, ["name": "busybox"])) {
            XCTAssertTrue("\($0)".contains("state is present but all of the following are missing: source"))
        }
        XCTAssertThrowsError(try make(DockerSwarmServiceModule.self, ["name": "s"]))
        XCTAssertNoThrow(try make(DockerSwarmServiceModule.self, ["name": "s", "state": "absent"]))
        XCTAssertThrowsError(try make(ImageShipModule.self, ["name": "a", "archive": "b"]))
        XCTAssertNotNil(ModuleRegistry.lookup("community.docker.docker_swarm"))
        XCTAssertTrue(ModuleRegistry.lookup("docker_network") == DockerNetworkCompatModule.self)
        XCTAssertTrue(ModuleRegistry.lookup("swarm_network") == SwarmNetworkModule.self)
    }

    func testImageNamesPortsSizesDurationsAndWords() throws {
        XCTAssertTrue(DockerImageModule.split(name: "reg:5000/a/b:1.2", tag: "latest") == ("reg:5000/a/b", "1.2"))
        XCTAssertTrue(DockerImageModule.split(name: "reg:5000/a/b", tag: "latest") == ("reg:5000/a/b", "latest"))
        XCTAssertEqual(ContainerSpec.portBindings(["8080:80", "127.0.0.1:53:53/udp", "9000"]),
                       ["80/tcp||8080", "53/udp|127.0.0.1|53", "9000/tcp||"])
        XCTAssertEqual(ContainerSpec.bytes("512m"), 512 * 1024 * 1024)
        XCTAssertEqual(ContainerSpec.bytes("1G"), 1024 * 1024 * 1024)
        XCTAssertNil(ContainerSpec.bytes("lots"))
        XCTAssertEqual(ContainerSpec.nanoseconds("1m30s"), 90_000_000_000)
        XCTAssertEqual(ContainerSpec.nanoseconds("500ms"), 500_000_000)
        XCTAssertEqual(try ContainerSpec.shellWords(#"sh -c 'echo "a b"' x\ y"#), ["sh", "-c", #"echo "a b""#, "x y"])
        XCTAssertEqual(DockerImageLoadModule.loadedNames("Loaded image: a:b\nLoaded image ID: sha256:ff\n"), ["a:b", "sha256:ff"])
    }

    func testNodeLabelPlanMergesReplacesAndWarns() throws {
        let spec: Value = ["Role": "worker", "Availability": "active", "Labels": ["a": "1", "b": "2"]]
        let merge = try XCTUnwrap(try make(DockerNodeModule.self, ["hostname": "n", "labels": ["a": "1", "c": "3"],
                                                                  "labels_to_remove": ["b", "c"]]) as? DockerNodeModule)
        let p = merge.plan(spec: spec)
        XCTAssertEqual(p.flags, ["--label-add", "c=3", "--label-rm", "b"])
        XCTAssertEqual(p.warnings.count, 1)
        let replace = try XCTUnwrap(try make(DockerNodeModule.self, ["hostname": "n", "labels_state": "replace",
                                                                    "availability": "drain"]) as? DockerNodeModule)
        XCTAssertEqual(replace.plan(spec: spec).flags, ["--availability", "drain", "--label-rm", "a", "--label-rm", "b"])
        let same = try XCTUnwrap(try make(DockerNodeModule.self, ["hostname": "n", "labels": ["a": "1"]]) as? DockerNodeModule)
        XCTAssertEqual(same.plan(spec: spec).flags, [])
    }

    /// The wording the collection's integration tests compare exactly.
    func testMessagesTheCollectionsTestsCompare() {
        XCTAssertThrowsError(try make(DockerSwarmCompatModule.self, ["state": "join"])) {
            XCTAssertEqual("\($0)", "state is join but all of the following are missing: remote_addrs, join_token")
        }
        XCTAssertThrowsError(try make(DockerStackModule.self, ["state": "present"])) {
            XCTAssertEqual("\($0)", "missing required arguments: name")
        }
        XCTAssertThrowsError(try make(DockerStackModule.self, ["name": "s"])) {
            XCTAssertEqual("\($0)", "compose parameter must be a list containing at least one element")
        }
        XCTAssertThrowsError(try make(DockerNetworkCompatModule.self, ["name": "n", "ipam_config": [["subnet": "fdd1:ac8c:557:7ce1::"]]])) {
            XCTAssertEqual("\($0)", #""fdd1:ac8c:557:7ce1::" is not a valid CIDR"#)
        }
        XCTAssertNoThrow(try make(DockerNetworkCompatModule.self, ["name": "n", "ipam_config": [["subnet": "fdd1:ac8c:557:7ce1::/64"], ["subnet": "10.1.2.0/24"]]]))
        XCTAssertNoThrow(try make(DockerSwarmServiceModule.self, ["name": "s", "image": "i", "networks": [["name": "n", "aliases": ["a"]]]]))
        XCTAssertThrowsError(try make(DockerSwarmServiceModule.self, ["name": "s", "image": "i", "networks": [["name": "n", "foo": 1]]])) {
            XCTAssertEqual("\($0)", "foo are not valid keys for the networks option")
        }
        XCTAssertNoThrow(try make(DockerSwarmServiceModule.self, ["name": "s", "image": "i", "networks": [["name": "n", "aliases": []]]]))
        XCTAssertThrowsError(try make(DockerSwarmServiceModule.self, ["name": "s", "image": "i", "networks": [["aliases": ["a"]]]])) {
            XCTAssertEqual("\($0)", #""name" is required when networks are passed as dictionaries."#)
        }
    }

    /// Network differences carry the collection's keys (`network.diff.differences`).
    func testNetworkDifferencesUseTheCollectionsKeys() throws {
        let net: Value = ["Driver": "bridge", "Options": [:], "Labels": [:], "EnableIPv6": true,
                          "IPAM": ["Driver": "default", "Config": [["Subnet": "fdd1::/64", "Gateway": "fdd1::1"]]]]
        let same = try XCTUnwrap(try make(DockerNetworkCompatModule.self, ["name": "n", "enable_ipv6": true,
                                                                          "ipam_config": [["subnet": "fdd1::/64"]]]) as? DockerNetworkCompatModule)
        XCTAssertTrue(same.differences(net).isEmpty)
        let other = try XCTUnwrap(try make(DockerNetworkCompatModule.self, ["name": "n", "enable_ipv6": true, "labels": ["a": "b"],
                                                                           "driver_options": ["x": "1"],
                                                                           "ipam_config": [["subnet": "fdd2::/64"]]]) as? DockerNetworkCompatModule)
        XCTAssertEqual(other.differences(net).map(\.key), ["driver_options", "ipam_config[0].subnet", "labels"])
    }

    /// Swarm settings compare with the spec as the engine shows it and land at their place.
    func testSwarmSettingsCompareAndApply() throws {
        let a = try ModuleArguments(["labels": ["a": "v1"], "election_tick": 10, "autolock_managers": false, "name": "default"],
                                    spec: DockerSwarmCompatModule.argumentSpec)
        let settings = try SwarmSetting.parse(a)
        let spec: Value = ["Name": "default", "Raft": ["ElectionTick": 10], "EncryptionConfig": [:]]
        XCTAssertEqual(settings.filter { $0.differs(from: spec) }.map(\.option), ["labels"])
        XCTAssertNil(settings.first { $0.option == "labels" }?.cliArgument)
        XCTAssertEqual(settings.first { $0.option == "autolock_managers" }?.cliArgument, "--autolock=false")
        let applied = SwarmSetting.apply(settings, to: spec)
        XCTAssertEqual(applied["Labels"]?["a"], "v1")
        XCTAssertEqual(applied["Raft"]?["ElectionTick"], 10)
        XCTAssertTrue(settings.allSatisfy { !$0.differs(from: applied) })
    }

    /// `swarm_service` has every fact key, the task's values, and nulls for the rest.
    func testSwarmServiceFactsAsTheCollectionShapesThem() throws {
        let a = ModuleArguments(["name": "s", "image": "b", "mode": "global", "endpoint_mode": "vip", "args": ["sleep", "1800"],
                                 "publish": [["protocol": "udp", "published_port": 60001, "target_port": 60001]],
                                 "restart_config": ["condition": "any", "delay": "5s"]],
                                spec: DockerSwarmServiceModule.argumentSpec)
        let facts = ServiceFacts.facts(arguments: a, want: try ServiceSpec(arguments: a), image: nil)
        XCTAssertEqual(facts.dictValue?.count, ServiceFacts.keys.count)
        XCTAssertEqual(facts["args"], ["sleep", "1800"])
        XCTAssertEqual(facts["replicas"], .null)
        XCTAssertEqual(facts["force_update"], .null)
        XCTAssertEqual(facts["publish"], [["mode": nil, "protocol": "udp", "published_port": 60001, "target_port": 60001]])
        XCTAssertEqual(facts["restart_policy"], "any")
        XCTAssertEqual(facts["restart_policy_delay"], .int(5_000_000_000))
        XCTAssertEqual(facts["image"], "b")
    }

    /// Ansible rejects these arguments only when the task runs: the playbook loads with warnings
    /// (the collection's tests probe messages that way), and --strict refuses it.
    func testArgumentProblemsAreWarningsBeforeTheRun() throws {
        let tolerant = """
        - hosts: all
          tasks:
            - community.docker.docker_swarm:
                state: join
              ignore_errors: true
            - community.docker.docker_stack:
                state: present
              register: r
              failed_when: false
        """
        let loaded = try PlaybookLoader(knownVariables: []).parse(tolerant, file: "t.yml")
        let texts = loaded.warnings.map { $0.renderedAsWarning() }
        XCTAssertTrue(texts.contains { $0.contains("state is join but all of the following are missing: remote_addrs, join_token") }, "\(texts)")
        XCTAssertTrue(texts.contains { $0.contains("missing required arguments: name") }, "\(texts)")
        XCTAssertNoThrow(try PlaybookLoader(knownVariables: []).parse(tolerant.replacingOccurrences(of: "      ignore_errors: true\n", with: ""), file: "t.yml"))
        var strict = PlaybookLoader(knownVariables: [])
        strict.strict = true
        XCTAssertThrowsError(try strict.parse(tolerant, file: "t.yml"))
    }
}
