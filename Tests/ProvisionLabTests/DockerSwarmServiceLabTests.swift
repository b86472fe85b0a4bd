import Foundation
import XCTest
@testable import ProvisionCore

/// community.docker's swarm service family on the lab, through the built `provision` binary and
/// a playbook in the collection's style: a secret (rolling versions) and a config, an overlay
/// network, a service with network aliases, volume/tmpfs/bind mounts, the secret and the config;
/// the service's spec is what the task says; a second run changes nothing; then a run that
/// changes the aliases, one mount and the secret's data changes exactly the secret and the
/// service (and again nothing on the run after). The info modules see the service.
/// Reuses the swarm SwarmEndToEndTests left (scripts/test runs it with the workload tests); on a
/// lab without a swarm the playbook makes one with docker_swarm.
final class DockerSwarmServiceLabTests: XCTestCase {
    static let playbook = #"""
    - hosts: managers
      become: true
      gather_facts: false
      vars:
        aliases: [web, www]
        data_readonly: false
        password: opensesame
      tasks:
        - name: Swarm state (fails off a manager, as the collection's does)
          community.docker.docker_swarm_info:
          register: swarm
          ignore_errors: true
        - name: A swarm, when the node has none
          community.docker.docker_swarm:
            state: present
            advertise_addr: "{{ ansible_host }}"
          when: not swarm.docker_swarm_active
        - name: Image shipped
          image_ship:
            archive: "{{ image_archive }}"
        - name: Overlay network
          community.docker.docker_network:
            name: svc_net
            driver: overlay
            attachable: true
        - name: Secret
          community.docker.docker_secret:
            name: svc_pw
            data: "{{ password }}"
            rolling_versions: true
            versions_to_keep: 2
          register: pw
        - name: Config
          community.docker.docker_config:
            name: svc_conf
            data: "listen: 8080\n"
            labels: {app: svc}
          register: conf
        - name: Service
          community.docker.docker_swarm_service:
            name: svc_web
            image: provision/busybox:lab
            command: ["sleep", "3600"]
            replicas: 1
            env: {GREETING: hello}
            labels: {app: svc}
            networks:
              - name: svc_net
                aliases: "{{ aliases }}"
            mounts:
              - {source: svc_data, target: /data, type: volume, readonly: "{{ data_readonly }}", labels: {kind: data}}
              - {target: /scratch, type: tmpfs, tmpfs_size: 1M, tmpfs_mode: 0700}
              - {source: /etc, target: /host-etc, type: bind, readonly: true}
            secrets:
              - {secret_name: "{{ pw.secret_name }}", filename: pw, mode: 0400}
            configs:
              - {config_name: svc_conf, filename: /etc/app.conf}
            hosts: {db: 10.9.9.9}
            restart_config: {condition: on-failure, max_attempts: 3}
          register: service
        - name: Service info
          community.docker.docker_swarm_service_info:
            name: svc_web
          register: info
        - name: The info module sees the service
          ansible.builtin.assert:
            that:
              - info.exists
              - info.service.Spec.Name == 'svc_web'
        - name: Stacks (none of this test's)
          community.docker.docker_stack_info:
          register: stacks
        - ansible.builtin.assert:
            that: stacks.results is defined
    """#

    static let cleanup = #"""
    - hosts: managers
      become: true
      gather_facts: false
      tasks:
        - community.docker.docker_swarm_service: {name: svc_web, state: absent}
        - community.docker.docker_secret: {name: svc_pw, state: absent, rolling_versions: true}
        - community.docker.docker_config: {name: svc_conf, state: absent}
        - community.docker.docker_network: {name: svc_net, state: absent}
        - ansible.builtin.command: docker volume rm -f svc_data
    """#

    /// Ansible (community.docker with the Docker SDK for Python on the node) and provision on
    /// the same objects: what one tool made, the other finds up to date (the secret's
    /// `ansible_key`, the service compared option by option), in both directions, and after an
    /// update by Ansible.
    func testAnsibleAndProvisionSeeEachOthersServiceSecretAndConfigAsUpToDate() throws {
        let lab = try LabCluster.load()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ansible-playbook") else {
            throw XCTSkip("ansible-playbook is not installed (scripts/test installs it)")
        }
        guard FileManager.default.isExecutableFile(atPath: LabShell.provision) else { throw XCTSkip("build provision first") }
        let manager = try XCTUnwrap(lab.hosts.first { $0.groups.contains("managers") }).name
        guard (try? lab.sh(manager, "docker version --format ok"))?.contains("ok") == true else {
            throw XCTSkip("no Docker on \(manager): run SwarmEndToEndTests (or playbooks/install-docker.yml) first")
        }
        _ = try lab.sh(manager, "python3 -c 'import docker' 2>/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-docker >/dev/null 2>&1; true")
        let dir = NSTemporaryDirectory() + "provision-svc-twin-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let archive = try LabShell.makeImage()
        defer { try? FileManager.default.removeItem(atPath: archive) }
        try Self.playbook.write(toFile: dir + "/service.yml", atomically: true, encoding: .utf8)
        // Ansible's copy: without provision's image_ship (the image is shipped by provision first).
        let twin = Self.playbook.replacingOccurrences(of: "    - name: Image shipped\n      image_ship:\n        archive: \"{{ image_archive }}\"\n", with: "")
        XCTAssertNotEqual(twin, Self.playbook)
        try twin.write(toFile: dir + "/twin.yml", atomically: true, encoding: .utf8)
        try Self.cleanup.write(toFile: dir + "/cleanup.yml", atomically: true, encoding: .utf8)
        func provision(_ book: String, _ extra: [String] = []) throws -> (status: Int32, text: String) {
            try LabShell.run(LabShell.words([LabShell.provision, "run", "-i", LabCluster.inventoryPath, dir + "/" + book,
                                             "-e", "image_archive=\(archive)"] + extra))
        }
        func ansible(_ extra: [String] = []) throws -> (status: Int32, text: String) {
            try LabShell.run(LabShell.words(["ansible-playbook", "-i", LabCluster.inventoryPath, dir + "/twin.yml"] + extra),
                             environment: ["ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_NOCOLOR": "1"])
        }
        func changed(_ text: String) -> Int { DockerDifferentialLabTests.recap(text)[manager]?["changed"] ?? -1 }
        _ = try provision("cleanup.yml")
        defer { _ = try? provision("cleanup.yml") }
        // The image on the node (and the swarm, when the lab has none), then Ansible makes the objects.
        var r = try provision("service.yml")
        XCTAssertEqual(r.status, 0, r.text)
        _ = try provision("cleanup.yml")
        r = try ansible()
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertEqual(changed(r.text), 4, r.text)
        r = try provision("service.yml")
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertEqual(changed(r.text), 0, "provision over Ansible's objects:\n\(r.text)")
        // Ansible updates; provision agrees.
        let update = ["-e", #"{"aliases": ["web"], "data_readonly": true, "password": "newsecret"}"#]
        r = try ansible(update)
        XCTAssertEqual(changed(r.text), 2, r.text)
        r = try provision("service.yml", update)
        XCTAssertEqual(changed(r.text), 0, r.text)
        // The other way round.
        _ = try provision("cleanup.yml")
        r = try provision("service.yml")
        XCTAssertEqual(changed(r.text), 4, r.text)
        r = try ansible()
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertEqual(changed(r.text), 0, "Ansible over provision's objects:\n\(r.text)")
    }

    func testServiceWithAliasesMountsSecretAndConfigConvergesAndUpdatesPrecisely() throws {
        let lab = try LabCluster.load()
        guard FileManager.default.isExecutableFile(atPath: LabShell.provision) else { throw XCTSkip("build provision first") }
        let manager = try XCTUnwrap(lab.hosts.first { $0.groups.contains("managers") }).name
        guard (try? lab.sh(manager, "docker version --format ok"))?.contains("ok") == true else {
            throw XCTSkip("no Docker on \(manager): run SwarmEndToEndTests (or playbooks/install-docker.yml) first")
        }
        let dir = NSTemporaryDirectory() + "provision-svc-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.playbook.write(toFile: dir + "/service.yml", atomically: true, encoding: .utf8)
        try Self.cleanup.write(toFile: dir + "/cleanup.yml", atomically: true, encoding: .utf8)
        let archive = try LabShell.makeImage()
        defer { try? FileManager.default.removeItem(atPath: archive) }
        func play(_ book: String, _ extra: [String] = []) throws -> (status: Int32, text: String) {
            try LabShell.run(LabShell.words([LabShell.provision, "run", "-i", LabCluster.inventoryPath, dir + "/" + book,
                                             "-e", "image_archive=\(archive)"] + extra))
        }
        func changed(_ text: String) -> Int {
            DockerDifferentialLabTests.recap(text)[manager]?["changed"] ?? -1
        }
        func spec() throws -> Value {
            let out = try lab.sh(manager, "docker service inspect --format '{{json .Spec}}' svc_web")
            return try XCTUnwrap(Value(jsonText: out.trimmingCharacters(in: .whitespacesAndNewlines)), out)
        }
        _ = try play("cleanup.yml")
        defer { _ = try? play("cleanup.yml") }

        var r = try play("service.yml")
        XCTAssertEqual(r.status, 0, r.text)
        var s = try spec()
        let cs = try XCTUnwrap(s["TaskTemplate"]?["ContainerSpec"])
        let aliases = s["TaskTemplate"]?["Networks"]?.listValue?.first?["Aliases"]?.listValue?.compactMap(\.stringValue)
        XCTAssertEqual(aliases.map { Set($0) }, ["web", "www"], "\(s)")
        let mounts = Dictionary(uniqueKeysWithValues: (cs["Mounts"]?.listValue ?? []).compactMap { m in m["Target"]?.stringValue.map { ($0, m) } })
        XCTAssertEqual(mounts["/data"]?["VolumeOptions"]?["Labels"]?["kind"], "data")
        XCTAssertEqual(mounts["/scratch"]?["TmpfsOptions"]?["SizeBytes"].flatMap(SwarmInfo.int), 1_048_576)
        XCTAssertEqual(mounts["/scratch"]?["TmpfsOptions"]?["Mode"].flatMap(SwarmInfo.int), 0o700)
        XCTAssertEqual(mounts["/host-etc"]?["ReadOnly"], true)
        XCTAssertEqual(cs["Secrets"]?.listValue?.first?["SecretName"], "svc_pw_v1")
        XCTAssertEqual(cs["Secrets"]?.listValue?.first?["File"]?["Mode"].flatMap(SwarmInfo.int), 0o400)
        XCTAssertEqual(cs["Configs"]?.listValue?.first?["File"]?["Name"], "/etc/app.conf")
        XCTAssertEqual(cs["Hosts"]?.listValue?.first?.stringValue, "10.9.9.9 db")
        // The secret's data reached nothing but docker: not the output, not the process list.
        XCTAssertFalse(r.text.contains("opensesame"), r.text)

        r = try play("service.yml")
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertEqual(changed(r.text), 0, r.text)

        // Check mode with a diff: the service would change (aliases, the mount), nothing does.
        r = try play("service.yml", ["--check", "--diff", "-e", #"{"aliases": ["web"], "data_readonly": true}"#])
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertEqual(changed(r.text), 1, r.text)
        XCTAssertTrue(r.text.contains("+networks: [{\"name\": \"svc_net\", \"aliases\": [\"web\"]}]"), r.text)
        XCTAssertEqual(try spec(), s)

        let version = s["TaskTemplate"]?["ForceUpdate"]
        r = try play("service.yml", ["-e", #"{"aliases": ["web"], "data_readonly": true, "password": "newsecret"}"#])
        XCTAssertEqual(r.status, 0, r.text)
        // The secret (a new version) and the service: nothing else.
        XCTAssertEqual(changed(r.text), 2, r.text)
        s = try spec()
        XCTAssertEqual(s["TaskTemplate"]?["ForceUpdate"], version)
        XCTAssertEqual(s["TaskTemplate"]?["Networks"]?.listValue?.first?["Aliases"], ["web"])
        let after = s["TaskTemplate"]?["ContainerSpec"]
        XCTAssertEqual(after?["Secrets"]?.listValue?.first?["SecretName"], "svc_pw_v2")
        XCTAssertEqual(after?["Mounts"]?.listValue?.count, 3)
        XCTAssertEqual(after?["Mounts"]?.listValue?.first { $0["Target"] == "/data" }?["ReadOnly"], true)
        XCTAssertEqual(after?["Configs"]?.listValue?.count, 1)
        r = try play("service.yml", ["-e", #"{"aliases": ["web"], "data_readonly": true, "password": "newsecret"}"#])
        XCTAssertEqual(changed(r.text), 0, r.text)
        // Both secret versions are kept (versions_to_keep: 2).
        let secrets = try lab.sh(manager, "docker secret ls --format '{{.Name}}' --filter name=svc_pw")
        XCTAssertEqual(Set(secrets.split(separator: "\n").map(String.init)), ["svc_pw_v1", "svc_pw_v2"])
    }
}
