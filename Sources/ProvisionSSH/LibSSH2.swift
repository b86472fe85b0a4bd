import CLibSSH2
import Foundation

/// Process-wide libssh2 facts: one-time initialisation and the library's version.
///
/// `libssh2_init` must run once before any session exists; `ensureInitialized()` is cheap and
/// idempotent (a Swift global `let` is initialised exactly once, thread-safely).
enum LibSSH2 {
    private static let initResult: Int32 = libssh2_init(0)

    /// Initialises libssh2 on first use; later calls return the first result.
    @discardableResult
    static func ensureInitialized() -> Bool { initResult == 0 }

    /// The linked library's version, e.g. "1.10.0".
    static let version: String = {
        guard let text = libssh2_version(0) else { return "unknown" }
        return String(cString: text)
    }()

    /// libssh2 < 1.11 signs only with `ssh-rsa` (SHA-1), which OpenSSH ≥ 8.8 refuses.
    static var signsRSAWithSHA2: Bool {
        // LIBSSH2_VERSION_NUM layout: 0xMMmmpp.
        libssh2_version(0x010B00) != nil
    }

    /// What to tell a user whose RSA key was refused because of the library version.
    static func rsaAdvice(_ keyDescription: String) -> String {
        "\(keyDescription) is an RSA key, and libssh2 \(version) can only sign with ssh-rsa (SHA-1), "
            + "which OpenSSH 8.8 and later refuse: use an ed25519 key (ssh-keygen -t ed25519), "
            + "or build provision against libssh2 1.11 or later"
    }
}
