import Foundation
@testable import ProvisionCore

/// A real transport for the lab tests: OpenSSH's `ssh` client as a subprocess, with the lab's
/// key and known_hosts. Core tests cannot use ProvisionSSH (Core must not depend on it), and
/// the lab nodes are real hosts, so this is the plain tool a user would use by hand.
final class OpenSSHTestTransport: Transport {
    let hostName: String
    let address: String
    let user: String
    let keyFile: String
    let knownHostsFile: String

    init(hostName: String, address: String, user: String, keyFile: String, knownHostsFile: String) {
        self.hostName = hostName
        self.address = address
        self.user = user
        self.keyFile = keyFile
        self.knownHostsFile = knownHostsFile
    }

    func run(_ command: RemoteCommand) throws -> CommandResult {
        var line = command.line
        if !command.environment.isEmpty {
            line = "export " + command.environment.sorted { $0.key < $1.key }
                .map { "\($0.key)=\(Shell.quote($0.value))" }.joined(separator: " ") + "\n" + line
        }
        var input = command.stdin ?? Data()
        let remote: String
        if let b = command.become {
            if let pw = b.password {
                // sudo reads the password line from stdin; the rest of stdin is the command's.
                remote = "sudo -S -p '' -u \(Shell.quote(b.user)) sh -c \(Shell.quote(line))"
                input = Data((pw.reveal() + "\n").utf8) + input
            } else {
                remote = "sudo -n -u \(Shell.quote(b.user)) sh -c \(Shell.quote(line))"
            }
        } else {
            remote = "sh -c \(Shell.quote(line))"
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ssh")
        p.arguments = ["-i", keyFile, "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                       "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=\(knownHostsFile)",
                       "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5", "\(user)@\(address)", remote]
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        let out = Box(), err = Box(), timedOut = Box()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { out.set(outPipe.fileHandleForReading.readDataToEndOfFile()) }
        DispatchQueue.global().async(group: group) { err.set(errPipe.fileHandleForReading.readDataToEndOfFile()) }
        inPipe.fileHandleForWriting.write(input)
        try? inPipe.fileHandleForWriting.close()
        if let t = command.timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + t) {
                if p.isRunning { timedOut.set(Data([1])); p.terminate() }
            }
        }
        p.waitUntilExit()
        group.wait()
        return try finish(p.terminationStatus, out.get(), err.get(), timedOut: !timedOut.get().isEmpty)
    }

    private func finish(_ status: Int32, _ out: Data, _ err: Data, timedOut: Bool) throws -> CommandResult {
        if timedOut { throw TransportError(.timeout, host: hostName, "command timed out") }
        if status == 255 && String(decoding: err, as: UTF8.self).contains("ssh:") {
            throw TransportError(.unreachable, host: hostName, String(decoding: err, as: UTF8.self))
        }
        return CommandResult(status: status, stdout: out, stderr: err)
    }

    func upload(_ data: Data, to path: String, mode: Int, become: Become?) throws {
        let r = try run(RemoteCommand("cat > \(Shell.quote(path)).tmp && chmod \(String(mode, radix: 8)) \(Shell.quote(path)).tmp && mv \(Shell.quote(path)).tmp \(Shell.quote(path))",
                                      stdin: data, become: become))
        guard r.succeeded else { throw TransportError(.failed, host: hostName, r.stderrText) }
    }

    func download(_ path: String, become: Become?) throws -> Data {
        let r = try run(RemoteCommand("cat \(Shell.quote(path))", become: become))
        guard r.succeeded else { throw TransportError(.failed, host: hostName, r.stderrText) }
        return r.stdout
    }

    func close() {}
}

/// Data handed between threads under a lock.
private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
