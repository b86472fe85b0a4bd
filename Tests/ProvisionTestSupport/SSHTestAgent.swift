import Foundation

/// A real `ssh-agent` on its own socket, holding the keys a test adds. Stopped by `stop()`.
public final class SSHTestAgent {
    public let socketPath: String
    private let process: Process

    /// Starts an agent (in the foreground, as our child) whose socket lives in `directory`.
    public init(directory: String) throws {
        socketPath = directory + "/agent-\(UUID().uuidString.prefix(8)).sock"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-agent")
        process.arguments = ["-D", "-a", socketPath]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(5)
        while !FileManager.default.fileExists(atPath: socketPath) {
            guard Date() < deadline, process.isRunning else {
                throw SSHTestServer.Unavailable(reason: "ssh-agent did not create \(socketPath)")
            }
            usleep(20_000)
        }
    }

    /// `ssh-add path` (an unencrypted key).
    public func add(_ keyPath: String) throws {
        try TestCommand.check("/usr/bin/ssh-add", [keyPath], environment: ["SSH_AUTH_SOCK": socketPath])
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: socketPath)
    }

    deinit { stop() }
}
