import Foundation
import XCTest
@testable import ProvisionCore

/// playbooks/examples/community-swarm.yml through ansible-playbook (community.docker, with the
/// Docker SDK for Python installed on the nodes for it) and through provision (docker CLI only),
/// each from a torn-down swarm on the same lab: the same task statuses per host, the same swarm
/// (nodes, labels, network, services; the service specs compared without the fields the docker
/// CLI fills with its defaults), and Ansible run over provision's result changes nothing.
final class DockerDifferentialLabTests: XCTestCase {
    func testCommunityPlaybookMatchesAnsible() throws {
        let lab = try LabCluster.load()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ansible-playbook") else {
            throw XCTSkip("ansible-playbook is not installed (scripts/test installs it)")
        }
        guard FileManager.default.isExecutableFile(atPath: LabShell.provision) else { throw XCTSkip("build provision first") }
        for n in ["node1", "node2", "node3"] {
            _ = try lab.sh(n, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-docker python3-jsondiff python3-yaml >/dev/null 2>&1; true")
        }
        let dir = NSTemporaryDirectory() + "provision-diff-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (book, inventory) = try twinFiles(in: dir)
        // The image the playbook's services run, shipped to the nodes by provision beforehand.
        let archive = try LabShell.makeImage()
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let ship = dir + "/ship.yml"
        try "- hosts: managers:workers\n  become: true\n  gather_facts: false\n  tasks:\n    - image_ship: {archive: \(archive)}\n"
            .write(toFile: ship, atomically: true, encoding: .utf8)
        let shipped = try LabShell.run(LabShell.words([LabShell.provision, "run", "-i", "inventories/lab.yml", ship]))
        XCTAssertEqual(shipped.status, 0, shipped.text)

        try teardown(lab)
        let ansible = try LabShell.run(LabShell.words(["ansible-playbook", "-i", inventory, book]),
                                       environment: ["ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_NOCOLOR": "1"])
        XCTAssertEqual(ansible.status, 0, ansible.text)
        let ansibleState = try state(lab)
        try teardown(lab)
        let prov = try LabShell.run(LabShell.words([LabShell.provision, "run", "-i", "inventories/lab.yml", book]))
        XCTAssertEqual(prov.status, 0, prov.text)
        XCTAssertEqual(Self.recap(prov.text), Self.recap(ansible.text), "statuses differ:\n\(prov.text)\n---\n\(ansible.text)")
        XCTAssertEqual(try state(lab), ansibleState)
        let again = try LabShell.run(LabShell.words(["ansible-playbook", "-i", inventory, book]),
                                     environment: ["ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_NOCOLOR": "1"])
        XCTAssertEqual(again.status, 0, again.text)
        XCTAssertEqual(Self.recap(again.text).values.map { $0["changed"] ?? -1 }.max(), 0, again.text)
    }

    /// The example without provision's own tasks (Docker install, image_ship), and the lab's
    /// inventory with node3's sudo password as Ansible takes it (the file is 0600 and removed).
    func twinFiles(in dir: String) throws -> (String, String) {
        var book = try String(contentsOfFile: LabShell.repo + "/playbooks/examples/community-swarm.yml", encoding: .utf8)
        book = book.replacingOccurrences(of: "- import_playbook: ../install-docker.yml\n", with: "")
        if let a = book.range(of: "    - name: Busybox image shipped"), let b = book.range(of: "    - name: A replicated service") {
            book.removeSubrange(a.lowerBound..<b.lowerBound)
        }
        var inv = try String(contentsOfFile: LabShell.repo + "/inventories/lab.yml", encoding: .utf8)
        let pwFile = LabShell.repo + "/lab/become_password"
        if let pw = try? String(contentsOfFile: pwFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) {
            inv = inv.replacingOccurrences(of: "become_password_file: \(pwFile)", with: "ansible_become_password: \(Value.string(pw).jsonString)")
        }
        let bookPath = dir + "/community.yml", invPath = dir + "/inventory.yml"
        try book.write(toFile: bookPath, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: invPath, contents: Data(inv.utf8), attributes: [.posixPermissions: 0o600])
        return (bookPath, invPath)
    }

