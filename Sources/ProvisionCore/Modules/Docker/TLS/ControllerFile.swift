import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Files on the controller that several hosts' tasks (threads) and several `provision`
/// processes may write at once: the Docker TLS directory.
///
/// Every write goes to a temporary file in the same directory, is synced, given its mode and
/// then renamed (`replace`) or hard-linked (`createOnce`, which never replaces an existing
/// file), so a reader sees the old file, the new one, or none — never half of one.
enum ControllerFile {
    /// One in-process lock for all TLS directories: the work under it is milliseconds, and an
    /// `flock` on the directory's lock file serialises other processes.
    private static let processLock = NSLock()

    /// Runs `body` holding both the process-wide lock and an exclusive `flock` on
    /// `directory/.lock` (created 0600). Other `provision` processes on the same directory wait.
    static func withLock<T>(in directory: String, _ body: () throws -> T) throws -> T {
        processLock.lock()
        defer { processLock.unlock() }
        let lockPath = directory + "/.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot open the lock file", lockPath) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw failure("cannot lock", lockPath) }
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }

    /// Creates `path` and its missing parents with `mode`; an existing directory is left as it is.
    static func ensureDirectory(_ path: String, mode: Int = 0o700) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw ModuleError("\(path) exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: mode])
        } catch {
            throw ModuleError("cannot create the directory \(path): \(error.localizedDescription)")
        }
    }

    /// Writes `data` to `path` with exactly `mode`, replacing any file there atomically.
    static func replace(_ data: Data, at path: String, mode: Int) throws {
        let tmp = try temporaryCopy(of: data, beside: path, mode: mode)
        if rename(tmp, path) != 0 {
            let e = failure("cannot rename a temporary file to", path)
            unlink(tmp)
            throw e
        }
    }

    /// Writes `data` to `path` with `mode` only if nothing is there yet. Returns false, and
    /// leaves the existing file untouched, when `path` already exists — even if another
    /// process created it a moment ago (`link` fails with EEXIST; rename would overwrite).
    @discardableResult
    static func createOnce(_ data: Data, at path: String, mode: Int) throws -> Bool {
        let tmp = try temporaryCopy(of: data, beside: path, mode: mode)
        defer { unlink(tmp) }
        if link(tmp, path) == 0 { return true }
        if errno == EEXIST { return false }
        throw failure("cannot create", path)
    }

    /// The file's text, nil when it does not exist.
    static func read(_ path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModuleError("cannot read \(path); check its owner and mode")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The permission bits of `path` (`0o600`), nil when it does not exist.
    static func mode(of path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_mode) & 0o7777
    }

    private static func temporaryCopy(of data: Data, beside path: String, mode: Int) throws -> String {
        let dir = (path as NSString).deletingLastPathComponent
        var template = Array(((dir.isEmpty ? "." : dir) + "/.provision-tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buf in buf.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw failure("cannot create a temporary file beside", path) }
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
        ok = ok && fsync(fd) == 0
        let closed = close(fd) == 0
        guard ok && closed else {
            let e = failure("cannot write a temporary file beside", path)
            unlink(tmp)
            throw e
        }
        return tmp
    }

    private static func failure(_ what: String, _ path: String) -> ModuleError {
        ModuleError("\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
