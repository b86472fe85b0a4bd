import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension KnownHostsFile {
    /// Runs `body` holding an exclusive `flock` on `<path>.lock`, so concurrent first contacts
    /// (threads of this process or other processes) append one at a time and none is lost.
    static func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && access(directory, F_OK) != 0 {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path + ".lock"])
        }
        defer { _ = close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }

    /// Appends `name keytype base64` in OpenSSH's format by writing a temporary file beside
    /// the original and renaming it over, so readers never see a half-written file. The caller
    /// holds `withLock`. Keeps the file's permissions (0600 for a new file); follows a symlink.
    static func append(name: String, key: HostKey, to path: String) throws {
        // Plain POSIX calls: FileManager's attribute dictionaries cost user lookups per call,
        // and this runs once per new host.
        var target = path
        if let real = realpath(path, nil) {
            target = String(cString: real)
            free(real)
        }
        var contents = FileManager.default.contents(atPath: target) ?? Data()
        if let last = contents.last, last != UInt8(ascii: "\n") { contents.append(UInt8(ascii: "\n")) }
        contents.append(Data("\(name) \(key.knownHostsText)\n".utf8))
        var info = stat()
        let mode = stat(target, &info) == 0 ? mode_t(info.st_mode & 0o7777) : 0o600
        let temporary = target + ".provision-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary])
        }
        var written = 0
        let ok: Bool = contents.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return true }
            while written < bytes.count {
                let n = write(fd, base + written, bytes.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return true
        }
        _ = close(fd)
        guard ok, rename(temporary, target) == 0 else {
            _ = unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
        }
    }
}
