import Foundation
import XCTest
import ProvisionCore
import ProvisionTestSupport

/// Runs one list of tasks twice, on twin directories of this machine: by `ansible-playbook`
/// (the reference, `connection: local`) in twin A, and by `provision run` over the loopback
/// sshd (its real SSH transport, `become: true` so both act as root) in twin B. Every task
/// registers `rN` with `ignore_errors`, and a last task writes all of them as JSON, so the
/// two runs can be compared task by task; the twin trees are compared afterwards.
struct TwinRun {
    /// The registered results per task (`r1`…), with the twin's path replaced by `BASE`.
    var ansible: [String: Value]
    var provision: [String: Value]
    var ansibleDir: String
    var provisionDir: String
}

final class AnsiblePlaybookRunner {
    let binary: ProvisionBinary
    let server: SSHTestServer
    let root: String

    /// nil (and the test skips) when ansible-playbook is missing outside CI.
    static func make() throws -> AnsiblePlaybookRunner {
        let ci = ProcessInfo.processInfo.environment["CI"] == "true"
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ansible-playbook") else {
            if ci { XCTFail("ansible-playbook is required under CI"); throw CocoaError(.fileNoSuchFile) }
            throw XCTSkip("ansible-playbook is not installed")
        }
        let server: SSHTestServer
        do { server = try SSHTestServer.shared() } catch let e as SSHTestServer.Unavailable { throw XCTSkip(e.reason) }
        let root = NSTemporaryDirectory() + "provision-twin-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return AnsiblePlaybookRunner(binary: try ProvisionBinary.locate(), server: server, root: root)
    }

    init(binary: ProvisionBinary, server: SSHTestServer, root: String) {
        self.binary = binary
        self.server = server
        self.root = root
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// The playbook for `tasks` (YAML task items, 2-space indented under `tasks:`, using
    /// `{{ base }}` for the twin directory, `{{ twin }}` for a or b); each task gets `register: rN` and `ignore_errors`.
    func playbook(_ tasks: [String], extraPlay: String = "") -> String {
        var out = extraPlay + "- hosts: all\n  gather_facts: false\n  tasks:\n"
        for (i, t) in tasks.enumerated() {
            var lines = t.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            while lines.last == "" { lines.removeLast() }
            out += "    - " + lines[0] + "\n"
            for l in lines.dropFirst() { out += "      " + l + "\n" }
            out += "      register: r\(i + 1)\n      ignore_errors: true\n"
        }
        let all = (1...max(1, tasks.count)).map { "'r\($0)': r\($0) | default({})" }.joined(separator: ", ")
        out += "    - copy:\n        dest: \"{{ base }}.json\"\n        content: \"{{ {\(all)} | to_json }}\"\n"
        return out
    }

    /// Runs the case in fresh twins named `name`; `prepare` fills each twin before the run.
    func run(_ name: String, tasks: [String], args: [String] = [], extraFiles: [String: String] = [:],
             prepare: (String) throws -> Void = { _ in }) throws -> TwinRun {
        let work = root + "/" + name
        let a = work + "/A", b = work + "/B"
        for d in [a, b] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            try prepare(d)
        }
        let pb = playbook(tasks)
        try pb.write(toFile: work + "/site.yml", atomically: true, encoding: .utf8)
        for (path, text) in extraFiles {
            let full = work + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        try "twin ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"
            .write(toFile: work + "/ansible.ini", atomically: true, encoding: .utf8)
        try """
        all:
          hosts:
            twin:
              ansible_host: 127.0.0.2
              ansible_user: \(server.user)
              ansible_ssh_private_key_file: \(server.keyPath)
              ansible_port: \(server.port)
              ansible_become: true
        """.write(toFile: work + "/provision.yml", atomically: true, encoding: .utf8)

        // The two twins are independent: run them side by side to keep the suite fast.
        var ansible = ""
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            ansible = (try? self.runProcess("/usr/bin/ansible-playbook",
                                            ["-i", "ansible.ini", "site.yml", "-e", "base=\(a)", "-e", "twin=a"] + args, in: work,
                                            env: ["ANSIBLE_NOCOLOR": "1", "ANSIBLE_HOST_KEY_CHECKING": "0",
                                                  "ANSIBLE_LOCALHOST_WARNING": "0", "ANSIBLE_RETRY_FILES_ENABLED": "0"]))
                ?? "ansible-playbook could not be started"
            group.leave()
        }
        let prov = try binary.run(["run", "site.yml", "-i", "provision.yml", "-e", "base=\(b)", "-e", "twin=b",
                                   "--known-hosts", work + "/known_hosts"] + args,
                                  in: work, environment: ["NO_COLOR": "1"])
        group.wait()
        let ra = try results(a + ".json", base: a, log: ansible)
        let rb = try results(b + ".json", base: b, log: prov.stdout + prov.stderr)
        return TwinRun(ansible: ra, provision: rb, ansibleDir: a, provisionDir: b)
    }

    private func results(_ path: String, base: String, log: String) throws -> [String: Value] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            XCTFail("no results written at \(path):\n\(log)")
            return [:]
        }
        // Names a case derives from `twin` (a user pvtw-a / pvtw-b) compare as pvtw-X.
        let replaced = text.replacingOccurrences(of: base, with: "BASE")
            .replacingOccurrences(of: "pvtw-a", with: "pvtw-X").replacingOccurrences(of: "pvtw-b", with: "pvtw-X")
        guard let v = Value(jsonText: replaced), case .dict(let d) = v else {
            XCTFail("results at \(path) are not a JSON object: \(text)")
            return [:]
        }
        return [String: Value](d)
    }

    private func runProcess(_ exe: String, _ args: [String], in dir: String, env: [String: String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var e = ProcessInfo.processInfo.environment
        e.merge(env) { _, n in n }
        p.environment = e
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
