import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One output stream of one command, kept as a bounded head and a ring of the latest bytes,
/// optionally written whole to a file as it arrives.
///
/// Memory stays at `head + tail` bytes whatever the stream's length; `total` counts every byte.
public final class OutputCapture {
    public let headLimit: Int
    public let tailLimit: Int
    /// The stream's name in the cut marker ("stdout", "stderr").
    public let stream: String
    private var head = Data()
    private var ring: [UInt8] = []
    private var ringNext = 0
    private var sink: Int32 = -1
    public private(set) var total: Int64 = 0

    public init(stream: String, head: Int, tail: Int) {
        self.stream = stream
        headLimit = head
        tailLimit = tail
    }

    /// Keeps everything up to `limit` bytes (a `.data` command); `overflowed` says it passed it.
    public convenience init(stream: String, dataLimit: Int) {
        self.init(stream: stream, head: dataLimit, tail: 0)
    }

    /// Appends the whole stream to `file` as it arrives (created 0600 when missing).
    public func writeWhole(to file: String, host: String) throws {
        let fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw TransportError(.failed, host: host, "cannot open \(file) for the command's \(stream): \(String(cString: strerror(errno)))")
        }
        sink = fd
    }

    deinit { if sink >= 0 { close(sink) } }

    /// Bytes neither in the head nor in the tail.
    public var dropped: Int64 { max(0, total - Int64(headLimit) - Int64(tailLimit)) }
    /// True when a `.data` capture (no tail) received more than it keeps.
    public var overflowed: Bool { tailLimit == 0 && total > Int64(headLimit) }

    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        total += Int64(bytes.count)
        if sink >= 0, let base = bytes.baseAddress {
            var written = 0
            while written < bytes.count {
                let n = write(sink, base + written, bytes.count - written)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { close(sink); sink = -1; break }
                written += n
            }
        }
        // Raw copies, not byte loops: hosts may print hundreds of MB through here.
        var rest = bytes
        if head.count < headLimit {
            let take = min(headLimit - head.count, rest.count)
            head.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
        }
        guard !rest.isEmpty, tailLimit > 0 else { return }
        if ring.count < tailLimit {
            let take = min(tailLimit - ring.count, rest.count)
            ring.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            ringNext = ring.count % tailLimit
        }
        // The ring is full: only the last `tailLimit` bytes of `rest` can survive.
        if rest.count > tailLimit { rest = UnsafeRawBufferPointer(rebasing: rest[(rest.count - tailLimit)...]) }
        while !rest.isEmpty {
            let n = min(tailLimit - ringNext, rest.count)
            let at = ringNext
            ring.withUnsafeMutableBytes { ringBytes in
                UnsafeMutableRawBufferPointer(rebasing: ringBytes[at..<at + n]).copyMemory(from: UnsafeRawBufferPointer(rebasing: rest[0..<n]))
            }
            ringNext = (ringNext + n) % tailLimit
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
    }

    public func append(_ data: Data) {
        data.withUnsafeBytes { append($0) }
    }

    /// The kept bytes: the head, then (when bytes were cut) a marker line naming how many, then
    /// the tail. Closes the file, if any.
    public func finish() -> Data {
        if sink >= 0 { close(sink); sink = -1 }
        var out = head
        let cut = dropped
        if cut > 0 { out.append(Data(Self.marker(stream: stream, dropped: cut, head: headLimit, tail: tailLimit).utf8)) }
        if ring.count < tailLimit || ringNext == 0 {
            out.append(contentsOf: ring)
        } else {
            out.append(contentsOf: ring[ringNext...])
            out.append(contentsOf: ring[..<ringNext])
        }
        return out
    }

    /// The line put where bytes were cut; one line of its own so `stdout_lines` shows it whole.
    public static func marker(stream: String, dropped: Int64, head: Int, tail: Int) -> String {
        "\n[provision: \(dropped) bytes of \(stream) cut here; the first \(head) and the last \(tail) bytes are kept; "
            + "--output-dir DIR keeps the whole stream]\n"
    }
}
