import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The Docker TLS directory on the controller, which several hosts' tasks (threads) and
/// several `provision` processes may write at once: `ControllerFiles`' locked, atomic writes,
/// with failures as `ModuleError`s.
enum ControllerFile {
    /// One in-process lock for all TLS directories: the work under it is milliseconds, and an
    /// `flock` on the directory's lock file serialises other processes.
    private static let processLock = NSLock()

    /// Runs `body` holding both the process-wide lock and an exclusive `flock` on
    /// `directory/.lock` (created 0600). Other `provision` processes on the same directory wait.
    static func withLock<T>(in directory: String, _ body: () throws -> T) throws -> T {
        processLock.lock()
        defer { processLock.unlock() }
        do {
            return try ControllerFiles.withLock(directory + "/.lock", body)
        } catch let e as ControllerFiles.Failure {
            throw ModuleError(e.description)
        }
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

    /// Writes `data` to `path` with exactly `mode`, synced, replacing any file there atomically.
    static func replace(_ data: Data, at path: String, mode: Int) throws {
        do { try ControllerFiles.replace(data, at: path, mode: mode) } catch let e as ControllerFiles.Failure {
            throw ModuleError(e.description)
        }
    }

    /// Writes `data` to `path` with `mode` only if nothing is there yet; false when a file is
    /// there already (see `ControllerFiles.createOnce`).
    @discardableResult
    static func createOnce(_ data: Data, at path: String, mode: Int) throws -> Bool {
        do { return try ControllerFiles.createOnce(data, at: path, mode: mode) } catch let e as ControllerFiles.Failure {
            throw ModuleError(e.description)
        }
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
}
