import Foundation
import ProvisionCore

/// Builds the line sent to sshd for a `RemoteCommand`: exported environment, a remote
/// `timeout` so a timed-out command really ends on the host, and sudo through Core's
/// `SudoHandshake` (the protocol every transport shares).
///
/// The become password never appears here: it goes to sudo's stdin after its prompt; nor do
/// environment values: they lead the command's stdin (`RemoteScript.withEnvironment`).
struct RemoteCommandLine {
    /// Seconds between `timeout`'s TERM and its KILL.
    static let killGrace = 5

    var line: String
    var become: SudoHandshake?
    /// What to send the command on stdin (the environment first, when there is one).
    var stdin: Data?
    /// In the environment of every process of the command (`CommandEndingTransport`).
    var token: String

    /// Throws `TransportError(.failed)` for an environment name the shell cannot export.
    init(_ command: RemoteCommand, timeout: TimeInterval?, host: String) throws {
        var (script, stdin) = try RemoteScript.withEnvironment(command, host: host)
        self.stdin = stdin
        token = RemoteScript.makeCommandToken()
        if let timeout {
            // timeout(1) puts itself and the command in a process group and signals the whole
            // group, so children of the command end too; KILL follows if TERM is ignored.
            // Without timeout(1) on the host the command runs bare and only the client's limit
            // applies (the script is not repeated, to keep the line short).
            let seconds = String(format: "%.3f", max(0.001, timeout))
            script = "set -- /bin/sh -c \(Shell.quote(script)); command -v timeout >/dev/null 2>&1 && "
                + "set -- timeout -k \(Self.killGrace) \(seconds) \"$@\"; exec \"$@\""
        }
        // First, so timeout(1), the shell and all they start inherit it (inside sudo's shell
        // under become: sudo resets the environment).
        script = RemoteScript.markProcesses(token) + script
        guard let become = command.become else {
            self.line = script
            self.become = nil
            return
        }
        let handshake = SudoHandshake(become)
        self.line = handshake.commandLine(script)
        self.become = handshake
    }
}
