import Crypto
import Foundation

/// `known_hosts`: adds, replaces or removes a host's key in a known_hosts file ON THE HOST
/// (`~/.ssh/known_hosts` of the login or become user by default).
///
/// The lookup `ssh-keygen -F` does for Ansible is done on the controller (plain, bracketed
/// `[host]:port` and hashed `|1|` entries), so the host needs no OpenSSH client: a key equal to
/// one present is left alone, one of the same type for the host is replaced in place, a new
/// one is appended; `state: absent` without a key drops every line of the host.
public struct KnownHostsModule: Module {
    public static let name = "known_hosts"
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true, aliases: ["host"]), .init("key"),
        .init("path", default: "~/.ssh/known_hosts"), .init("hash_host", .bool, default: false),
        .init("state", choices: ["absent", "present"], default: "present"),
    ])

    public var host: String
    public var key: String?
    public var path: String
    public var hashHost: Bool
    public var present: Bool

    public init(arguments args: ModuleArguments) throws {
        host = try args.requiredString("name").lowercased()
        key = try args.string("key").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        path = try args.string("path") ?? "~/.ssh/known_hosts"
        hashHost = try args.bool("hash_host") ?? false
        present = try args.choice("state", ["absent", "present"]) != "absent"
        if key == nil && present { throw ModuleError("No key specified when adding a host") }
        if let key {
            guard let entry = Entry(key) else { throw ModuleError("Invalid key specified: '\(key)'") }
            if !entry.matches(host) {
                throw ModuleError("Host parameter does not match hashed host field in supplied key")
            }
        }
    }

    /// One known_hosts line: optional marker, host patterns, key type and key.
    struct Entry: Equatable {
        var marker: String?
        var hosts: String
        var type: String
        var key: String

        init?(_ line: String) {
            var f = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if f.first?.hasPrefix("@") == true { marker = f.removeFirst() }
            guard f.count >= 3 else { return nil }
            hosts = f[0]
            type = f[1]
            key = f[2]
        }

        /// The names `host` is written as in known_hosts: itself, or `[host]:port`.
        func matches(_ host: String) -> Bool {
            for pattern in hosts.split(separator: ",").map(String.init) {
                if pattern.hasPrefix("|1|") {
                    let parts = pattern.split(separator: "|").map(String.init)
                    guard parts.count == 3, let salt = Data(base64Encoded: parts[1]),
                          let hash = Data(base64Encoded: parts[2]) else { continue }
                    let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(host.utf8), using: SymmetricKey(data: salt))
                    if Data(mac) == hash { return true }
                } else if pattern.lowercased() == host {
                    return true
                }
            }
            return false
        }
    }

    static func hashed(_ host: String) -> String {
        let salt = SymmetricKey(size: .init(bitCount: 160))
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(host.utf8), using: salt)
        let saltData = salt.withUnsafeBytes { Data($0) }
        return "|1|" + saltData.base64EncodedString() + "|" + Data(mac).base64EncodedString()
    }

    /// The new file lines (each with its newline) and whether anything changed. Pure but for
    /// the random salt of `hash_host`.
    func edit(_ lines: [String]) -> (lines: [String], changed: Bool) {
        var wanted = key.flatMap(Entry.init)
        if hashHost, var w = wanted, !w.hosts.hasPrefix("|1|") { w.hosts = Self.hashed(host); wanted = w }
        var found = false
        var sameTypeLine: Int?
        for (i, line) in lines.enumerated() where !line.hasPrefix("#") {
            guard let e = Entry(line.trimmingCharacters(in: .newlines)), e.matches(host) else { continue }
            found = true
            guard let w = wanted else { continue }
            if e.marker == w.marker, e.type == w.type, e.key == w.key,
               e.hosts == w.hosts || (e.hosts.hasPrefix("|1|") && w.hosts.hasPrefix("|1|")) {
                if !present { return (lines.enumerated().filter { $0.offset != i }.map(\.element), true) }
                return (lines, false)
            }
            if e.type == w.type, sameTypeLine == nil { sameTypeLine = i }
        }
        if !present {
            // As Ansible: with a key, the host's line of the same key type goes, whatever its key.
            if key != nil {
                guard let i = sameTypeLine else { return (lines, false) }
                return (lines.enumerated().filter { $0.offset != i }.map(\.element), true)
            }
            guard found else { return (lines, false) }
            return (lines.filter { l in Entry(l.trimmingCharacters(in: .newlines)).map { !$0.matches(host) || l.hasPrefix("#") } ?? true }, true)
        }
        guard let w = wanted else { return (lines, false) }
        let text = ([w.marker, w.hosts, w.type, w.key].compactMap { $0 } + (key.map { Self.comment($0) } ?? [])).joined(separator: " ") + "\n"
        var out = lines
        if let i = sameTypeLine { out.remove(at: i) }
        if let last = out.last, !last.hasSuffix("\n") { out[out.count - 1] += "\n" }
        out.append(text)
        return (out, true)
    }

    /// The comment after the key, if the line has one.
    static func comment(_ line: String) -> [String] {
        var f = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if f.first?.hasPrefix("@") == true { f.removeFirst() }
        return f.count > 3 ? [f[3...].joined(separator: " ")] : []
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var file = path
        if file == "~" || file.hasPrefix("~/") {
            let home = try context.run("printf '%s' \"$HOME\"")
            file = home.stdoutText + file.dropFirst()
        }
        let runner = TextFileEdit(path: file, attributes: FileAttributes(), create: present, removing: !present)
        var removedAll: String?
        var result = try runner.run(in: context) { original in
            let r = edit(LineInFileEdit.lines(original ?? ""))
            if !present, key == nil, r.changed { removedAll = original }
            return .init(text: r.lines.joined(), changed: r.changed, message: present ? "key added" : "key removed")
        }
        // Ansible removes a host with `ssh-keygen -R`, which leaves the old file as PATH.old.
        if let old = removedAll, !context.checkMode, !result.failed {
            try context.transport.upload(Data(old.utf8), to: file + ".old", mode: 0o644, become: context.become)
        }
        result.data["name"] = .string(host)
        result.data["path"] = .string(file)
        result.data["hash_host"] = .bool(hashHost)
        result.data["state"] = .string(present ? "present" : "absent")
        if let key { result.data["key"] = .string(key) }
        return result
    }
}
