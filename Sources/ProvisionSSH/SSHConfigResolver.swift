import Foundation
import ProvisionCore

/// Where and how to connect once `~/.ssh/config` has had its say.
struct ResolvedTarget: Equatable {
    var hostName: String
    var port: Int
    var user: String
    /// Inventory files first, then those from ssh_config (defaults are added by the caller).
    var identityFiles: [String]
    /// `[user@]host[:port]` of the one jump host, or nil.
    var proxyJump: String?
}

/// Resolves a `ConnectionTarget` as OpenSSH would: through `ssh -G` when the client is
/// installed (Match, Include and every rule for free), else with a small parser. Values set in
/// the inventory win over ssh_config, as in Ansible.
///
/// `ssh -G` runs only when there is a user config to read (or one was named), since the system
/// file rarely sets HostName, User or Port and a process per host costs CPU at scale.
struct SSHConfigResolver: Sendable {
    /// An explicit config file (`ssh -F`); nil: `~/.ssh/config`.
    var configFile: String?

    /// `$HOME` (else the passwd entry), read once per process.
    static let home: String = {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }()

    /// The local login name, the default remote user (read once per process).
    static let localUser: String = {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "root"
    }()

    static func expandTilde(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }

    func resolve(_ target: ConnectionTarget) -> ResolvedTarget {
        let addressGiven = target.address != target.name
        var resolved = ResolvedTarget(hostName: target.address, port: target.port ?? 22,
                                      user: target.user ?? Self.localUser,
                                      identityFiles: target.identityFiles.map(Self.expandTilde),
                                      proxyJump: nil)
        guard target.useSSHConfig else { return resolved }
        let file = configFile ?? Self.home + "/.ssh/config"
        guard FileManager.default.fileExists(atPath: file) else { return resolved }
        let options: [(String, String)]
        if let ssh = Self.sshClient {
            options = Self.runSSHG(ssh, configFile: configFile, target: target) ?? []
        } else {
            options = SSHConfigParser.options(file: file, host: target.address)
        }
        let defaults = Set(["id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_xmss", "id_dsa"]
            .map { Self.home + "/.ssh/" + $0 })
        var configFiles: [String] = []
        for (key, value) in options {
            switch key {
            case "hostname" where !addressGiven: resolved.hostName = value
            case "port" where target.port == nil: resolved.port = Int(value) ?? resolved.port
            case "user" where target.user == nil: resolved.user = value
            case "identityfile":
                let path = Self.expandTilde(value)
                if !defaults.contains(path) && !resolved.identityFiles.contains(path) {
                    configFiles.append(path)
                }
            case "proxyjump" where value.lowercased() != "none":
                if resolved.proxyJump == nil { resolved.proxyJump = value }
            default: break
            }
        }
        // Inventory files first (they are explicit), then ssh_config's.
        resolved.identityFiles += configFiles.filter { !resolved.identityFiles.contains($0) }
        return resolved
    }

    static let sshClient: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/ssh" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    private static func runSSHG(_ ssh: String, configFile: String?, target: ConnectionTarget) -> [(String, String)]? {
        var arguments = ["-G"]
        if let configFile { arguments += ["-F", configFile] }
        if let port = target.port { arguments += ["-p", String(port)] }
        if let user = target.user { arguments += ["-l", user] }
        arguments.append(target.address)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ssh)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let space = line.firstIndex(of: " ") else { return nil }
            return (line[..<space].lowercased(), String(line[line.index(after: space)...]))
        }
    }
}
