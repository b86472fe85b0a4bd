import XCTest
@testable import ProvisionCore

/// docker_image's `source: build`, docker_image_build, docker_image_push and
/// docker_container_copy_into without a host: arguments, the build command line, the tar entry
/// the copy sends and reads back, and the newer docker_container options.
final class DockerImageBuildAndCopyTests: XCTestCase {
    func make<M: Module>(_ type: M.Type, _ args: [String: Value]) throws -> M {
        // Load errors are what several tests check: thrown, not recorded as a failure here.
        let m = try ModuleRegistry.make(type, arguments: args)
        guard let typed = m as? M else { throw ModuleError("not a \(M.self)") }
        return typed
    }

    func testDockerImageBuildOptionsBecomeClassicBuilderFlags() throws {
        let m = try make(DockerImageModule.self, [
            "name": "app", "tag": "v1", "source": "build",
            "build": ["path": "/srv/ctx", "dockerfile": "sub/Dockerfile", "args": ["A": 1, "B": true], "target": "final",
                      "nocache": true, "pull": false, "rm": false, "network": "host", "labels": ["l": "x"],
                      "platform": "linux/amd64", "cache_from": ["base:1"], "etc_hosts": ["db": "10.0.0.2"], "shm_size": "64m",
                      "container_limits": ["memory": "100m"]],
        ])
        let build = try XCTUnwrap(m.build)
        let words = build.arguments(buildkit: false)
        XCTAssertEqual(Array(words.prefix(2)), ["--tag", "app:v1"])
        XCTAssertEqual(Array(words.suffix(2)), ["--", "/srv/ctx"])
        let line = words.joined(separator: " ")
        for want in ["--file /srv/ctx/sub/Dockerfile", "--build-arg A=1 --build-arg B=true", "--target final", "--no-cache",
                     "--network host", "--label l=x", "--platform linux/amd64", "--cache-from base:1", "--add-host db:10.0.0.2",
                     "--shm-size 67108864", "--rm=false --force-rm=false", "--memory 100m"] {
            XCTAssertTrue(line.contains(want), "\(want) not in \(line)")
        }
        XCTAssertFalse(line.contains("--pull"))
        XCTAssertFalse(line.contains("--progress"), "the classic builder has no --progress")
    }

    func testDockerImageBuildArgumentErrors() {
        XCTAssertThrowsError(try make(DockerImageModule.self, ["name": "a", "source": "build", "build": ["dockerfile": "x"]])) {
            XCTAssertEqual("\($0)", "If \"source\" is set to \"build\", the \"build.path\" option must be specified.")
        }
        XCTAssertThrowsError(try make(DockerImageModule.self, ["name": "a", "source": "build"])) {
            XCTAssertTrue("\($0)".contains("build"), "\($0)")
        }
        XCTAssertThrowsError(try make(DockerImageModule.self, ["name": "a", "source": "build", "build": ["path": "/x", "bogus": 1]])) {
            XCTAssertTrue("\($0)".contains("build.bogus"), "\($0)")
        }
        XCTAssertThrowsError(try make(DockerImageModule.self, ["name": "a", "source": "build",
                                                               "build": ["path": "/x", "container_limits": ["disk": "1"]]])) {
            XCTAssertEqual("\($0)", "Invalid container_limits key disk")
        }
    }

    func testDockerImageBuildModule() throws {
        let m = try make(DockerImageBuildModule.self, [
            "name": "reg.example:5000/app:2", "path": "/ctx", "platform": ["linux/amd64", "linux/arm64"],
            "secrets": [["id": "s", "type": "value", "value": "hunter2"], ["id": "f", "type": "file", "src": "/k"]],
            "outputs": [["type": "tar", "dest": "/out.tar"]], "rebuild": "always",
        ])
        XCTAssertEqual(m.build.name, "reg.example:5000/app")
        XCTAssertEqual(m.build.tag, "2")
        XCTAssertTrue(m.rebuild)
        let words = m.build.arguments(buildkit: true)
        let line = words.joined(separator: " ")
        XCTAssertTrue(line.hasPrefix("--progress plain --tag reg.example:5000/app:2"), line)
        XCTAssertTrue(line.contains("--platform linux/amd64 --platform linux/arm64"), line)
        XCTAssertTrue(line.contains("--secret id=s,type=env,env=PROVISION_BUILD_SECRET_0"), line)
        XCTAssertTrue(line.contains("--secret id=f,type=file,src=/k"), line)
        XCTAssertTrue(line.contains("--output type=tar,dest=/out.tar"), line)
        XCTAssertFalse(line.contains("hunter2"), "a secret value never goes to argv")
        XCTAssertEqual(m.build.secretEnvironment["PROVISION_BUILD_SECRET_0"], "hunter2")

        XCTAssertThrowsError(try make(DockerImageBuildModule.self, ["name": "a", "path": "/c", "outputs": [["type": "local"]]])) {
            XCTAssertEqual("\($0)", "type is local but all of the following are missing: dest found in outputs")
        }
        XCTAssertThrowsError(try make(DockerImageBuildModule.self, ["name": "a", "path": "/c",
                                                                    "secrets": [["id": "s", "type": "file", "src": "/a", "env": "B"]]]))
        XCTAssertThrowsError(try make(DockerImageBuildModule.self, ["name": "a", "path": "/c", "tag": "bad tag"]))
        XCTAssertThrowsError(try make(DockerImageBuildModule.self, ["name": .string("a@sha256:" + String(repeating: "a", count: 64)), "path": "/c"]))
    }

