import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// known_hosts files parsed once per process and shared by every connection, re-read only
/// when the file changed on disk (another inode, size or modification time).
///
/// A run over N hosts used to read and parse the whole file once per host, which made host-key
/// checking quadratic: at 200 hosts it was a fifth of provision's CPU. Thread-safe; a file is
/// parsed by one thread while the others wait for the result.
final class KnownHostsCache: @unchecked Sendable {
    static let shared = KnownHostsCache()

    private struct Stamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
    }

    private let lock = NSLock()
    // Guarded by `lock`.
    private var files: [String: (stamp: Stamp, file: KnownHostsFile)] = [:]

    /// The file as it is now; a missing file is an empty one (as `KnownHostsFile.load` says).
    func file(at path: String) throws -> KnownHostsFile {
        try lock.withLock {
            guard let stamp = Self.stamp(path) else {
                files[path] = nil
                return try KnownHostsFile.load(path)
            }
            if let cached = files[path], cached.stamp == stamp { return cached.file }
            let file = try KnownHostsFile.load(path)
            // Stamped before reading: a change during the read shows as a new stamp next time.
            files[path] = (stamp, file)
            return file
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
