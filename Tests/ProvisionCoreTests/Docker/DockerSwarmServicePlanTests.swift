import XCTest
@testable import ProvisionCore

/// `docker_swarm_service`'s plans: the `docker service create` flags for networks with
/// aliases, mounts, secrets, configs and the container options, and the `docker service update`
/// flags (or a rebuild) that bring an existing spec to the task, compared as the collection
/// compares them; plus `docker_secret`/`docker_config`'s change rules.
final class DockerSwarmServicePlanTests: XCTestCase {
    func spec(_ args: [String: Value]) throws -> ServiceSpec {
        let a = ModuleArguments(["name": "s", "image": "img:1"].merging(args) { $1 }, spec: DockerSwarmServiceModule.argumentSpec)
        return try ServiceSpec(arguments: a)
    }

    /// A spec as `docker service inspect` shows one made from `full`.
    let existing: Value = [
        "Mode": ["Replicated": ["Replicas": 1]],
        "TaskTemplate": [
            "ContainerSpec": [
                "Image": "img:1@sha256:abc",
                "Mounts": [
                    ["Type": "volume", "Source": "data", "Target": "/data", "VolumeOptions": ["Labels": ["k": "v"]]],
                    ["Type": "tmpfs", "Target": "/scratch", "TmpfsOptions": ["SizeBytes": 1_048_576, "Mode": 448]],
                ],
                "Secrets": [["SecretID": "sid1", "SecretName": "pw", "File": ["Name": "pw", "UID": "0", "GID": "0", "Mode": 292]]],
                "Configs": [["ConfigID": "cid1", "ConfigName": "conf", "File": ["Name": "/etc/app.conf", "UID": "0", "GID": "0", "Mode": 292]]],
                "DNSConfig": ["Nameservers": ["1.1.1.1", "8.8.8.8"]],
                "Hosts": ["10.0.0.1 db"],
                "Healthcheck": ["Test": ["CMD-SHELL", "true"], "Interval": 5_000_000_000],
                "StopGracePeriod": 10_000_000_000,
            ],
            "Networks": [["Target": "nid1", "Aliases": ["web", "front"]]],
            "LogDriver": ["Name": "json-file", "Options": ["max-size": "1m"]],
        ],
        "RollbackConfig": ["Parallelism": 2, "Delay": 0, "FailureAction": "pause", "Order": "stop-first"],
    ]
    let ids = ["network:appnet": "nid1", "network:other": "nid2", "secret:pw": "sid1", "config:conf": "cid1"]

    let full: [String: Value] = [
        "networks": [["name": "appnet", "aliases": ["front", "web"]]],
        "mounts": [["source": "data", "target": "/data", "type": "volume", "labels": ["k": "v"]],
                   ["target": "/scratch", "type": "tmpfs", "tmpfs_size": "1M", "tmpfs_mode": 448]],
        "secrets": [["secret_name": "pw"]],
        "configs": [["config_name": "conf", "filename": "/etc/app.conf", "mode": 292]],
        "dns": ["1.1.1.1", "8.8.8.8"],
        "hosts": ["db": "10.0.0.1"],
        "healthcheck": ["test": "true", "interval": "5s"],
        "logging": ["driver": "json-file", "options": ["max-size": "1m"]],
        "rollback_config": ["parallelism": 2, "failure_action": "pause"],
        "stop_grace_period": "10s",
    ]

    func testCreateFlagsCarryAliasesMountsSecretsAndConfigs() throws {
        let f = try spec(full).createArguments(name: "s")
        XCTAssertTrue(f.contains("name=appnet,alias=front,alias=web"), "\(f)")
        XCTAssertTrue(f.contains("type=volume,source=data,target=/data,volume-label=k=v"), "\(f)")
        XCTAssertTrue(f.contains("type=tmpfs,target=/scratch,tmpfs-size=1048576,tmpfs-mode=700"), "\(f)")
        XCTAssertTrue(f.contains("source=pw,target=pw"), "\(f)")
        XCTAssertTrue(f.contains("source=conf,target=/etc/app.conf,mode=0444"), "\(f)")
        for flag in ["--dns", "--host", "--health-cmd", "--log-opt", "--rollback-parallelism", "--stop-grace-period"] {
            XCTAssertTrue(f.contains(flag), "\(flag) missing in \(f)")
        }
        XCTAssertEqual(Array(f.suffix(2)), ["--", "img:1"])
        let opts = try spec(["networks": [["name": "n", "options": ["com.x": true]]]]).createArguments(name: "s")
        XCTAssertTrue(opts.contains("name=n,driver-opt=com.x=true"), "\(opts)")
    }