    func testPushArgumentsAndRegistryNames() throws {
        let m = try make(DockerImagePushModule.self, ["name": "localhost:5000/app:v2"])
        XCTAssertEqual(m.name, "localhost:5000/app")
        XCTAssertEqual(m.tag, "v2")
        XCTAssertThrowsError(try make(DockerImagePushModule.self, ["name": .string("sha256:" + String(repeating: "b", count: 64))])) {
            XCTAssertEqual("\($0)", "Cannot push an image by ID")
        }
        XCTAssertThrowsError(try make(DockerImagePushModule.self, ["name": .string("app@sha256:" + String(repeating: "b", count: 64))])) {
            XCTAssertEqual("\($0)", "Cannot push an image by digest")
        }
        XCTAssertFalse(DockerImagePushModule.supportsCheckMode)
        XCTAssertEqual(DockerImagePushModule.registryAndRemote("app").0, "docker.io")
        XCTAssertEqual(DockerImagePushModule.registryAndRemote("me/app").0, "docker.io")
        XCTAssertEqual(DockerImagePushModule.registryAndRemote("reg.example/me/app").0, "reg.example")
        XCTAssertEqual(DockerImagePushModule.registryAndRemote("localhost/app").1, "app")
    }

    func testTarEntryRoundTrip() throws {
        let file = TarEntry(name: "hello.txt", kind: .file, mode: 0o4750, uid: 1234, gid: 99, content: Data("hi\n".utf8))
        let back = try XCTUnwrap(try TarEntry.first(in: file.archive()))
        XCTAssertEqual(back, file)
        let link = TarEntry(name: "l", kind: .symlink, mode: 0o777, uid: 0, gid: 0, linkName: "/etc/passwd")
        XCTAssertEqual(try TarEntry.first(in: link.archive()), link)
        XCTAssertNil(try TarEntry.first(in: Data(count: 1024)))
        XCTAssertEqual(file.archive().count % 512, 0)
    }

