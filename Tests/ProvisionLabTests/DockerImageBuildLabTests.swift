import Foundation
import XCTest
@testable import ProvisionCore

/// community.docker's image building, pushing and copying on a lab node, through the built
/// `provision` binary with a playbook in the collection's style: docker_image `source: build`
/// and docker_image_build from a context on the node, FROM an image made here with
/// `docker import` (nothing can be pulled); tag and push (no registry is reachable: the push
/// fails clearly, the tag is real); docker_container with env_file, paused, platform,
/// mac_address and state healthy; docker_container_copy_into by content and by path. The first
/// run changes, the second changes nothing; then force_source, rebuild and check mode.
/// Reuses a lab with Docker installed (scripts/test runs it after SwarmEndToEndTests).
final class DockerImageBuildLabTests: XCTestCase {
    func testBuildTagPushCopyAndContainerOptions() throws {
        let lab = try LabCluster.load()
        let bin = LabShell.provision
        guard FileManager.default.isExecutableFile(atPath: bin) else { throw XCTSkip("build provision first: \(bin)") }
        guard let node = lab.hosts.first?.name else { throw XCTSkip("no node in the lab") }
        let archive = try LabShell.makeImage()
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let dir = NSTemporaryDirectory() + "dimg-lab-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inventory = LabCluster.repo.path + "/inventories/lab.yml"
        func run(_ playbook: String, _ extra: [String] = []) throws -> (status: Int32, text: String) {
            try LabShell.run(LabShell.words([bin, "run", "-i", inventory, "-l", node, dir + "/" + playbook,
                                             "-e", "image_archive=\(archive)"] + extra))
        }
        if try lab.sh(node, "command -v docker || true").isEmpty {
            let r = try LabShell.run(LabShell.words([bin, "run", "-i", inventory, "-l", node, "playbooks/install-docker.yml"]))
            XCTAssertEqual(r.status, 0, r.text)
        }
        _ = try lab.sh(node, "docker rm -f dimg-c dimg-p >/dev/null 2>&1; docker image rm -f dimg/app:v1 dimg/app:retag dimg/kit:v1 localhost:5999/dimg/app:v1 >/dev/null 2>&1; rm -rf /srv/dimg; true")
        // A paused container left behind would keep the node from stopping at teardown.
        defer { _ = try? lab.sh(node, "docker unpause dimg-p >/dev/null 2>&1; docker rm -f dimg-c dimg-p >/dev/null 2>&1; true") }
        try Self.playbook.write(toFile: dir + "/build.yml", atomically: true, encoding: .utf8)

        var r = try run("build.yml")
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertNotNil(r.text.range(of: "changed=[1-9]", options: .regularExpression), r.text)
        // What the playbook made, read with the docker CLI on the node.
        XCTAssertEqual(try lab.sh(node, "docker run --rm dimg/app:v1 cat /greeting").trimmingCharacters(in: .whitespacesAndNewlines), "hello")
        XCTAssertEqual(try lab.sh(node, "docker image inspect --format '{{.Config.Labels.stage}} {{.Config.WorkingDir}}' dimg/app:v1")
                        .trimmingCharacters(in: .whitespacesAndNewlines), "final /final")
        XCTAssertEqual(try lab.sh(node, "docker image inspect --format '{{.Id}}' dimg/app:retag"),
                       try lab.sh(node, "docker image inspect --format '{{.Id}}' dimg/app:v1"))
        XCTAssertEqual(try lab.sh(node, "docker run --rm dimg/kit:v1 cat /greeting").trimmingCharacters(in: .whitespacesAndNewlines), "kit")
        XCTAssertEqual(try lab.sh(node, "docker inspect --format '{{.State.Paused}}' dimg-p").trimmingCharacters(in: .whitespacesAndNewlines), "true")
        XCTAssertTrue(try lab.sh(node, "docker inspect --format '{{json .Config.Env}}' dimg-c").contains("FROM_FILE=yes"))
        XCTAssertEqual(try lab.sh(node, "docker cp dimg-c:/etc/motd - | tar -xOf -"), "written by provision\n")
        XCTAssertEqual(try lab.sh(node, "docker cp dimg-c:/etc/motd - | tar -tvf - --numeric-owner | awk '{print $1, $2}'")
                        .trimmingCharacters(in: .whitespacesAndNewlines), "-rw-r----- 1234/99")
        XCTAssertEqual(try lab.sh(node, "docker cp dimg-c:/copied - | tar -xOf -"), "from the node\n")

        // Again: nothing changes (the push tasks fail, ignored, as there is no registry).
        r = try run("build.yml")
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertNil(r.text.range(of: "changed=[1-9]", options: .regularExpression), r.text)

        // force_source with the cache gives the same image: not changed, as in the collection;
        // nocache makes a new one. Check mode changes nothing on the node.
        let before = try lab.sh(node, "docker image inspect --format '{{.Id}}' dimg/app:v1")
        try Self.forcePlaybook.write(toFile: dir + "/force.yml", atomically: true, encoding: .utf8)
        r = try run("force.yml", ["--check"])
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertEqual(try lab.sh(node, "docker image inspect --format '{{.Id}}' dimg/app:v1"), before)
        r = try run("force.yml")
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertNotEqual(try lab.sh(node, "docker image inspect --format '{{.Id}}' dimg/app:v1"), before)
    }

