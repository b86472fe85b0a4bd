import CLibSSH2
import Foundation
import ProvisionCore

/// The password handed to the keyboard-interactive callback through the session's abstract
/// pointer (a C callback cannot capture Swift state).
private final class KeyboardInteractiveAnswer {
    let password: String
    var rounds = 0
    init(_ password: String) { self.password = password }
}

/// Answers every prompt of the first round with the password; later rounds get empty answers,
/// so a server that keeps asking ends in a refusal instead of a loop.
private func keyboardInteractiveResponder(
    _ name: UnsafePointer<CChar>?, _ nameLength: Int32, _ instruction: UnsafePointer<CChar>?,
    _ instructionLength: Int32, _ count: Int32,
    _ prompts: UnsafePointer<LIBSSH2_USERAUTH_KBDINT_PROMPT>?,
    _ responses: UnsafeMutablePointer<LIBSSH2_USERAUTH_KBDINT_RESPONSE>?,
    _ abstract: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) {
    guard let abstract, let context = abstract.pointee, let responses, count > 0 else { return }
    let answer = Unmanaged<KeyboardInteractiveAnswer>.fromOpaque(context).takeUnretainedValue()
    answer.rounds += 1
    let text = answer.rounds == 1 ? answer.password : ""
    for index in 0..<Int(count) {
        responses[index].text = strdup(text)
        responses[index].length = UInt32(text.utf8.count)
    }
}

extension SSHAuthenticator {
    func keyboardInteractive(_ session: SSHSession, password: Secret, until deadline: Date) throws -> Bool {
        guard let slot = libssh2_session_abstract(session.raw) else { return false }
        let answer = KeyboardInteractiveAnswer(password.reveal())
        let saved = slot.pointee
        slot.pointee = Unmanaged.passUnretained(answer).toOpaque()
        defer { slot.pointee = saved }
        while true {
            let rc = withExtendedLifetime(answer) {
                libssh2_userauth_keyboard_interactive_ex(session.raw, user, UInt32(user.utf8.count),
                                                         keyboardInteractiveResponder)
            }
            if rc == LIBSSH2_ERROR_EAGAIN {
                try session.wait(until: deadline)
                continue
            }
            return rc == 0
        }
    }
}
