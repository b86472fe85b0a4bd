import Foundation
import ProvisionCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks for a secret (an SSH key passphrase, a password) once per run: from an environment
/// variable when set, else from the terminal with echo off. The answer is kept for the rest of
/// the run so hundreds of hosts cause one prompt.
///
/// Never reads from argv; the answer is only ever held as a `Secret`.
public final class SecretPrompt: @unchecked Sendable {
    /// The variable the CLI reads an SSH key passphrase from.
    public static let passphraseVariable = "PROVISION_SSH_PASSPHRASE"

    private let prompt: String
    private let variable: String?
    private let terminal: String
    private let environment: [String: String]
    private let lock = NSLock()
    private var answer: Secret??

    /// - Parameters:
    ///   - prompt: shown on the terminal, e.g. "SSH key passphrase: ".
    ///   - variable: an environment variable that answers without a prompt.
    ///   - terminal: the terminal device (`/dev/tty`: the controlling terminal, even when stdin
    ///     is redirected).
    public init(prompt: String, variable: String? = SecretPrompt.passphraseVariable,
                terminal: String = "/dev/tty",
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.prompt = prompt
        self.variable = variable
        self.terminal = terminal
        self.environment = environment
    }

    /// The secret, asked for on first call only; nil when there is no variable and no terminal.
    public func value() -> Secret? {
        lock.lock()
        defer { lock.unlock() }
        if let answer { return answer }
        let result: Secret?
        if let variable, let value = environment[variable] {
            result = Secret(value)
        } else {
            result = Self.readFromTerminal(terminal, prompt: prompt)
        }
        answer = .some(result)
        return result
    }

    /// Identity files among `paths` that exist and are encrypted (so a prompt is worth it).
    public static func encryptedIdentityFiles(_ paths: [String]) -> [String] {
        paths.map(SSHConfigResolver.expandTilde).filter { IdentityKey.inspect($0)?.encrypted == true }
    }

    /// The default identity files OpenSSH would try (`~/.ssh/id_ed25519`, …).
    public static var defaultIdentityFiles: [String] {
        SSHAuthenticator.defaultIdentityFiles(home: SSHConfigResolver.home)
    }

    /// Prints `prompt` on the terminal, reads one line with echo off, restores the terminal.
    static func readFromTerminal(_ path: String, prompt: String) -> Secret? {
        let fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { _ = close(fd) }
        var saved = termios()
        let isTerminal = tcgetattr(fd, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer { if isTerminal { _ = tcsetattr(fd, TCSAFLUSH, &saved) } }
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 || byte == UInt8(ascii: "\n") { break }
            if byte != UInt8(ascii: "\r") { bytes.append(byte) }
        }
        return Secret(String(decoding: bytes, as: UTF8.self))
    }
}
