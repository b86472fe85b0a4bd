import Foundation
import XCTest
@testable import ProvisionCore
import ProvisionSSH

/// The lab that `scripts/lab up 3` started, read from its generated inventory, as a
/// `ClusterAccess` with one libssh2 `SSHTransport` per node: the transport `provision` itself
/// uses, host keys checked strictly against the lab's known_hosts.
final class LabCluster: ClusterAccess {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let hosts: [ClusterHost]
    private var transports: [String: Transport] = [:]

    /// The lab's inventory: inventories/lab.yml, or LAB_INVENTORY as `scripts/lab` takes it (a
    /// second lab beside the default one).
    static var inventoryPath: String {
        ProcessInfo.processInfo.environment["LAB_INVENTORY"] ?? repo.appendingPathComponent("inventories/lab.yml").path
    }

    /// nil (test skipped) unless PROVISION_LAB_TESTS=1 and inventories/lab.yml exists.
    static func load() throws -> LabCluster {
        guard ProcessInfo.processInfo.environment["PROVISION_LAB_TESTS"] == "1" else {
            throw XCTSkip("lab tests run with PROVISION_LAB_TESTS=1 after: sudo scripts/lab up 3")
        }
        let path = inventoryPath
        guard FileManager.default.fileExists(atPath: path), let node = try YAMLFile.load(path) else {
            throw XCTSkip("no lab inventory at \(path); run: sudo scripts/lab up 3")
        }
        return try LabCluster(inventory: YAMLFile.value(of: node, file: path))
    }

    init(inventory: Value) throws {
        let all = inventory["all"]
        let common = all?["vars"]?.dictValue ?? [:]
        var hosts: [ClusterHost] = []
        for group in ["managers", "workers"] {
            for (name, v) in (all?["children"]?[group]?["hosts"]?.dictValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                let vars = common.merging(v.dictValue ?? [:]) { $1 }
                var become = Become()
                if let f = vars["become_password_file"]?.stringValue {
                    let pw = try String(contentsOfFile: f, encoding: .utf8).trimmingCharacters(in: .newlines)
                    become.password = Secret(pw)
                }
                hosts.append(ClusterHost(name: name, groups: [group], vars: [String: Value](vars), become: become))
            }
        }
        self.hosts = hosts
        let factory = SSHTransportFactory(agentSocket: nil)
        for h in hosts {
            let key = h.vars["ansible_ssh_private_key_file"]?.stringValue
            transports[h.name] = try factory.connect(to: ConnectionTarget(
                name: h.name, address: h.address, user: h.vars["ansible_user"]?.stringValue ?? "pi",
                identityFiles: key.map { [$0] } ?? [], hostKeyChecking: .strict,
                knownHostsFile: h.vars["known_hosts_file"]?.stringValue, useSSHConfig: false))
        }
    }

    deinit {
        for t in transports.values { t.close() }
    }

    func transport(for host: String) throws -> Transport {
        guard let t = transports[host] else { throw TransportError(.unreachable, host: host, "not in the lab") }
        return t
    }

    func context(_ host: String, check: Bool = false) throws -> HostContext {
        let h = try XCTUnwrap(self.host(named: host))
        return HostContext(host: host, transport: try transport(for: host), vars: h.vars, checkMode: check,
                           become: h.become, cluster: self)
    }

    /// Runs `module` on `names` at once, as the executor runs one task on a batch.
    func runAll(_ names: [String], _ module: Module, check: Bool = false) throws -> [String: ModuleResult] {
        var results: [String: Result<ModuleResult, Error>] = [:]
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: names.count) { i in
            let r = Result { try module.run(in: self.context(names[i], check: check)) }
            lock.lock(); results[names[i]] = r; lock.unlock()
        }
        return try results.mapValues { try $0.get() }
    }

    /// A root shell command on a node, for the test's own checks.
    func sh(_ host: String, _ line: String) throws -> String {
        let h = try XCTUnwrap(self.host(named: host))
        return try transport(for: host).run(RemoteCommand(line, timeout: 120, become: h.become)).stdoutText
    }
}