    func testTheSameServiceNeedsNoUpdate() throws {
        let plan = try spec(full).updatePlan(existing, ids: ids)
        XCTAssertEqual(plan.flags, [])
        XCTAssertEqual(plan.changes, [])
        XCTAssertFalse(plan.rebuild)
        // Options the task leaves out are not compared.
        XCTAssertEqual(try spec([:]).updatePlan(existing, ids: ids).flags, [])
    }

    func testChangedAttachmentsUseAddAndRemoveFlags() throws {
        var args = full
        args["networks"] = [["name": "appnet", "aliases": ["web"]], "other"]
        args["mounts"] = [["source": "data", "target": "/data", "type": "volume", "readonly": true]]
        args["secrets"] = [["secret_name": "pw", "mode": 256]]
        args["configs"] = []
        let plan = try spec(args).updatePlan(existing, ids: ids.merging(["secret:pw": "sid2"]) { $1 })
        XCTAssertEqual(plan.changes, ["networks", "mounts", "secrets", "configs"])
        let f = plan.flags
        XCTAssertTrue(f.contains(["--network-rm", "nid1", "--network-add", "name=appnet,alias=web", "--network-add", "other"]), "\(f)")
        // The changed mount is re-added (which replaces it); only the gone one is removed.
        XCTAssertTrue(f.contains(["--mount-rm", "/scratch", "--mount-add", "type=volume,source=data,target=/data,readonly=true"]), "\(f)")
        XCTAssertTrue(f.contains(["--secret-rm", "pw", "--secret-add", "source=pw,target=pw,mode=0400"]), "\(f)")
        XCTAssertTrue(f.contains(["--config-rm", "conf"]), "\(f)")
        // A secret made anew under the same name (another ID) is a change too.
        var same = full
        same["configs"] = .null
        let recreated = try spec(same).updatePlan(existing, ids: ids.merging(["secret:pw": "sid9"]) { $1 })
        XCTAssertEqual(recreated.changes, ["secrets"])
    }

    func testContainerOptionsUpdateOrRebuild() throws {
        var args = full
        args["hosts"] = ["db": "10.0.0.2", "cache": "10.0.0.3"]
        args["healthcheck"] = ["test": ["CMD-SHELL", "true"], "retries": 3]
        args["logging"] = ["options": ["max-size": "2m"]]
        args["rollback_config"] = ["parallelism": 2, "failure_action": "continue"]
        args["stop_grace_period"] = "20s"
        args["dns"] = ["1.1.1.1", "8.8.8.8", "9.9.9.9"]
        let plan = try spec(args).updatePlan(existing, ids: ids)
        XCTAssertFalse(plan.rebuild)
        XCTAssertEqual(plan.changes, ["dns", "hosts", "healthcheck", "log_opt", "rollback_config", "stop_grace_period"])
        let f = plan.flags
        XCTAssertTrue(f.contains(["--dns-add", "9.9.9.9"]))
        XCTAssertTrue(f.contains(["--host-rm", "db:10.0.0.1", "--host-add", "cache:10.0.0.3", "--host-add", "db:10.0.0.2"]), "\(f)")
        XCTAssertTrue(f.contains(["--health-cmd", "true", "--health-retries", "3", "--health-interval", "0s"]), "\(f)")
        XCTAssertTrue(f.contains(["--log-driver", "json-file", "--log-opt", "max-size=2m"]), "\(f)")
        XCTAssertTrue(f.contains(["--rollback-failure-action", "continue"]) && !f.contains("--rollback-parallelism"), "\(f)")
        // `healthcheck: {}` takes the healthcheck away.
        args = full
        args["healthcheck"] = [:]
        let cleared = try spec(args).updatePlan(existing, ids: ids)
        XCTAssertEqual(cleared.changes, ["healthcheck"])
        XCTAssertTrue(cleared.flags.contains(["--health-cmd", ""]), "\(cleared.flags)")
        // DNS servers in another order: the CLI sorts them on update, so the service is made anew.
        args = full
        args["dns"] = ["8.8.8.8", "1.1.1.1"]
        XCTAssertTrue(try spec(args).updatePlan(existing, ids: ids).rebuild)
        // A mode change rebuilds, as the collection does.
        args = full
        args["mode"] = "global"
        XCTAssertEqual(try spec(args).updatePlan(existing, ids: ids).changes, ["mode"])
    }

