import Foundation
import ProvisionCore

/// A real OpenSSH server on loopback for tests, shared by every test in the process.
///
/// `SSHTestServer.shared()` starts it once: its own config, host keys and a free port, listening
/// on `0.0.0.0:port` so each 127.x.y.z address acts as a distinct host; `UsePAM no` and a
/// raised `MaxStartups` for many parallel hosts. Running as root it creates two users with the
/// same password: `user` (sudo without a password) and `passwordSudoUser` (sudo asks for it),
/// and client keys: ed25519, ECDSA, an encrypted ed25519 and one meant only for an agent. The
/// server stops when the test process exits (and a watchdog ends it if the process dies).
///
/// When it cannot run (not root, no sshd), `shared()` throws `Unavailable` with the reason;
/// tests turn that into a skip that says why.
///
/// Typical use:
/// ```swift
/// let server = try SSHTestServer.shared()
/// let transport = try SSHTransportFactory(agentSocket: nil).connect(to: server.target(address: "127.0.0.2"))
/// ```
/// Also: `newKnownHostsPath()` (fresh, not yet created), `startAgent()` (a real ssh-agent with
/// `agentKeyPath`), `dummyKeyPath()` (a key the server refuses), `authorize(_:)`,
/// `keyboardInteractivePort()` (a second sshd with PAM keyboard-interactive only) and
/// `SSHTestServer.unusedPort()` (nothing listens there).
public final class SSHTestServer: @unchecked Sendable {
    /// Why the server cannot run here.
    public struct Unavailable: Error, CustomStringConvertible {
        public var reason: String
        public init(reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    public let port: Int
    /// A directory owned by this server (keys, config, known_hosts files); removed at exit.
    public let directory: String
    /// Login user whose sudo needs no password.
    public let user = "provtest"
    /// Login user whose sudo asks for `password`.
    public let passwordSudoUser = "provtestpw"
    /// Login and sudo password of both users.
    public let password = "Prov-test-pw-4711"
    /// Unencrypted ed25519 client key, authorised for both users.
    public let keyPath: String
    public let ecdsaKeyPath: String
    /// ed25519 key encrypted with `passphrase`, authorised for both users.
    public let encryptedKeyPath: String
    public let passphrase = "Prov-test-passphrase"
    /// Authorised, but meant to be offered only through an agent (`startAgent()`).
    public let agentKeyPath: String
    /// A known_hosts file that already trusts 127.0.0.1 on `port` (both host keys).
    public let knownHostsPath: String
    /// The server's host public keys, as "type base64" lines.
    public let hostPublicKeys: [String]

    private let pidFile: String

    private static let lock = NSLock()
    private static var instance: Result<SSHTestServer, Unavailable>?

    /// The process-wide server, started on first use.
    public static func shared() throws -> SSHTestServer {
        lock.lock()
        defer { lock.unlock() }
        if instance == nil {
            do {
                instance = .success(try SSHTestServer())
            } catch let error as Unavailable {
                instance = .failure(error)
            } catch {
                instance = .failure(Unavailable(reason: "cannot start sshd: \(error)"))
            }
        }
        switch instance {
        case .success(let server): return server
        case .failure(let error): throw error
        case nil: throw Unavailable(reason: "unreachable")
        }
    }

    private init() throws {
        guard getuid() == 0 else {
            throw Unavailable(reason: "the sshd test server needs root (to create test users); running as uid \(getuid())")
        }
        let sshd = "/usr/sbin/sshd"
        guard FileManager.default.isExecutableFile(atPath: sshd),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen") else {
            throw Unavailable(reason: "OpenSSH server not installed (apt-get install openssh-server)")
        }
        let dir = NSTemporaryDirectory() + "provision-sshd-\(getpid())-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        directory = dir
        pidFile = dir + "/sshd.pid"
        keyPath = dir + "/id_ed25519"
        ecdsaKeyPath = dir + "/id_ecdsa"
        encryptedKeyPath = dir + "/id_ed25519_encrypted"
        agentKeyPath = dir + "/id_agent"
        knownHostsPath = dir + "/known_hosts"

        try Self.createUsers([user, passwordSudoUser], password: password)
        let keygen = "/usr/bin/ssh-keygen"
        for (type, path) in [("ed25519", dir + "/host_ed25519"), ("ecdsa", dir + "/host_ecdsa")] {
            try TestCommand.check(keygen, ["-q", "-t", type, "-N", "", "-f", path])
        }
        try TestCommand.check(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "provision-test", "-f", keyPath])
        try TestCommand.check(keygen, ["-q", "-t", "ecdsa", "-N", "", "-C", "provision-test-ecdsa", "-f", ecdsaKeyPath])
        try TestCommand.check(keygen, ["-q", "-t", "ed25519", "-N", passphrase, "-C", "provision-test-encrypted",
                                       "-f", encryptedKeyPath])
        try TestCommand.check(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "provision-test-agent", "-f", agentKeyPath])
        var authorized = ""
        for key in [keyPath, ecdsaKeyPath, encryptedKeyPath, agentKeyPath] {
            authorized += try String(contentsOfFile: key + ".pub", encoding: .utf8)
        }
        try authorized.write(toFile: dir + "/authorized_keys", atomically: true, encoding: .utf8)
        chmod(dir + "/authorized_keys", 0o644)