    /// The playbook, in community.docker's style; the asserts check the results the collection
    /// documents.
    static let playbook = """
    - hosts: all
      become: true
      gather_facts: false
      tasks:
        - name: Base image from the controller
          image_ship:
            archive: "{{ image_archive }}"

        - name: Context directory
          ansible.builtin.file: {path: /srv/dimg/ctx, state: directory}

        - name: Dockerfile
          ansible.builtin.copy:
            dest: /srv/dimg/ctx/Dockerfile
            content: |
              FROM provision/busybox:lab AS base
              ARG GREETING=hi
              RUN echo "$GREETING" > /greeting && busybox ln -s busybox /bin/id
              FROM base AS final
              LABEL stage=final
              WORKDIR /final

        - name: Build it (docker_image, classic builder)
          community.docker.docker_image:
            name: dimg/app
            tag: v1
            source: build
            build:
              path: /srv/dimg/ctx
              args: {GREETING: hello}
              target: final
              pull: false
              rm: true
              labels: {built.by: provision}
          register: built

        - ansible.builtin.assert:
            that:
              - built.image.Config.Labels['built.by'] == 'provision'
              - built is not changed or (built.actions | length == 1 and 'Built image dimg/app:v1 from /srv/dimg/ctx' in built.actions)
              - built is not changed or 'GREETING' in built.stdout or 'Step' in built.stdout

        - name: Build with docker_image_build
          community.docker.docker_image_build:
            name: dimg/kit:v1
            path: /srv/dimg/ctx
            dockerfile: Dockerfile
            args: {GREETING: kit}
            target: base
          register: kit

        - ansible.builtin.assert:
            that: [kit.image.Id is defined]

        - name: Tag it
          community.docker.docker_image:
            name: dimg/app:v1
            repository: dimg/app:retag
            source: local

        - name: Tag and push to a registry that is not there
          community.docker.docker_image:
            name: dimg/app:v1
            repository: localhost:5999/dimg/app
            push: true
            source: local
          register: pushed
          ignore_errors: true

        - name: docker_image_push to a registry that is not there
          community.docker.docker_image_push:
            name: localhost:5999/dimg/app:v1
          register: pushed2
          ignore_errors: true

        - ansible.builtin.assert:
            that:
              - pushed is failed
              - "'Error pushing image localhost:5999/dimg/app' in pushed.msg"
              - pushed2 is failed
              - "'localhost:5999/dimg/app' in pushed2.msg"

        - name: An env file on the node
          ansible.builtin.copy:
            dest: /srv/dimg/env
            content: |
              # comment
              FROM_FILE=yes
              OVERRIDDEN=file

        - name: A file on the node to copy in
          ansible.builtin.copy:
            dest: /srv/dimg/copied
            content: "from the node\\n"
            mode: "0640"

        - name: Container from the built image
          community.docker.docker_container:
            name: dimg-c
            image: dimg/app:v1
            command: [sleep, "3600"]
            env_file: /srv/dimg/env
            env: {OVERRIDDEN: task}
            platform: linux
            mac_address: "92:d0:c6:0a:29:33"
            healthcheck:
              test: [CMD-SHELL, "true"]
              interval: 1s
            state: healthy
            healthy_wait_timeout: 60
          register: c

        - ansible.builtin.assert:
            that:
              - c.container.State.Health.Status == 'healthy'
              - "'OVERRIDDEN=task' in c.container.Config.Env"

        - name: Content into the container
          community.docker.docker_container_copy_into:
            container: dimg-c
            content: "written by provision\\n"
            container_path: /etc/motd
            mode: 0640
            owner_id: 1234
            group_id: 99
          register: copied

        - ansible.builtin.assert:
            that: [copied.container_path == '/etc/motd']

        - name: A node file into the container
          community.docker.docker_container_copy_into:
            container: dimg-c
            path: /srv/dimg/copied
            container_path: /copied

        - name: Another container, paused
          community.docker.docker_container:
            name: dimg-p
            image: dimg/app:v1
            command: [sleep, "3600"]
            paused: true
    """

    static let forcePlaybook = """
    - hosts: all
      become: true
      gather_facts: false
      tasks:
        - name: force_source with the cache gives the same image
          community.docker.docker_image:
            name: dimg/app
            tag: v1
            source: build
            force_source: true
            build: {path: /srv/dimg/ctx, args: {GREETING: hello}, target: final, labels: {built.by: provision}}
          register: same
        - ansible.builtin.assert:
            that: [same is not changed or ansible_check_mode]
        - name: nocache builds anew
          community.docker.docker_image:
            name: dimg/app
            tag: v1
            source: build
            force_source: true
            build: {path: /srv/dimg/ctx, args: {GREETING: hello}, target: final, nocache: true, labels: {built.by: provision}}
          register: anew
        - ansible.builtin.assert:
            that: [anew is changed]
        - name: docker_image_build rebuild always
          community.docker.docker_image_build:
            name: dimg/kit:v1
            path: /srv/dimg/ctx
            args: {GREETING: kit}
            target: base
            rebuild: always
          register: again
        - ansible.builtin.assert:
            that: [again is changed]
        - name: copy_into with force
          community.docker.docker_container_copy_into:
            container: dimg-c
            content: "written by provision\\n"
            container_path: /etc/motd
            mode: 0640
            owner_id: 1234
            group_id: 99
            force: true
          register: forced
        - ansible.builtin.assert:
            that: [forced is changed]
    """
}
