import Foundation
import ProvisionCore
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
        return try ControllerFiles.withLock(path + ".lock", body)
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
        // Not synced: losing a just-learnt key to a crash only means learning it again.
        try ControllerFiles.replace(contents, at: target, mode: Int(mode), sync: false)
    }
}
