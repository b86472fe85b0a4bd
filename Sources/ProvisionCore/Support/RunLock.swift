import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The controller-side run lock: one small file per host (named after its address and port,
/// so two inventories naming one machine differently still meet) in `~/.provision/locks`,
/// holding who runs what there.
///
/// A second `provision run` touching a held host fails fast naming the holder. A lock whose
/// holder was a process of this controller that no longer exists is stale and taken over,
/// with a note. Checks and takeovers happen under one `flock` on the directory's `.mutex`, so
/// two runs starting at once cannot both take a host. Hosts are locked all or none.
public final class RunLock {
    /// Who holds a host: shown to the run that finds it busy.
    public struct Holder: Codable, Sendable, Equatable {
        public var controller: String
        public var pid: Int32
        public var playbook: String
        /// ISO 8601, UTC.
        public var since: String

        public var description: String {
            "provision run of \(playbook) (pid \(pid) on \(controller), since \(since))"
        }
    }

    /// A host is held by another live run.
    public struct Busy: Error, CustomStringConvertible, LocalizedError {
        public let host: String
        public let holder: Holder
        public let path: String

        public var description: String {
            "host \(host) is locked by another \(holder.description); wait for it to end, "
                + "or pass --no-lock if you are sure it is gone (lock file: \(path))"
        }
        public var errorDescription: String? { description }
    }

    public let directory: String
    private let me: Holder
    private var held: [String] = []

    /// `~/.provision/locks`, or `$PROVISION_LOCK_DIR` when set.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["PROVISION_LOCK_DIR"], !dir.isEmpty { return dir }
        return (NSHomeDirectory() as NSString).appendingPathComponent(".provision/locks")
    }

    /// Takes every host of `hosts` (name for messages, key for the file: `address:port`), or
    /// none: throws `Busy` for the first one held by a live run. `note` receives a line for
    /// each stale lock taken over.
    public init(hosts: [(name: String, key: String)], playbook: String,
                directory: String = RunLock.defaultDirectory(), note: (String) -> Void) throws {
        self.directory = directory
        me = Holder(controller: Self.controllerName, pid: getpid(), playbook: playbook,
                    since: ISO8601DateFormatter().string(from: Date()))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let mine = try JSONEncoder().encode(me)
        var seen = Set<String>()
        try ControllerFiles.withLock((directory as NSString).appendingPathComponent(".mutex")) {
            do {
                for host in hosts.sorted(by: { $0.key < $1.key }) where seen.insert(host.key).inserted {
                    let path = self.path(for: host.key)
                    if let data = FileManager.default.contents(atPath: path) {
                        if let holder = try? JSONDecoder().decode(Holder.self, from: data), !Self.isStale(holder) {
                            throw Busy(host: host.name, holder: holder, path: path)
                        }
                        let who = (try? JSONDecoder().decode(Holder.self, from: data))?.description ?? "an unreadable lock"
                        note("host \(host.name): taking over a stale run lock left by \(who), which is no longer running")
                    }
                    try ControllerFiles.replace(mine, at: path, mode: 0o600, sync: false)
                    held.append(path)
                }
            } catch {
                removeHeld()
                throw error
            }
        }
    }

    /// Gives every host back (only files still naming this process are removed).
    public func release() {
        try? ControllerFiles.withLock((directory as NSString).appendingPathComponent(".mutex")) { removeHeld() }
    }

    deinit { if !held.isEmpty { release() } }

    private func removeHeld() {
        for path in held {
            if let data = FileManager.default.contents(atPath: path),
               let holder = try? JSONDecoder().decode(Holder.self, from: data), holder == me {
                unlink(path)
            }
        }
        held.removeAll()
    }

    private func path(for key: String) -> String {
        let safe = String(key.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return scalar.isASCII && (c.isLetter || c.isNumber || "-_.:".contains(c)) ? c : "_"
        })
        // A hash keeps keys apart that differ only in the characters replaced above.
        var hash: UInt64 = 1469598103934665603
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        return (directory as NSString).appendingPathComponent("\(safe.prefix(120))-\(String(hash, radix: 16)).lock")
    }

    /// A lock is stale when its holder ran on this controller and that process is gone. A
    /// holder on another controller (a shared home directory) is never judged from here.
    static func isStale(_ holder: Holder) -> Bool {
        guard holder.controller == controllerName else { return false }
        if holder.pid == getpid() { return false }
        return kill(holder.pid, 0) != 0 && errno == ESRCH
    }

    static let controllerName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(cString: buffer)
    }()
}
