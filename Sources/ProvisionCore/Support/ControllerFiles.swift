import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Files on the controller that threads of this process and other `provision` processes may
/// write at once (known_hosts, the Docker TLS directory): an exclusive `flock` on a lock file,
/// and writes that go to a temporary file beside the target, get their mode, and are then
/// renamed over it (`replace`) or hard-linked to it (`createOnce`, which never replaces an
/// existing file). A reader sees the old file, the new one, or none — never half of one.
public enum ControllerFiles {
    /// Why a lock or a write failed: what was attempted, the path, and the system's reason.
    public struct Failure: Error, CustomStringConvertible, LocalizedError {
        public let description: String
        public var errorDescription: String? { description }

        init(_ what: String, _ path: String) {
            description = "\(what) \(path): \(String(cString: strerror(errno)))"
        }
    }

    /// Runs `body` holding an exclusive `flock` on `lockPath` (created 0600).
    public static func withLock<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure("cannot open the lock file", lockPath) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw Failure("cannot lock", lockPath) }
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }

    /// Writes `data` to `path` with exactly `mode`, replacing any file there atomically.
    /// `sync`: the data reaches the disk before the rename (keys, certificates); without it a
    /// crash may leave the old file, never a torn one.
    public static func replace(_ data: Data, at path: String, mode: Int, sync: Bool = true) throws {
        let tmp = try temporaryCopy(of: data, beside: path, mode: mode, sync: sync)
        if rename(tmp, path) != 0 {
            let e = Failure("cannot rename a temporary file to", path)
            unlink(tmp)
            throw e
        }
    }

    /// Writes `data` to `path` with `mode` only if nothing is there yet. Returns false, and
    /// leaves the existing file untouched, when `path` already exists — even if another
    /// process created it a moment ago (`link` fails with EEXIST; rename would overwrite).
    @discardableResult
    public static func createOnce(_ data: Data, at path: String, mode: Int) throws -> Bool {
        let tmp = try temporaryCopy(of: data, beside: path, mode: mode, sync: true)
        defer { unlink(tmp) }
        if link(tmp, path) == 0 { return true }
        if errno == EEXIST { return false }
        throw Failure("cannot create", path)
    }

    private static func temporaryCopy(of data: Data, beside path: String, mode: Int, sync: Bool) throws -> String {
        let dir = (path as NSString).deletingLastPathComponent
        var template = Array(((dir.isEmpty ? "." : dir) + "/.provision-tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buf in buf.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw Failure("cannot create a temporary file beside", path) }
        let tmp = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = fchmod(fd, mode_t(mode)) == 0
        if ok {
            ok = data.withUnsafeBytes { raw -> Bool in
                guard let base = raw.baseAddress else { return true }
                var offset = 0
                while offset < raw.count {
                    let n = write(fd, base + offset, raw.count - offset)
                    if n < 0 { if errno == EINTR { continue }; return false }
                    offset += n
                }
                return true
            }
        }
        if sync { ok = ok && fsync(fd) == 0 }
        let closed = close(fd) == 0
        guard ok && closed else {
            let e = Failure("cannot write a temporary file beside", path)
            unlink(tmp)
            throw e
        }
        return tmp
    }
}