        hostPublicKeys = try ["host_ed25519", "host_ecdsa"].map { name in
            let text = try String(contentsOfFile: dir + "/\(name).pub", encoding: .utf8)
            return text.split(separator: " ").prefix(2).joined(separator: " ")
        }
        port = try Self.freePort()
        try hostPublicKeys.map { "[127.0.0.1]:\(port) \($0)\n" }.joined()
            .write(toFile: knownHostsPath, atomically: true, encoding: .utf8)

        let config = """
            Port \(port)
            ListenAddress 0.0.0.0
            HostKey \(dir)/host_ed25519
            HostKey \(dir)/host_ecdsa
            PidFile \(pidFile)
            UsePAM no
            PasswordAuthentication yes
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            AuthorizedKeysFile \(dir)/authorized_keys
            StrictModes no
            PermitRootLogin no
            AllowUsers \(user) \(passwordSudoUser)
            MaxStartups 1000:30:1000
            MaxSessions 1000
            MaxAuthTries 20
            LoginGraceTime 30
            ClientAliveInterval 0
            LogLevel ERROR
            PrintMotd no
            Subsystem sftp internal-sftp

            """
        try config.write(toFile: dir + "/sshd_config", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        try TestCommand.check(sshd, ["-t", "-f", dir + "/sshd_config"])

        try Self.launch(sshd: sshd, config: dir + "/sshd_config", directory: dir, tag: "sshd",
                        port: port, removeDirectory: true)
    }

    /// Starts sshd under a watchdog shell that ends it when this test process is gone (even
    /// after a crash), and registers an `atexit` stop; waits until it accepts connections.
    static func launch(sshd: String, config: String, directory dir: String, tag: String, port: Int,
                       removeDirectory: Bool) throws {
        let watchdog = """
            \(sshd) -D -e -f \(config) 2>>\(dir)/\(tag).log &
            child=$!
            echo $child > \(dir)/\(tag).pid
            while kill -0 \(getpid()) 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done
            kill $child 2>/dev/null
            \(removeDirectory ? "rm -rf \(dir)" : "")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", watchdog]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try waitForListener(port: port, log: "\(dir)/\(tag).log")
        sshdPidFilesLock.lock()
        let first = sshdPidFiles.isEmpty
        sshdPidFiles.append("\(dir)/\(tag).pid")
        sshdPidFilesLock.unlock()
        guard first else { return }
        atexit {
            for file in sshdPidFiles {
                if let text = try? String(contentsOfFile: file, encoding: .utf8),
                   let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                    kill(pid, SIGTERM)
                }
            }
        }
    }

    /// A connection target for this server at `address` (any 127.x.y.z), with the ed25519 key,
    /// `knownHostsPath` (or `knownHosts`), accept-new, and ssh_config ignored.
    public func target(address: String = "127.0.0.1", user: String? = nil, identityFiles: [String]? = nil,
                       knownHosts: String? = nil, hostKeyChecking: HostKeyChecking = .acceptNew,
                       connectTimeout: TimeInterval = 5) -> ConnectionTarget {
        ConnectionTarget(name: address, address: address, port: port, user: user ?? self.user,
                         identityFiles: identityFiles ?? [keyPath], hostKeyChecking: hostKeyChecking,
                         knownHostsFile: knownHosts ?? knownHostsPath, connectTimeout: connectTimeout,
                         useSSHConfig: false)
    }

    /// A fresh, empty known_hosts path in the server's directory (the file does not exist yet).
    public func newKnownHostsPath() -> String {
        directory + "/known_hosts-\(UUID().uuidString.prefix(8))"
    }

    /// A real ssh-agent holding `agentKeyPath`.
    public func startAgent() throws -> SSHTestAgent {
        let agent = try SSHTestAgent(directory: directory)
        try agent.add(agentKeyPath)
        return agent
    }
}

/// Read by the `atexit` handler (a C callback cannot capture), so every sshd stops with the tests.
nonisolated(unsafe) private var sshdPidFiles: [String] = []
private let sshdPidFilesLock = NSLock()
