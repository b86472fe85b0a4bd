import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs commands on the controller itself (`ansible_connection: local`, and tests).
///
/// A real transport: each command is `/bin/sh -c` in its own process group, with stdout and
/// stderr read separately through `poll`, a timeout that kills the whole group, and `become`
/// through sudo with the password written only after sudo's prompt appears on stderr.
public final class LocalTransport: Transport {
    public let hostName: String
    private let defaultTimeout: TimeInterval?
    private let limits: OutputLimits
    private var closed = false
    private let lock = NSLock()

    public init(hostName: String = "localhost", defaultTimeout: TimeInterval? = nil,
                output: OutputLimits = OutputLimits()) {
        self.hostName = hostName
        self.defaultTimeout = defaultTimeout
        self.limits = output
    }

    public func run(_ command: RemoteCommand) throws -> CommandResult {
        lock.lock()
        let isClosed = closed
        lock.unlock()
        if isClosed { throw TransportError(.failed, host: hostName, "transport is closed") }

        let (script, stdin) = try RemoteScript.withEnvironment(command, host: hostName)
        var argv = ["/bin/sh", "-c", script]
        var sudo: SudoHandshake?
        if let b = command.become, b.user != Self.currentUser {
            let handshake = SudoHandshake(b)
            argv = ["/bin/sh", "-c", handshake.commandLine(script)]
            sudo = handshake
        }
        let captures = try limits.captures(for: command.output, host: hostName)
        let process = try LocalProcess(argv: argv, host: hostName)
        let timeout = command.timeout ?? defaultTimeout
        let limits = self.limits, host = hostName
        let output = try process.communicate(stdin: stdin ?? Data(), sudo: &sudo, timeout: timeout,
                                             stdout: captures.stdout, stderr: captures.stderr,
                                             overflow: { limits.dataOverflow(host: host, stream: "stdout") })
        if let refused = output.becomeRefused {
            throw TransportError(.become, host: hostName, refused)
        }
        if output.timedOut {
            throw TransportError(.timeout, host: hostName,
                                 "command timed out after \(Int(timeout ?? 0)) s and was killed")
        }
        return output.result
    }

    public func upload(_ data: Data, to path: String, mode: Int, become: Become?) throws {
        let r = try run(RemoteCommand(RemoteScript.atomicWrite(path: path, mode: mode), stdin: data, become: become))
        guard r.succeeded else {
            throw TransportError(.failed, host: hostName, "cannot write \(path): \(r.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    public func download(_ path: String, become: Become?) throws -> Data {
        let r = try run(RemoteCommand("cat -- \(Shell.quote(path))", become: become, output: .data))
        guard r.succeeded else {
            throw TransportError(.failed, host: hostName, "cannot read \(path): \(r.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return r.stdout
    }

    public func close() {
        lock.lock()
        closed = true
        lock.unlock()
    }

    static let currentUser: String = {
        guard let pw = getpwuid(getuid()), let name = pw.pointee.pw_name else { return "" }
        return String(cString: name)
    }()
}

/// Opens `LocalTransport`s.
public struct LocalTransportFactory: TransportFactory {
    public init() {}
    public func connect(to target: ConnectionTarget) throws -> Transport {
        LocalTransport(hostName: target.name, defaultTimeout: target.commandTimeout, output: target.output)
    }
}
