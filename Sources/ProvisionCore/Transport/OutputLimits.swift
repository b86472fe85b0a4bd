import Foundation

/// What a command's output is for, which decides what happens when it is large.
public enum OutputUse: Sendable, Hashable {
    /// Read as data by a module (facts, file contents, a probe's answer): kept whole up to
    /// `OutputLimits.data`; beyond it the command fails with a clear error, never a cut value.
    case data
    /// Shown to the operator and registered (`exec`, `command`, `shell`, `raw`): a bounded head
    /// and tail are kept with a marker saying how many bytes were cut between them; the whole
    /// stream goes to `OutputLimits.directory` when one is set.
    case display
}

/// How much of each output stream a transport keeps in memory, per command.
///
/// The defaults keep memory bounded whatever hosts print: 50 hosts printing hundreds of MB
/// each cost about 50 × 2 × (head + tail) bytes at most.
public struct OutputLimits: Sendable, Hashable {
    /// Bytes kept from the start of a displayed stream.
    public var head: Int
    /// Bytes kept from the end of a displayed stream.
    public var tail: Int
    /// Most bytes a module may read as data from one command (a file it downloads included).
    public var data: Int
    /// When set, the whole stdout and stderr of every displayed command go to
    /// `<directory>/<host>.stdout` and `<host>.stderr` (appended, in order), whatever was cut.
    public var directory: String?

    public static let defaultHead = 128 * 1024
    public static let defaultTail = 128 * 1024
    public static let defaultData = 64 * 1024 * 1024

    public init(head: Int = OutputLimits.defaultHead, tail: Int = OutputLimits.defaultTail,
                data: Int = OutputLimits.defaultData, directory: String? = nil) {
        self.head = max(0, head)
        self.tail = max(0, tail)
        self.data = max(0, data)
        self.directory = directory
    }

    /// Fresh captures for one command's stdout and stderr on `host`. A `.data` command keeps
    /// stdout whole up to `data` bytes; stderr (only read for messages) is cut like a
    /// displayed stream. Displayed streams also go whole to `directory` when set.
    public func captures(for use: OutputUse, host: String) throws -> (stdout: OutputCapture, stderr: OutputCapture) {
        let stderr = OutputCapture(stream: "stderr", head: head, tail: tail)
        guard use == .display else { return (OutputCapture(stream: "stdout", dataLimit: data), stderr) }
        let stdout = OutputCapture(stream: "stdout", head: head, tail: tail)
        if let directory {
            let base = (directory as NSString).appendingPathComponent(Self.fileName(host))
            try stdout.writeWhole(to: base + ".stdout", host: host)
            try stderr.writeWhole(to: base + ".stderr", host: host)
        }
        return (stdout, stderr)
    }

    /// A host name as a file name: path separators and control characters become `_`.
    static func fileName(_ host: String) -> String {
        let safe = String(host.unicodeScalars.map { $0 == "/" || $0.value < 0x20 || $0.value == 0x7f ? "_" : Character($0) })
        return safe.isEmpty || safe == "." || safe == ".." ? "_" + safe : safe
    }

    /// The error a `.data` command gets when its output passes `data` bytes.
    public func dataOverflow(host: String, stream: String) -> TransportError {
        TransportError(.failed, host: host,
                       "a module reads this command's \(stream) as data and it passed the limit of \(data) bytes "
                       + "(the value would have been cut); raise it with --max-data-bytes or PROVISION_MAX_DATA_BYTES")
    }
}
