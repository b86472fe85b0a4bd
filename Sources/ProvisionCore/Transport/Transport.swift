import Foundation

/// How a command runs as another user: through `sudo` (the default) or `su`.
public struct Become: Sendable, Hashable {
    /// Ansible's `become_method`s provision speaks.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case sudo, su
    }

    /// The user to become (`root` by default).
    public var user: String
    /// The become password, when asked for one. Sent on stdin only after the prompt is seen.
    public var password: Secret?
    public var method: Method

    public init(user: String = "root", password: Secret? = nil, method: Method = .sudo) {
        self.user = user
        self.password = password
        self.method = method
    }
}

/// One command to run on a host.
public struct RemoteCommand: Sendable {
    /// A shell command line, run by the login user's shell (`sh -c` semantics).
    public var line: String
    /// Bytes written to the command's stdin, then EOF.
    public var stdin: Data?
    /// Ends the command after this many seconds (nil: the transport's default).
    public var timeout: TimeInterval?
    /// Run through sudo as this user.
    public var become: Become?
    /// Variables exported for this command only (in the remote shell, not through sshd's env).
    public var environment: [String: String]
    /// What the output is for: `.data` (the default) is kept whole or the command fails;
    /// `.display` keeps a bounded head and tail (see `OutputLimits`).
    public var output: OutputUse

    public init(_ line: String, stdin: Data? = nil, timeout: TimeInterval? = nil,
                become: Become? = nil, environment: [String: String] = [:], output: OutputUse = .data) {
        self.line = line
        self.stdin = stdin
        self.timeout = timeout
        self.become = become
        self.environment = environment
        self.output = output
    }
}

/// What a command left behind.
public struct CommandResult: Sendable, Equatable {
    /// Exit status; -1 when the command was killed by a signal.
    public var status: Int32
    /// The signal's name (e.g. "TERM") when the command was killed by one.
    public var signal: String?
    /// What was kept of stdout: all of it, or (a `.display` command) its head, a marker line
    /// naming the bytes cut, and its tail.
    public var stdout: Data
    public var stderr: Data
    /// Bytes of stdout cut from the middle (0: `stdout` is whole).
    public var stdoutDropped: Int64
    /// Bytes of stderr cut from the middle (0: `stderr` is whole).
    public var stderrDropped: Int64

    public init(status: Int32, signal: String? = nil, stdout: Data = Data(), stderr: Data = Data(),
                stdoutDropped: Int64 = 0, stderrDropped: Int64 = 0) {
        self.status = status
        self.signal = signal
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutDropped = stdoutDropped
        self.stderrDropped = stderrDropped
    }

    /// The kept output of two captures, with their cut counts.
    public init(status: Int32, signal: String?, stdout: OutputCapture, stderr: OutputCapture) {
        self.init(status: status, signal: signal, stdout: stdout.finish(), stderr: stderr.finish(),
                  stdoutDropped: stdout.dropped, stderrDropped: stderr.dropped)
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    public var succeeded: Bool { status == 0 && signal == nil }
}

/// A connection to one host: run commands, move files, close.
///
/// Every method blocks the calling thread until done or timed out, so callers run them on a
/// Dispatch queue, never on Swift's cooperative pool. An implementation is safe to call from
/// any thread: it confines its session to its own serial queue.
public protocol Transport: AnyObject {
    /// The inventory name of the host this transport reaches.
    var hostName: String { get }

    /// Runs a command. Throws `TransportError` when the command could not run or finish
    /// (connection lost, timed out, sudo refused); a non-zero exit status is not an error.
    func run(_ command: RemoteCommand) throws -> CommandResult

    /// Writes `data` to `path` with `mode`, atomically: a temporary file beside it, then rename.
    func upload(_ data: Data, to path: String, mode: Int, become: Become?) throws

    /// Reads the whole file at `path`.
    func download(_ path: String, become: Become?) throws -> Data

    /// Ends the session. Further calls throw.
    func close()
}

extension Transport {
    public func run(_ line: String, stdin: Data? = nil, become: Become? = nil) throws -> CommandResult {
        try run(RemoteCommand(line, stdin: stdin, become: become))
    }
}

/// Opens transports to hosts; the CLI picks the concrete kind (SSH, local).
public protocol TransportFactory: Sendable {
    /// Connects and authenticates. Throws `TransportError` with kind `.unreachable`,
    /// `.authentication` or `.hostKey` when the host cannot be used.
    func connect(to target: ConnectionTarget) throws -> Transport
}
