import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What was read from a file, kept per process and shared by every connection, read again
/// only when the file changed on disk (another inode, size or modification time).
///
/// A run over N hosts used to read and parse known_hosts and the identity files once per host,
/// which made host-key checking quadratic: at 200 hosts it was a fifth of provision's CPU.
/// Thread-safe; a file is read by one thread while the others wait for the result.
final class FileCache<Value>: @unchecked Sendable {
    private struct Stamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
    }

    private let read: (String) throws -> Value
    private let lock = NSLock()
    // Guarded by `lock`.
    private var values: [String: (stamp: Stamp, value: Value)] = [:]

    /// `read` turns a path into the value; it runs again whenever the file changed.
    init(_ read: @escaping (String) throws -> Value) { self.read = read }

    /// The value for the file as it is now. A file that cannot be stat'ed (missing) is read
    /// every time, so `read` says what a missing file means.
    func value(at path: String) throws -> Value {
        try lock.withLock {
            guard let stamp = Self.stamp(path) else {
                values[path] = nil
                return try read(path)
            }
            if let cached = values[path], cached.stamp == stamp { return cached.value }
            let value = try read(path)
            // Stamped before reading: a change during the read shows as a new stamp next time.
            values[path] = (stamp, value)
            return value
        }
    }

    private static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Glibc)
        let modified = info.st_mtim
        #else
        let modified = info.st_mtimespec
        #endif
        return Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                     modifiedSeconds: Int(modified.tv_sec), modifiedNanoseconds: Int(modified.tv_nsec))
    }
}

extension KnownHostsFile {
    /// known_hosts files as parsed this run (a missing file is an empty one).
    static let cache = FileCache<KnownHostsFile>(KnownHostsFile.load)
}
