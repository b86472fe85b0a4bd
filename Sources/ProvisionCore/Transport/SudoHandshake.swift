import Foundation

/// The become protocol every transport speaks, so `become` behaves and fails alike over SSH
/// and on the controller.
///
/// The command runs as `sudo [-S -p PROMPT | -n] -H -u USER -- /bin/sh -c 'echo MARKER; SCRIPT'`.
/// `PROMPT` and `MARKER` are unique per command. While the command has not started, the
/// transport feeds what arrives on stdout and stderr to `advance`: on sudo's prompt it writes
/// the password (once; a second prompt means it was wrong), and once `MARKER` shows on stdout
/// sudo has let the command run, so stdin now belongs to the command. Without the marker, a
/// sudo that needs no password would swallow the command's input as a password, and sudo's
/// own complaints could not be told from the command's.
///
/// The password is never on the command line: it goes to sudo's stdin after its prompt.
public struct SudoHandshake {
    /// What the transport does next.
    public enum Step {
        /// Nothing decided yet: keep reading.
        case waiting
        /// Write this line (the password and a newline) to the command's stdin.
        case answer(Data)
        /// sudo let the command run: the marker and prompts are gone from the buffers; start
        /// the command's own deadline and send it its stdin.
        case started
        /// sudo refused; the message says why and what to do.
        case refused(String)
    }

    public let user: String
    public let password: Secret?
    /// sudo's prompt (`sudo -p`).
    public let prompt: String
    /// Printed on stdout by the shell under sudo once sudo let it run.
    public let marker: String

    private var promptsSeen = 0
    private var searchFrom = 0
    public private(set) var isStarted = false

    public init(_ become: Become, nonce: String = SudoHandshake.makeNonce()) {
        user = become.user
        password = become.password
        prompt = "[provision-sudo-\(nonce)] password: "
        marker = "PROVISION-BECOME-\(nonce)"
    }

    public static func makeNonce() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// The line that runs `script` (a shell script) as `user` through sudo.
    public func commandLine(_ script: String) -> String {
        var sudo = ["sudo", "-H"]
        sudo += password == nil ? ["-n"] : ["-S", "-p", prompt]
        sudo += ["-u", user, "--", "/bin/sh", "-c"]
        return Shell.join(sudo) + " " + Shell.quote("echo \(marker); \(script)")
    }

    /// Looks at what the command printed so far; call it after each read until it returns
    /// `.started` or `.refused`. On `.started` the marker line (and anything before it) is cut
    /// from `stdout` and sudo's prompts from `stderr`.
    public mutating func advance(stdout: inout Data, stderr: inout Data) -> Step {
        guard !isStarted else { return .started }
        let promptBytes = Data(prompt.utf8)
        var answer: Data?
        while let range = stderr.range(of: promptBytes, in: searchFrom..<stderr.count) {
            searchFrom = range.upperBound
            promptsSeen += 1
            guard let password else { return .refused(failure(stderr: stderr)) }
            guard promptsSeen == 1 else { return .refused(wrongPassword) }
            answer = Data((password.reveal() + "\n").utf8)
        }
        if promptsSeen > 0, stderr.range(of: Data("Sorry, try again".utf8)) != nil {
            return .refused(wrongPassword)
        }
        if let range = stdout.range(of: Data((marker + "\n").utf8)) {
            stdout.removeSubrange(stdout.startIndex..<range.upperBound)
            stderr = Self.removing(prompt, from: stderr)
            isStarted = true
            return .started
        }
        return answer.map(Step.answer) ?? .waiting
    }

    /// Why the command ended without sudo letting it start, from what sudo printed.
    public func failure(stderr: Data) -> String {
        if promptsSeen > 0 && password != nil { return wrongPassword }
        let text = String(decoding: Self.removing(prompt, from: stderr), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if text.contains("is not in the sudoers file") || text.contains("is not allowed to execute")
            || text.contains("may not run sudo") {
            return "the login user may not become \(user) with sudo on this host (sudoers): \(text)"
        }
        if password == nil && (text.contains("password is required") || text.contains("a terminal is required") || text.isEmpty) {
            return "sudo needs a password to become \(user) on this host: use --ask-become-pass (or PROVISION_BECOME_PASSWORD)"
        }
        return "sudo to \(user) failed: \(text)"
    }

    /// sudo has not let the command run within `seconds`.
    public func timedOut(after seconds: String) -> String {
        "sudo to \(user) did not let the command start within \(seconds) s"
    }

    private var wrongPassword: String { "incorrect sudo password (becoming \(user))" }

    static func removing(_ text: String, from data: Data) -> Data {
        let needle = Data(text.utf8)
        var result = data
        while let range = result.range(of: needle) { result.removeSubrange(range) }
        return result
    }
}