    /// Changes carry the collection's names (its `changes` list and diff keys), and the diff's
    /// `before` reads the spec as the collection does.
    func testChangeNamesAndTheCurrentSideOfTheDiff() throws {
        let have: Value = [
            "Mode": ["Replicated": ["Replicas": 1]],
            "TaskTemplate": ["ContainerSpec": ["Image": "img:1"], "RestartPolicy": ["Condition": "any", "MaxAttempts": 0],
                             "Placement": ["Constraints": ["node.role==manager"]], "Resources": ["Limits": ["NanoCPUs": 500_000_000]]],
        ]
        let plan = try spec(["restart_config": ["condition": "on-failure", "max_attempts": 3], "placement": ["constraints": ["node.role==worker"]],
                             "limits": ["cpus": 1], "update_config": ["parallelism": 2]]).updatePlan(have, ids: [:])
        XCTAssertEqual(plan.changes, ["constraints", "restart_policy", "restart_policy_attempts", "update_parallelism", "limit_cpu"])
        // A ratio is a fraction: 0.25 and 0.5 differ.
        let ratio = try spec(["rollback_config": ["max_failure_ratio": .double(0.25)]]).updatePlan(
            ["RollbackConfig": ["MaxFailureRatio": .double(0.5)], "TaskTemplate": ["ContainerSpec": [:]]], ids: [:])
        XCTAssertEqual(ratio.flags, ["--no-resolve-image", "--image", "img:1", "--rollback-max-failure-ratio", "0.25"])
        let current = ServiceFacts.current(have)
        XCTAssertEqual(current["restart_policy"], "any")
        XCTAssertEqual(current["limit_cpu"], .double(0.5))
        XCTAssertEqual(current["constraints"], ["node.role==manager"])
        XCTAssertEqual(current["mode"], "replicated")
    }

    /// Ports compare as the collection's `has_publish_changed`; removals name target, protocol
    /// and mode, as `--publish-rm` matches them.
    func testPublishComparesAsTheCollectionAndRemovesByMode() {
        let host: [Value] = [["TargetPort": 60001, "Protocol": "udp", "PublishMode": "host"]]
        XCTAssertFalse(ServiceSpec.publishPlan([["target_port": 60001, "protocol": "udp", "mode": "host"]], have: host).changed)
        XCTAssertFalse(ServiceSpec.publishPlan([], have: []).changed)
        // Mode not given: not compared.
        XCTAssertFalse(ServiceSpec.publishPlan([["target_port": 60001, "protocol": "udp"]], have: host).changed)
        let cleared = ServiceSpec.publishPlan([], have: host)
        XCTAssertEqual(cleared.flags, ["--publish-rm", "target=60001,protocol=udp,mode=host"])
        let moved = ServiceSpec.publishPlan([["target_port": 80, "published_port": 9090]],
                                            have: [["TargetPort": 80, "PublishedPort": 8080, "Protocol": "tcp", "PublishMode": "ingress"]])
        XCTAssertEqual(moved.flags, ["--publish-rm", "target=80,protocol=tcp,mode=ingress", "--publish-add", "target=80,published=9090,protocol=tcp"])
    }

    func testArgumentErrorsAsTheCollectionGivesThem() {
        func fails(_ args: [String: Value], _ message: String, line: UInt = #line) {
            XCTAssertThrowsError(try spec(args), line: line) { XCTAssertEqual("\($0)", message, line: line) }
        }
        fails(["env": ["A": true]], "Non-string value found for env option. Ambiguous env options must be wrapped in quotes to avoid YAML parsing. Key: A")
        fails(["env": ["A=1", "B"]], "Invalid environment variable found in list, needs to be in format KEY=VALUE.")
        fails(["mounts": [["target": "/x"]]], "Source must be specified for mounts which are not of type tmpfs")
        fails(["networks": [["name": "n", "aliases": "a"]]], "\"aliases\" network option is only allowed as a list")
        fails(["networks": [["name": "n", "options": ["x"]]]], "Only dict is allowed as network options.")
        fails(["networks": [1]], "Only a list of strings or dictionaries are allowed to be passed as networks.")
        fails(["command": true], "Invalid type for command True (<class 'bool'>). Only string or list allowed. Check quoting.")
        fails(["command": ["/bin/sh", true]], "All items in a command list need to be strings. Check quoting. Invalid items: True (<class 'bool'>) at index 1.")
        XCTAssertEqual(try spec(["command": "/bin/sh -c \"sleep 1\""]).command, ["/bin/sh", "-c", "sleep 1"])
        XCTAssertEqual(try spec(["healthcheck": ["test": ["CMD", "sleep", 1]]]).container.healthcheck?["test"], ["CMD-SHELL", "sleep 1"])
        XCTAssertThrowsError(try spec(["healthcheck": ["test": ["WHAT", "true"]]]))
        XCTAssertNoThrow(try spec(["healthcheck": ["test": ["NONE"]]]))
        XCTAssertEqual(try ServiceSpec.environmentFile("# c\nA=1\n\nB=x=y\n", path: "f"), ["A": "1", "B": "x=y"])
        XCTAssertThrowsError(try ServiceSpec.environmentFile("A\n", path: "f"))
    }

