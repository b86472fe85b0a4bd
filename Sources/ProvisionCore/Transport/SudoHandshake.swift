import Foundation

/// The become protocol every transport speaks, so `become` behaves and fails alike over SSH
/// and on the controller, with sudo or su.
///
/// sudo: the command runs as `sudo [-S -p PROMPT | -n] -H -u USER -- /bin/sh -c 'echo MARKER; SCRIPT'`.
/// su: as `su USER -c 'echo MARKER; SCRIPT'` (the user's shell runs it, as with Ansible's su);
/// su's prompt cannot be chosen, so its own (`Password:`, or a translation) is recognised.
/// `PROMPT` and `MARKER` are unique per command. While the command has not started, the
/// transport feeds what arrives on stdout and stderr to `advance`: on the prompt it writes the
/// password (once; a second prompt means it was wrong), and once `MARKER` shows on stdout the
/// command runs, so stdin now belongs to the command. Without the marker, a sudo that needs no
/// password would swallow the command's input as a password, and sudo's own complaints could
/// not be told from the command's.
///
/// The password is never on the command line: it goes to sudo's or su's stdin after the prompt.
public struct SudoHandshake {
    /// What the transport does next.
    public enum Step {
        /// Nothing decided yet: keep reading.
        case waiting
        /// Write this line (the password and a newline) to the command's stdin.
        case answer(Data)
        /// The command started: the marker and prompts are gone from the buffers; start the
        /// command's own deadline and send it its stdin.
        case started
        /// sudo or su refused; the message says why and what to do.
        case refused(String)
    }

    public let user: String
    public let password: Secret?
    public let method: Become.Method
    /// sudo's prompt (`sudo -p`); for su, nil (su's own prompt is recognised instead).
    public let prompt: String
    /// Printed on stdout by the shell under sudo once sudo let it run.
    public let marker: String

    private var promptsSeen = 0
    private var searchFrom = 0
    public private(set) var isStarted = false

    public init(_ become: Become, nonce: String = SudoHandshake.makeNonce()) {
        user = become.user
        password = become.password
        method = become.method
        prompt = "[provision-sudo-\(nonce)] password: "
        marker = "PROVISION-BECOME-\(nonce)"
    }

    public static func makeNonce() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// The line that runs `script` (a shell script) as `user` through sudo or su.
    public func commandLine(_ script: String) -> String {
        let wrapped = Shell.quote("echo \(marker); \(script)")
        if method == .su { return Shell.join(["su", user, "-c"]) + " " + wrapped }
        var sudo = ["sudo", "-H"]
        sudo += password == nil ? ["-n"] : ["-S", "-p", prompt]
        sudo += ["-u", user, "--", "/bin/sh", "-c"]
        return Shell.join(sudo) + " " + wrapped
    }

    /// Looks at what the command printed so far; call it after each read until it returns
    /// `.started` or `.refused`. On `.started` the marker line (and anything before it) is cut
    /// from `stdout` and the prompts from `stderr`.
    public mutating func advance(stdout: inout Data, stderr: inout Data) -> Step {
        guard !isStarted else { return .started }
        var answer: Data?
        while let range = nextPrompt(in: stderr) {
            searchFrom = range.upperBound
            promptsSeen += 1
            guard let password else { return .refused(failure(stderr: stderr)) }
            guard promptsSeen == 1 else { return .refused(wrongPassword) }
            answer = Data((password.reveal() + "\n").utf8)
        }
        if promptsSeen > 0, stderr.range(of: Data("Sorry, try again".utf8)) != nil
            || stderr.range(of: Data("Authentication failure".utf8)) != nil {
            return .refused(wrongPassword)
        }
        if let range = stdout.range(of: Data((marker + "\n").utf8)) {
            stdout.removeSubrange(stdout.startIndex..<range.upperBound)
            stderr = removingPrompts(from: stderr)
            isStarted = true
            return .started
        }
        return answer.map(Step.answer) ?? .waiting
    }

    /// su's prompt in the languages Ansible's su plugin knows best; any line ending in one of
    /// these words and a colon, before the command started, is su asking for the password.
    static let suPromptWords = ["password", "passwort", "mot de passe", "contraseña", "senha", "wachtwoord",
                                "lösenord", "salasana", "parola", "passord", "hasło", "heslo", "пароль", "密码", "密碼",
                                "口令", "パスワード", "암호"]

    /// Where the next prompt (after `searchFrom`) is in `stderr`.
    private func nextPrompt(in stderr: Data) -> Range<Int>? {
        guard searchFrom < stderr.count else { return nil }
        if method == .sudo { return stderr.range(of: Data(prompt.utf8), in: searchFrom..<stderr.count) }
        let text = String(decoding: stderr[searchFrom...], as: UTF8.self)
        guard let m = text.range(of: Self.suPromptPattern, options: [.regularExpression, .caseInsensitive]) else { return nil }
        return searchFrom..<(searchFrom + text[..<m.upperBound].utf8.count)
    }

    static let suPromptPattern = "(" + suPromptWords.joined(separator: "|") + ")[^\\n]*[:：] ?"

    private func removingPrompts(from stderr: Data) -> Data {
        if method == .sudo { return Self.removing(prompt, from: stderr) }
        guard promptsSeen > 0 else { return stderr }
        var text = String(decoding: stderr, as: UTF8.self)
        if let m = text.range(of: Self.suPromptPattern, options: [.regularExpression, .caseInsensitive]) {
            text.removeSubrange(m)
        }
        return Data(text.utf8)
    }

    /// Why the command ended without sudo or su letting it start, from what they printed.
    public func failure(stderr: Data) -> String {
        if promptsSeen > 0 && password != nil { return wrongPassword }
        let text = String(decoding: removingPrompts(from: stderr), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if method == .su {
            if password == nil && promptsSeen > 0 {
                return "su needs a password to become \(user) on this host: use --ask-become-pass (-K) or ansible_become_password"
            }
            if text.isEmpty { return "su to \(user) failed: the command did not start (does \(user) have a login shell?)" }
            return "su to \(user) failed: \(text)"
        }
        if text.contains("is not in the sudoers file") || text.contains("is not allowed to execute")
            || text.contains("may not run sudo") {
            return "the login user may not become \(user) with sudo on this host (sudoers): \(text)"
        }
        if password == nil && (text.contains("password is required") || text.contains("a terminal is required") || text.isEmpty) {
            return "sudo needs a password to become \(user) on this host: use --ask-become-pass (or PROVISION_BECOME_PASSWORD)"
        }
        return "sudo to \(user) failed: \(text)"
    }

    /// sudo or su has not let the command run within `seconds`.
    public func timedOut(after seconds: String) -> String {
        "\(method.rawValue) to \(user) did not let the command start within \(seconds) s"
    }

    private var wrongPassword: String { "incorrect \(method.rawValue) password (becoming \(user))" }

    static func removing(_ text: String, from data: Data) -> Data {
        let needle = Data(text.utf8)
        var result = data
        while let range = result.range(of: needle) { result.removeSubrange(range) }
        return result
    }
}
