import Foundation

extension SSHTestServer {
    /// The port of a second sshd (same host keys and users) that accepts only
    /// keyboard-interactive logins through PAM, for the password-by-prompt path. Started on
    /// first call; listens on 127.0.0.1 only.
    public func keyboardInteractivePort() throws -> Int {
        Self.kbdLock.lock()
        defer { Self.kbdLock.unlock() }
        if let port = Self.kbdPort { return port }
        let port = try Self.freePort()
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory)/host_ed25519
            HostKey \(directory)/host_ecdsa
            PidFile \(directory)/sshd-kbd.pidfile
            UsePAM yes
            KbdInteractiveAuthentication yes
            PasswordAuthentication no
            PubkeyAuthentication no
            PermitRootLogin no
            AllowUsers \(user) \(passwordSudoUser)
            LogLevel ERROR
            PrintMotd no

            """
        let path = directory + "/sshd_config_kbd"
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        try TestCommand.check("/usr/sbin/sshd", ["-t", "-f", path])
        try Self.launch(sshd: "/usr/sbin/sshd", config: path, directory: directory, tag: "sshd-kbd",
                        port: port, removeDirectory: false)
        Self.kbdPort = port
        return port
    }

    nonisolated(unsafe) private static var kbdPort: Int?
    private static let kbdLock = NSLock()
}
