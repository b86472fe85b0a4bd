import Foundation
import ProvisionCore

/// Checks a server's host key against known_hosts under a `HostKeyChecking` policy, and
/// records a new key under `accept-new`.
struct HostKeyVerifier {
    enum Verdict {
        case known
        case unknown
        /// Other keys are on file for this host: the one shown is the closest (same type first).
        case changed(KnownHostsFile.Entry)
        case revoked(KnownHostsFile.Entry)
    }

    var policy: HostKeyChecking
    /// The known_hosts file read and appended to.
    var path: String
    /// Inventory name, for errors.
    var host: String
    /// The name as known_hosts holds it (`name` or `[name]:port`).
    var lookupName: String

    /// The file as it is now (nil under `off`, or when it cannot be read: `verify` reports that).
    /// Parsed once per process while the file stays unchanged (`KnownHostsFile.cache`).
    func load() -> KnownHostsFile? {
        guard policy != .off else { return nil }
        let file = try? KnownHostsFile.cache.value(at: path)
        file?.warnOnceAboutUnparsedLines()
        return file
    }

    /// Key types on file for this host, so the handshake can prefer them.
    func knownKeyTypes(in file: KnownHostsFile?) -> [String] {
        guard let file else { return [] }
        var types: [String] = []
        for entry in file.entries(for: lookupName) where entry.marker == .none {
            let type = String(entry.keyType)
            if !types.contains(type) { types.append(type) }
        }
        return types
    }

    static func verdict(for key: HostKey, in file: KnownHostsFile, name: String) -> Verdict {
        let entries = file.entries(for: name)
        guard !entries.isEmpty else { return .unknown }
        let base64 = key.blob.base64EncodedString()
        if let revoked = entries.first(where: { $0.marker == .revoked && $0.holds(key, base64: base64) }) {
            return .revoked(revoked)
        }
        let plain = entries.filter { $0.marker == .none }
        if plain.contains(where: { $0.holds(key, base64: base64) }) { return .known }
        if let sameType = plain.first(where: { $0.keyType == key.type }) { return .changed(sameType) }
        if let other = plain.first { return .changed(other) }
        return .unknown
    }

    /// Throws `TransportError(.hostKey)` unless the policy accepts `key`. `loaded` is the file
    /// as read before the handshake (read again here when absent).
    func verify(_ key: HostKey, loaded: KnownHostsFile? = nil) throws {
        guard policy != .off else { return }
        let file: KnownHostsFile
        do { file = try loaded ?? KnownHostsFile.load(path) } catch {
            throw TransportError(.hostKey, host: host, "cannot read known_hosts \(path): \(error.localizedDescription)")
        }
        switch Self.verdict(for: key, in: file, name: lookupName) {
        case .known:
            return
        case .revoked(let entry):
            throw TransportError(.hostKey, host: host,
                "host key \(key.type) \(key.fingerprint) for \(lookupName) is marked @revoked in "
                    + "\(path) line \(entry.line): refusing to connect")
        case .changed(let entry):
            throw changedError(key, old: entry)
        case .unknown:
            guard policy == .acceptNew else {
                throw TransportError(.hostKey, host: host,
                    "host key for \(lookupName) is not in \(path) and host key checking is strict "
                        + "(\(key.type) \(key.fingerprint)); add it with: "
                        + "ssh-keyscan \(keyscanArguments) >> \(Shell.quote(path)), after checking the fingerprint")
            }
            try record(key)
        }
    }

    /// Appends `key` under the file lock, unless another process recorded this host meanwhile.
    private func record(_ key: HostKey) throws {
        do {
            try KnownHostsFile.withLock(path) {
                let current = try KnownHostsFile.load(path)
                switch Self.verdict(for: key, in: current, name: lookupName) {
                case .known: return
                case .changed(let entry): throw changedError(key, old: entry)
                case .revoked(let entry):
                    throw TransportError(.hostKey, host: host,
                        "host key for \(lookupName) is @revoked in \(path) line \(entry.line)")
                case .unknown:
                    try KnownHostsFile.append(name: lookupName, key: key, to: path)
                }
            }
        } catch let error as TransportError {
            throw error
        } catch {
            throw TransportError(.hostKey, host: host,
                "cannot record the host key in \(path): \(error.localizedDescription)")
        }
    }

    private func changedError(_ key: HostKey, old: KnownHostsFile.Entry) -> TransportError {
        let oldPrint = old.key?.fingerprint ?? "(undecodable key)"
        return TransportError(.hostKey, host: host,
            "HOST KEY CHANGED for \(lookupName): the host offered \(key.type) \(key.fingerprint), "
                + "but \(path) line \(old.line) holds \(old.keyType) \(oldPrint). "
                + "Someone may be intercepting the connection, or the host was reinstalled. If you "
                + "are sure it was reinstalled, forget the old key with: "
                + "ssh-keygen -R \(Shell.quote(lookupName)) -f \(Shell.quote(path))")
    }

    private var keyscanArguments: String {
        if lookupName.hasPrefix("["), let close = lookupName.firstIndex(of: "]") {
            let name = lookupName[lookupName.index(after: lookupName.startIndex)..<close]
            let port = lookupName[lookupName.index(close, offsetBy: 2)...]
            return "-p \(port) \(Shell.quote(String(name)))"
        }
        return Shell.quote(lookupName)
    }
}