    /// A tar written by tar(1) (GNU or busybox, as docker cp's are ustar/PAX) reads back.
    func testTarEntryReadsWhatTarWrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tarentry-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("content\n".utf8).write(to: dir.appendingPathComponent("f"))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: dir.appendingPathComponent("f").path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "tar --format=pax -C \(Shell.quote(dir.path)) -cf - f"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let e = try XCTUnwrap(try TarEntry.first(in: data))
        XCTAssertEqual(e.name, "f")
        XCTAssertEqual(e.kind, .file)
        XCTAssertEqual(e.mode & 0o7777, 0o640)
        XCTAssertEqual(e.content, Data("content\n".utf8))
    }

    func testCopyIntoArguments() throws {
        let m = try make(DockerContainerCopyIntoModule.self, ["container": "c", "container_path": "etc/../x/./y", "content": "aGk=",
                                                              "content_is_b64": true, "mode": 0o600])
        XCTAssertEqual(m.containerPath, "/x/y")
        XCTAssertEqual(m.content, Data("hi".utf8))
        XCTAssertThrowsError(try make(DockerContainerCopyIntoModule.self, ["container": "c", "container_path": "/a", "content": "x"])) {
            XCTAssertEqual("\($0)", "missing parameter(s) required by 'content': mode")
        }
        XCTAssertThrowsError(try make(DockerContainerCopyIntoModule.self, ["container": "c", "container_path": "/a", "path": "/p", "content": "x", "mode": 1])) {
            XCTAssertEqual("\($0)", "parameters are mutually exclusive: path|content")
        }
        XCTAssertThrowsError(try make(DockerContainerCopyIntoModule.self, ["container": "c", "container_path": "/a", "path": "/p", "owner_id": 1])) {
            XCTAssertEqual("\($0)", "parameters are required together: owner_id, group_id")
        }
        XCTAssertThrowsError(try make(DockerContainerCopyIntoModule.self, ["container": "c", "container_path": "/a"])) {
            XCTAssertEqual("\($0)", "One of path and content must be supplied")
        }
    }

    func container(_ args: [String: Value]) throws -> DockerContainerModule {
        try make(DockerContainerModule.self, ["name": "c", "image": "i"].merging(args) { $1 })
    }

    func testNewerContainerOptions() throws {
        let m = try container(["platform": "linux/amd64", "mac_address": "92:d0:c6:0a:29:33", "default_host_ip": "127.0.0.1",
                               "published_ports": ["8080:80", "53/udp", "1.2.3.4:1:1"], "pull": "never", "purge_networks": true,
                               "device_requests": [["driver": "nvidia", "count": -1, "capabilities": [["gpu", "utility"]]]]])
        let (flags, _) = try m.spec.createArguments(name: "c")
        let line = flags.joined(separator: " ")
        for want in ["--platform linux/amd64", "--mac-address 92:d0:c6:0a:29:33", "--publish 127.0.0.1:8080:80",
                     "--publish 127.0.0.1::53/udp", "--publish 1.2.3.4:1:1", "--gpus driver=nvidia,count=all,\"capabilities=gpu,utility\""] {
            XCTAssertTrue(line.contains(want), "\(want) not in \(line)")
        }
        XCTAssertEqual(m.extras.pull, "never")
        XCTAssertEqual(m.spec.comparison("networks"), "strict")
        let have: Value = .dict(["Platform": "linux", "Config": ["MacAddress": "92:d0:c6:0a:29:33"],
                                 "HostConfig": ["DeviceRequests": [["Driver": "nvidia", "Count": -1, "Capabilities": [["utility", "gpu"]]]]]])
        XCTAssertEqual(m.extras.differences(have, spec: m.spec).map(\.option), [])
        let other: Value = .dict(["Platform": "windows", "NetworkSettings": ["MacAddress": "02:42:ac:11:00:02"]])
        XCTAssertEqual(m.extras.differences(other, spec: m.spec).map(\.option), ["platform", "mac_address", "device_requests"])
        // A lone architecture or OS compares with the image's architecture or the container's OS.
        let img: Value = .dict(["Architecture": "amd64"])
        for (p, differs) in [("amd64", false), ("linux", false), ("linux/amd64", false), ("x86_64", false), ("linux/386", true), ("arm64", true)] {
            XCTAssertEqual(try container(["platform": .string(p)]).extras.differences(.dict(["Platform": "linux"]), spec: m.spec, image: img).isEmpty, !differs, p)
        }
        XCTAssertEqual(try container(["pull": true]).extras.pull, "always")
        XCTAssertEqual(try container(["pull": "false"]).extras.pull, "missing")
        XCTAssertThrowsError(try container(["pull": "sometimes"]))
        XCTAssertTrue(try container(["kernel_memory": "8m"]).spec.createArguments(name: "c").flags.joined(separator: " ").contains("--kernel-memory 8m"))
        XCTAssertThrowsError(try container(["device_requests": [["options": ["a": "b"]]]])) { XCTAssertTrue("\($0)".contains("options"), "\($0)") }
        XCTAssertThrowsError(try container(["default_host_ip": "localhost"]))
    }

    /// Every option docker_container documents is accepted by the spec (implemented, or refused
    /// with its own error at load, never "unknown").
    func testEveryDocumentedContainerOptionIsKnown() throws {
        let documented = ["auto_remove", "blkio_weight", "cap_drop", "capabilities", "cgroup_parent", "cgroupns_mode", "cleanup",
            "command", "command_handling", "comparisons", "container_default_behavior", "cpu_period", "cpu_quota", "cpu_shares",
            "cpus", "cpuset_cpus", "cpuset_mems", "default_host_ip", "detach", "device_read_bps", "device_read_iops",
            "device_requests", "device_write_bps", "device_write_iops", "devices", "dns_opts", "dns_search_domains",
            "dns_servers", "domainname", "entrypoint", "env", "env_file", "etc_hosts", "exposed_ports", "force_kill", "groups",
            "healthcheck", "healthy_wait_timeout", "hostname", "ignore_image", "image", "image_comparison", "image_label_mismatch",
            "image_name_mismatch", "init", "interactive", "ipc_mode", "keep_volumes", "kernel_memory", "kill_signal", "labels",
            "links", "log_driver", "log_options", "mac_address", "memory", "memory_reservation", "memory_swap",
            "memory_swappiness", "mounts", "name", "network_mode", "networks", "networks_cli_compatible", "oom_killer",
            "oom_score_adj", "output_logs", "paused", "pid_mode", "pids_limit", "platform", "privileged", "publish_all_ports",
            "published_ports", "pull", "pull_check_mode_behavior", "purge_networks", "read_only", "recreate",
            "removal_wait_timeout", "restart", "restart_policy", "restart_retries", "runtime", "security_opts", "shm_size",
            "state", "stop_signal", "stop_timeout", "storage_opts", "sysctls", "tmpfs", "tty", "ulimits", "user", "userns_mode",
            "uts", "volume_driver", "volumes", "volumes_from", "working_dir"]
        let missing = documented.filter { DockerContainerModule.argumentSpec.field(named: $0) == nil }
        XCTAssertEqual(missing, [])
    }
}
