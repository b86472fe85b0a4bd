import Foundation

/// A real `ssh-agent` on its own socket, holding the keys a test adds. Stopped by `stop()`.
public final class SSHTestAgent {
    public let socketPath: String
    private let pid: Int32

    /// Starts an agent whose socket lives in `directory`.
    public init(directory: String) throws {
        socketPath = directory + "/agent-\(UUID().uuidString.prefix(8)).sock"
        let output = try TestCommand.check("/usr/bin/ssh-agent", ["-s", "-a", socketPath])
        // Output: SSH_AUTH_SOCK=...; export SSH_AUTH_SOCK;\nSSH_AGENT_PID=1234; export ...
        guard let range = output.stdout.range(of: "SSH_AGENT_PID="),
              let pid = Int32(output.stdout[range.upperBound...].prefix { $0.isNumber }) else {
            throw SSHTestServer.Unavailable(reason: "ssh-agent printed no pid: \(output.stdout)")
        }
        self.pid = pid
    }

    /// `ssh-add path` (an unencrypted key).
    public func add(_ keyPath: String) throws {
        try TestCommand.check("/usr/bin/ssh-add", [keyPath], environment: ["SSH_AUTH_SOCK": socketPath])
    }

    public func stop() {
        kill(pid, SIGTERM)
        try? FileManager.default.removeItem(atPath: socketPath)
    }

    deinit { stop() }
}
