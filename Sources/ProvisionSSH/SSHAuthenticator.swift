import CLibSSH2
import Foundation
import ProvisionCore

/// Authenticates a session in OpenSSH's order: agent identities, explicit identity files, the
/// default identity files, then password and keyboard-interactive when a password is set.
///
/// Never retries a refused method; a failure lists what was tried and never holds a secret.
struct SSHAuthenticator {
    var user: String
    /// The agent's socket (`SSH_AUTH_SOCK`), or nil to skip the agent.
    var agentSocket: String?
    /// Explicit files first, then defaults; files that do not exist are skipped silently.
    var identityFiles: [String]
    var passphrase: Secret?
    var password: Secret?

    /// The defaults OpenSSH tries when nothing else is given, in its order.
    static func defaultIdentityFiles(home: String) -> [String] {
        ["id_ed25519", "id_ecdsa", "id_rsa"].map { "\(home)/.ssh/\($0)" }
    }

    private final class Attempts {
        var tried: [String] = []
        var notes: [String] = []
    }

    func authenticate(_ session: SSHSession, until deadline: Date) throws {
        let attempts = Attempts()
        let methods = try offeredMethods(session, until: deadline)
        guard let methods else { return } // "none" authentication succeeded
        if methods.contains("publickey") {
            if try agentAuth(session, attempts, until: deadline) { return }
            if try fileAuth(session, attempts, until: deadline) { return }
        }
        if let password, methods.contains("password") {
            attempts.tried.append("password")
            let rc = try attempt(session, "libssh2_userauth_password_ex", until: deadline) {
                libssh2_userauth_password_ex(session.raw, user, UInt32(user.utf8.count),
                                             password.reveal(), UInt32(password.reveal().utf8.count), nil)
            }
            if rc == 0 { return }
        }
        if let password, methods.contains("keyboard-interactive") {
            attempts.tried.append("keyboard-interactive")
            if try keyboardInteractive(session, password: password, until: deadline) { return }
        }
        if password == nil && (methods.contains("password") || methods.contains("keyboard-interactive")) {
            attempts.notes.append("the server also accepts passwords, but none was given")
        }
        var message = "authentication as \(user) failed; tried: "
            + (attempts.tried.isEmpty ? "nothing usable" : attempts.tried.joined(separator: ", "))
            + "; the server accepts: \(methods.joined(separator: ", "))"
        if !attempts.notes.isEmpty { message += ". " + attempts.notes.joined(separator: ". ") }
        throw TransportError(.authentication, host: session.host, message)
    }

    /// nil when the server let us in with "none".
    private func offeredMethods(_ session: SSHSession, until deadline: Date) throws -> [String]? {
        while true {
            if let list = libssh2_userauth_list(session.raw, user, UInt32(user.utf8.count)) {
                return String(cString: list).split(separator: ",").map(String.init)
            }
            if libssh2_userauth_authenticated(session.raw) != 0 { return nil }
            let code = libssh2_session_last_errno(session.raw)
            guard code == LIBSSH2_ERROR_EAGAIN else {
                throw session.lastError("libssh2_userauth_list", code: code)
                    .transportError(.unreachable, context: "asking for authentication methods")
            }
            try session.wait(until: deadline)
        }
    }

    /// Runs one authentication call: 0 on success, the (negative) refusal code otherwise.
    /// Only a lost connection throws.
    private func attempt(_ session: SSHSession, _ name: String, until deadline: Date,
                         _ body: () -> Int32) throws -> Int32 {
        while true {
            let rc = body()
            if rc == LIBSSH2_ERROR_EAGAIN {
                try session.wait(until: deadline)
                continue
            }
            if rc < 0 {
                let error = session.lastError(name, code: rc)
                if error.connectionLost { throw error.transportError(.unreachable, context: "authenticating") }
            }
            return rc
        }
    }

    private func agentAuth(_ session: SSHSession, _ attempts: Attempts, until deadline: Date) throws -> Bool {
        guard let socketPath = agentSocket, !socketPath.isEmpty,
              let agent = libssh2_agent_init(session.raw) else { return false }
        defer { libssh2_agent_free(agent) }
        libssh2_agent_set_identity_path(agent, socketPath)
        guard libssh2_agent_connect(agent) == 0 else {
            attempts.notes.append("the ssh-agent at \(socketPath) did not answer")
            return false
        }
        defer { _ = libssh2_agent_disconnect(agent) }
        guard libssh2_agent_list_identities(agent) == 0 else { return false }
        var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
        var identity: UnsafeMutablePointer<libssh2_agent_publickey>?
        while libssh2_agent_get_identity(agent, &identity, previous) == 0, let current = identity {
            previous = current
            let blob = Data(bytes: current.pointee.blob, count: Int(current.pointee.blob_len))
            let type = IdentityKey.type(ofBlob: blob)
            let comment = current.pointee.comment.map { String(cString: $0) } ?? ""
            attempts.tried.append("agent key \(comment.isEmpty ? type : comment) (\(type))")
            let rc = try attempt(session, "libssh2_agent_userauth", until: deadline) {
                libssh2_agent_userauth(agent, user, current)
            }
            if rc == 0 { return true }
            if type == "ssh-rsa" && !LibSSH2.signsRSAWithSHA2 {
                attempts.notes.append(LibSSH2.rsaAdvice("agent key \(comment)"))
            }
        }
        return false
    }

    private func fileAuth(_ session: SSHSession, _ attempts: Attempts, until deadline: Date) throws -> Bool {
        var seen = Set<String>()
        for path in identityFiles where seen.insert(path).inserted {
            guard let key = IdentityKey.inspect(path) else { continue }
            if key.encrypted && passphrase == nil {
                attempts.notes.append("\(path) is encrypted and no passphrase was given "
                    + "(answer the prompt or set PROVISION_SSH_PASSPHRASE)")
                continue
            }
            attempts.tried.append("key \(path)")
            let rc: Int32
            if let identity = key.ed25519 {
                // Decoded once per run; signed here instead of libssh2 re-reading the file.
                rc = try attempt(session, "libssh2_userauth_publickey", until: deadline) {
                    identity.authenticate(session.raw, user: user)
                }
            } else {
                let phrase = key.encrypted ? passphrase?.reveal() : nil
                // For an encrypted key libssh2 then derives the public half by decrypting first,
                // so a wrong passphrase reads as such instead of as the server's refusal.
                let publicPath = !key.encrypted && FileManager.default.fileExists(atPath: path + ".pub")
                    ? path + ".pub" : nil
                rc = try attempt(session, "libssh2_userauth_publickey_fromfile_ex", until: deadline) {
                    libssh2_userauth_publickey_fromfile_ex(session.raw, user, UInt32(user.utf8.count),
                                                           publicPath, path, phrase)
                }
            }
            if rc == 0 { return true }
            let refused = rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED || rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED
            if !refused {
                // libssh2 could not use the file at all (its message names no secret).
                let reason = session.lastError("publickey").message
                attempts.notes.append(key.encrypted
                    ? "\(path) could not be decrypted (wrong passphrase?): \(reason)"
                    : "\(path) could not be used: \(reason)")
            } else if key.isRSA && !LibSSH2.signsRSAWithSHA2 {
                attempts.notes.append(LibSSH2.rsaAdvice(path))
            }
        }
        return false
    }
}