    func teardown(_ lab: LabCluster) throws {
        let r = try LabShell.run(LabShell.words([LabShell.provision, "run", "-i", "inventories/lab.yml", "playbooks/leave-swarm.yml"]))
        XCTAssertEqual(r.status, 0, r.text)
        for n in ["node1", "node2", "node3"] {
            _ = try lab.sh(n, "docker rm -f $(docker ps -aq) >/dev/null 2>&1; docker network prune -f >/dev/null")
        }
    }

    /// The swarm as the collection documents it, read on node1.
    func state(_ lab: LabCluster) throws -> [String] {
        Thread.sleep(forTimeInterval: 3)
        var out = try lab.sh("node1", """
        docker node ls --format '{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}' | sort
        for n in node1 node2 node3; do echo "$n $(docker node inspect $n --format '{{json .Spec.Labels}} {{.Spec.Role}} {{.Spec.Availability}}')"; done
        docker network inspect lab_overlay --format '{{.Driver}} {{.Scope}} {{.Attachable}} {{.Internal}} {{json .Labels}} {{.IPAM.Driver}}'
        docker service ls --format '{{.Name}} {{.Mode}} {{.Image}}' | sort
        """).split(separator: "\n").map(String.init)
        let net = try lab.sh("node1", "docker network inspect lab_overlay --format '{{.Id}}'").trimmingCharacters(in: .whitespacesAndNewlines)
        for s in ["community_pinger", "web_idle"] {
            let text = try lab.sh("node1", "docker service inspect \(s) --format '{{json .Spec}}'").replacingOccurrences(of: net, with: "NET")
            out.append(Self.normalised(Value(jsonText: text) ?? .null).jsonString)
        }
        return out
    }

    /// A service spec without what the docker CLI sets and the SDK leaves out.
    static func normalised(_ spec: Value) -> Value {
        guard case .dict(var d) = spec else { return spec }
        d["EndpointSpec"] = nil
        if case .dict(var t)? = d["TaskTemplate"] {
            t["Resources"] = nil
            if case .dict(var c)? = t["ContainerSpec"] { c["Init"] = nil; c["Privileges"] = nil; t["ContainerSpec"] = .dict(c) }
            if case .dict(var r)? = t["RestartPolicy"], r["Window"] == .int(0) { r["Window"] = nil; t["RestartPolicy"] = .dict(r) }
            d["TaskTemplate"] = .dict(t)
        }
        return .dict(d)
    }

    /// `host → {ok, changed, failed, skipped}` from either tool's recap (provision folds hosts
    /// into `node[2-3]`).
    static func recap(_ text: String) -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        for line in text.split(separator: "\n") where line.contains("ok=") && line.contains("changed=") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == ":" }).map(String.init)
            guard let name = words.first else { continue }
            var counts: [String: Int] = [:]
            for w in words.dropFirst() {
                let kv = w.split(separator: "=")
                if kv.count == 2, ["ok", "changed", "failed", "skipped"].contains(String(kv[0])) { counts[String(kv[0])] = Int(kv[1]) }
            }
            for h in expand(name) { out[h] = counts }
        }
        return out
    }

    static func expand(_ name: String) -> [String] {
        guard let open = name.firstIndex(of: "["), let close = name.firstIndex(of: "]") else { return [name] }
        let prefix = name[..<open], inner = name[name.index(after: open)..<close]
        return inner.split(separator: ",").flatMap { part -> [String] in
            let r = part.split(separator: "-").compactMap { Int($0) }
            return r.count == 2 ? (r[0]...r[1]).map { "\(prefix)\($0)" } : ["\(prefix)\(part)"]
        }
    }
}
