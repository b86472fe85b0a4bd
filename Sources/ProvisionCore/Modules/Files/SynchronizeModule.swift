import Foundation

/// `synchronize` (ansible.posix): rsync between the controller and the host over the host's
/// own SSH login (`HostContext.connection`: address, port, user, identity files and the run's
/// known-hosts file and policy), as Ansible's does. `mode: push` copies controller → host,
/// `pull` host → controller; with a local host rsync runs locally. `changed` comes from rsync's
/// itemized output. rsync must be installed on both ends; passwords are not supported (ssh
/// runs in batch mode), keys and the agent are.
public struct SynchronizeModule: Module {
    public static let name = "synchronize"
    public static let aliases = ["ansible.posix.synchronize"]
    public static let argumentSpec = ArgumentSpec([
        .init("src", required: true), .init("dest", required: true), .init("mode", choices: ["pull", "push"], default: "push"),
        .init("archive", .bool, default: true), .init("recursive", .bool), .init("links", .bool), .init("perms", .bool),
        .init("times", .bool), .init("owner", .bool), .init("group", .bool), .init("checksum", .bool, default: false),
        .init("compress", .bool, default: true), .init("delete", .bool, default: false),
        .init("existing_only", .bool, default: false), .init("dirs", .bool, default: false),
        .init("copy_links", .bool, default: false), .init("rsync_path"), .init("rsync_opts", .list, default: .list([])),
        .init("rsync_timeout", .int, default: 0), .init("delay_updates", .bool, default: true),
        .init("partial", .bool, default: false), .init("set_remote_user", .bool, default: true),
        .init("private_key"), .init("dest_port", .int), .init("verify_host", .bool, default: false),
    ])

    public var src: String
    public var dest: String
    public var pull: Bool
    /// rsync's options, without the --rsh and the paths.
    var options: [String]
    var rsyncPath: String?
    var setRemoteUser: Bool
    var privateKey: String?
    var destPort: Int?
    var verifyHost: Bool

    public init(arguments args: ModuleArguments) throws {
        src = try args.requiredString("src")
        dest = try args.requiredString("dest")
        pull = try args.choice("mode", ["pull", "push"]) == "pull"
        let archive = try args.bool("archive") ?? true
        var o = ["--out-format=<<CHANGED>>%i %n%L"]
        if try args.bool("delay_updates") ?? true { o.append("--delay-updates") }
        o.append("-F")
        if try args.bool("compress") ?? true { o.append("--compress") }
        if archive { o.append("--archive") }
        // Explicit flags win over what --archive implies, as Ansible writes them.
        for (key, flag) in [("recursive", "recursive"), ("links", "links"), ("perms", "perms"), ("times", "times"),
                            ("owner", "owner"), ("group", "group")] {
            if let v = try args.bool(key) {
                if v && !archive { o.append("--\(flag)") } else if !v && archive { o.append("--no-\(flag)") }
            }
        }
        if try args.bool("checksum") == true { o.append("--checksum") }
        if try args.bool("delete") == true { o.append("--delete-after") }
        if try args.bool("existing_only") == true { o.append("--existing") }
        if try args.bool("dirs") == true { o.append("--dirs") }
        if try args.bool("copy_links") == true { o.append("--copy-links") }
        if try args.bool("partial") == true { o.append("--partial") }
        if let t = try args.int("rsync_timeout"), t > 0 { o.append("--timeout=\(t)") }
        o += try args.stringList("rsync_opts") ?? []
        options = o
        rsyncPath = try args.string("rsync_path")
        setRemoteUser = try args.bool("set_remote_user") ?? true
        privateKey = try args.string("private_key")
        destPort = try args.int("dest_port")
        verifyHost = try args.bool("verify_host") ?? false
    }

    /// A controller path resolved like Ansible's (`files/` lookup), keeping a trailing slash,
    /// which tells rsync to copy a directory's contents.
    func controllerSide(_ path: String, in context: HostContext, lookup: Bool) -> String {
        let slash = path.hasSuffix("/") && path.count > 1
        var p = lookup ? context.controllerFile(String(slash ? path.dropLast() : Substring(path)), in: "files")
            : (path.hasPrefix("/") ? path : (context.controllerBaseDirectory as NSString).appendingPathComponent(path))
        if slash { p += "/" }
        return p
    }

    /// The ssh command rsync uses, from the run's view of the host.
    static func sshCommand(_ t: ConnectionTarget, port: Int?, key: String?) -> String {
        var ssh = ["ssh", "-S", "none", "-o", "BatchMode=yes"]
        if let p = port ?? t.port { ssh += ["-o", "Port=\(p)"] }
        let keys = key.map { [$0] } ?? t.identityFiles
        for k in keys { ssh += ["-i", k] }
        switch t.hostKeyChecking {
        case .off: ssh += ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"]
        case .strict: ssh += ["-o", "StrictHostKeyChecking=yes"]
        case .acceptNew: ssh += ["-o", "StrictHostKeyChecking=accept-new"]
        }
        if let kh = t.knownHostsFile, t.hostKeyChecking != .off { ssh += ["-o", "UserKnownHostsFile=\(kh)"] }
        return ssh.map(Shell.quote).joined(separator: " ")
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var args = options
        if context.checkMode { args.append("--dry-run") }
        let local = context.transport is LocalTransport || context.connection == nil
        var remoteSrc = src, remoteDest = dest
        if !local, let t = context.connection {
            args.append("--rsh=" + Self.sshCommand(t, port: destPort, key: privateKey))
            let path = rsyncPath ?? (context.become != nil ? "sudo -n rsync" : nil)
            if let path { args.append("--rsync-path=" + path) }
            let login = (setRemoteUser ? t.user.map { $0 + "@" } : nil) ?? ""
            let host = t.address.contains(":") ? "[\(t.address)]" : t.address
            if pull { remoteSrc = "\(login)\(host):\(src)" } else { remoteDest = "\(login)\(host):\(dest)" }
        } else if let rsyncPath {
            args.append("--rsync-path=" + rsyncPath)
        }
        let from = pull ? remoteSrc : controllerSide(src, in: context, lookup: true)
        let to = pull ? controllerSide(dest, in: context, lookup: false) : remoteDest
        if !pull, !FileManager.default.fileExists(atPath: from) {
            return .failed("src \(src) not found on the controller (looked for \(from))")
        }
        let argv = ["rsync"] + args + [from, to]
        let cmd = argv.map(Shell.quote).joined(separator: " ")
        let o: ControllerProcess.Output
        do { o = try ControllerProcess.run(argv) } catch { return .failed("cannot run rsync on the controller: \(error)") }
        let stdout = String(decoding: o.stdout, as: UTF8.self)
        let stderr = String(decoding: o.stderr, as: UTF8.self)
        let lines = stdout.split(separator: "\n").map(String.init)
        var data: [String: Value] = ["cmd": .string(cmd), "rc": .int(Int(o.status)),
                                     "msg": .string(stdout.replacingOccurrences(of: "<<CHANGED>>", with: "")),
                                     "stdout_lines": .list(lines.map { .string($0.replacingOccurrences(of: "<<CHANGED>>", with: "")) })]
        if o.status != 0 {
            if o.status == 127 { return .failed("rsync is not installed on the controller", data: data) }
            data["stderr"] = .string(stderr)
            return .failed(stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "rsync exited with \(o.status)" : stderr.trimmingCharacters(in: .whitespacesAndNewlines), data: data)
        }
        return ModuleResult(changed: stdout.contains("<<CHANGED>>"), message: nil, data: data)
    }
}