    // MARK: - docker_secret / docker_config

    func object(_ kind: String, _ args: [String: Value]) throws -> SwarmDataObject {
        let spec = kind == "secret" ? DockerSecretModule.argumentSpec : DockerConfigModule.argumentSpec
        return try SwarmDataObject(kind: kind, arguments: ModuleArguments(["name": "pw"].merging(args) { $1 }, spec: spec))
    }

    func testSecretChecksAndChangeRules() throws {
        XCTAssertThrowsError(try object("secret", [:])) {
            XCTAssertEqual("\($0)", "state is present but any of the following are missing: data, data_src")
        }
        XCTAssertThrowsError(try object("secret", ["data": "a", "data_src": "/f"])) {
            XCTAssertEqual("\($0)", "parameters are mutually exclusive: data|data_src")
        }
        XCTAssertNoThrow(try object("secret", ["state": "absent"]))
        XCTAssertEqual(try object("secret", ["data": "b3BlbnNlc2FtZSE=", "data_is_b64": true]).data, Data("opensesame!".utf8))
        let s = try object("secret", ["data": "opensesame!", "labels": ["a": "1"]])
        // The data goes on stdin: argv has only '-'.
        let argv = s.createArguments(objectName: "pw", labels: ["ansible_key": "k", "a": "1"])
        XCTAssertEqual(argv, ["secret", "create", "--label", "a=1", "--label", "ansible_key=k", "--", "pw", "-"])
        XCTAssertFalse(argv.joined().contains("opensesame"))
        let have: Value = ["ID": "x", "Spec": ["Name": "pw", "Labels": ["ansible_key": "k", "a": "1", "extra": "y"]]]
        XCTAssertEqual(s.reasons(have, key: "k").reasons, [])
        XCTAssertEqual(s.reasons(have, key: "other").reasons, ["data"])
        let noKey: Value = ["ID": "x", "Spec": ["Name": "pw", "Labels": ["a": "2"]]]
        let r = s.reasons(noKey, key: "k")
        XCTAssertEqual(r.reasons, ["labels"])
        XCTAssertEqual(r.warning, "'ansible_key' label not found. Secret will not be changed unless the force parameter is set to 'true'")
        let c = try object("config", ["data": "x", "template_driver": "golang"])
        XCTAssertEqual(c.reasons(have, key: "k").reasons, ["template_driver"])
        XCTAssertTrue(c.createArguments(objectName: "pw", labels: [:]).contains("--template-driver"))
    }

    func testRollingVersionsAreTheNameWithASuffixOldestFirst() {
        let items: [Value] = [
            ["ID": "3", "Spec": ["Name": "pw_v10", "Labels": ["ansible_version": "10"]]],
            ["ID": "1", "Spec": ["Name": "pw_v2", "Labels": ["ansible_version": "2"]]],
            ["ID": "2", "Spec": ["Name": "pw", "Labels": [:]]],
            ["ID": "4", "Spec": ["Name": "pwx", "Labels": [:]]],
        ]
        XCTAssertEqual(SwarmDataObject.managed(items, name: "pw", rolling: true).compactMap { $0["ID"]?.stringValue }, ["1", "3"])
        XCTAssertEqual(SwarmDataObject.managed(items, name: "pw", rolling: false).compactMap { $0["ID"]?.stringValue }, ["2"])
    }

    func testLongNamesReachTheNewModules() {
        for n in ["docker_secret", "docker_config", "docker_swarm_service_info", "docker_stack_info", "docker_stack_task_info"] {
            XCTAssertNotNil(ModuleRegistry.lookup(n), n)
            XCTAssertNotNil(ModuleRegistry.lookup("community.docker." + n), n)
        }
    }
}
