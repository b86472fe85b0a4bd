import Foundation

extension SSHTestServer {
    /// Creates the test users (idempotent) with `password`, and sudoers rules: the first may
    /// sudo without a password, the second must give it every time.
    static func createUsers(_ users: [String], password: String) throws {
        for user in users where (try? TestCommand.run("/usr/bin/id", [user]).status) != 0 {
            let added = try TestCommand.run("/usr/sbin/useradd", ["-m", "-s", "/bin/sh", user])
            // Another test process may have created it meanwhile (swift test --parallel).
            if added.status != 0, (try? TestCommand.run("/usr/bin/id", [user]).status) != 0 {
                throw Unavailable(reason: "useradd \(user) failed: \(added.stderr)")
            }
        }
        try TestCommand.check("/usr/sbin/chpasswd", [], input: users.map { "\($0):\(password)\n" }.joined())
        let rules = """
            \(users[0]) ALL=(ALL) NOPASSWD: ALL
            \(users[1]) ALL=(ALL) ALL
            Defaults:\(users[1]) timestamp_timeout=0

            """
        let path = "/etc/sudoers.d/provision-test"
        try FileManager.default.createDirectory(atPath: "/etc/sudoers.d", withIntermediateDirectories: true)
        try rules.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o440)
    }

    /// A TCP port nobody listens on right now (bound to 0.0.0.0:0 and released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Unavailable(reason: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = INADDR_ANY
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> Int32 in
                guard bind(fd, sa, length) == 0 else { return -1 }
                return getsockname(fd, sa, &length)
            }
        }
        guard bound == 0 else { throw Unavailable(reason: "cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits up to 10 s for sshd to accept on 127.0.0.1:port.
    static func waitForListener(port: Int, log: String) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if canConnect(port: port) { return }
            usleep(50_000)
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw Unavailable(reason: "sshd did not start listening on port \(port): \(text)")
    }

    /// Whether something accepts TCP on 127.0.0.1:port.
    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A port on 127.0.0.1 where nothing listens (for unreachable-host tests).
    public static func unusedPort() throws -> Int { try freePort() }
}

extension SSHTestServer {
    /// A fresh ed25519 key the server does not accept.
    public func dummyKeyPath() -> String {
        let path = directory + "/id_unauthorized"
        if !FileManager.default.fileExists(atPath: path) {
            _ = try? TestCommand.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path])
        }
        return path
    }

    /// Adds a public key file to the server's authorized_keys (both users).
    public func authorize(_ publicKeyPath: String) throws {
        let key = try String(contentsOfFile: publicKeyPath, encoding: .utf8)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/authorized_keys"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(key.utf8))
    }
}
