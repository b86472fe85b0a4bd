import Foundation

/// `fetch`: copies a file from the host to the controller, under `dest/INVENTORY_HOSTNAME/SRC`
/// (or straight to `dest` with `flat`), as Ansible lays it out. Transfers only when the
/// controller's copy has another SHA-1 than the host's; skipped in check mode, as in Ansible.
public struct FetchModule: Module {
    public static let name = "fetch"
    public static let argumentSpec = ArgumentSpec([
        .init("src", required: true), .init("dest", required: true),
        .init("flat", .bool, default: false), .init("fail_on_missing", .bool, default: true),
        .init("validate_checksum", .bool, default: true),
    ])
    /// Ansible's fetch reports "skipped" in check mode; this module does the same itself.
    public static let supportsCheckMode = false

    public var src: String
    public var dest: String
    public var flat: Bool
    public var failOnMissing: Bool
    public var validateChecksum: Bool

    public init(arguments args: ModuleArguments) throws {
        src = try args.requiredString("src")
        dest = try args.requiredString("dest")
        flat = try args.bool("flat") ?? false
        failOnMissing = try args.bool("fail_on_missing") ?? true
        validateChecksum = try args.bool("validate_checksum") ?? true
        if src.isEmpty || dest.isEmpty { throw ModuleError("src and dest are required") }
    }

    static func sha1(_ data: Data) -> String { ContentDeployment.sha1(data) }
    static func md5(_ data: Data) -> String { ContentDeployment.md5(data) }

    /// Where the file lands on the controller. Throws for a flat `dest` that is a directory
    /// given without a trailing slash.
    func localPath(host: String, base: String) throws -> String {
        var d = dest.hasPrefix("~") ? NSString(string: dest).expandingTildeInPath : dest
        if !d.hasPrefix("/") { d = (base as NSString).appendingPathComponent(d) }
        if flat {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: d, isDirectory: &isDir), isDir.boolValue, !dest.hasSuffix("/") {
                throw ModuleError("dest is an existing directory, use a trailing slash if you want to fetch src into that directory")
            }
            if dest.hasSuffix("/") { d = (d as NSString).appendingPathComponent((src as NSString).lastPathComponent) }
        } else {
            d = d + "/" + host + "/" + src
        }
        let normal = (d as NSString).standardizingPath
        let root = ((dest.hasPrefix("/") ? dest : (base as NSString).appendingPathComponent(dest)) as NSString).standardizingPath
        if !flat, !normal.hasPrefix(root + "/") {
            throw ModuleError("Detected directory traversal, expected to be contained in '\(dest)' but got '\(normal)'")
        }
        return normal
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        if context.checkMode {
            return ModuleResult(skipped: true, message: "check mode not (yet) supported for this module")
        }
        var s = ModuleScript(#"""
        if [ -d "$p" ]; then pv isdir; exit 0; fi
        if [ ! -e "$p" ]; then pv missing; exit 0; fi
        [ -r "$p" ] || die "file is not readable: $p"
        pv sha1 "$(sha1sum < "$p" | cut -d ' ' -f 1)"
        """#)
        s.set("p", src)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f, data: ["file": .string(src)]) }
        if out.has("isdir") {
            let msg = "remote file is a directory, fetch cannot work on directories"
            return failOnMissing ? .failed(msg, data: ["file": .string(src)]) : .ok(["file": .string(src)], message: msg + ", not transferring, ignored")
        }
        if out.has("missing") {
            let msg = "the remote file does not exist, not transferring, ignored"
            return failOnMissing ? .failed(msg, data: ["file": .string(src)]) : .ok(["file": .string(src)], message: msg)
        }
        let remote = out.first("sha1") ?? ""
        let local = try localPath(host: context.host, base: context.controllerBaseDirectory)
        if let have = FileManager.default.contents(atPath: local), Self.sha1(have) == remote {
            return .ok(["file": .string(src), "dest": .string(local), "checksum": .string(remote), "md5sum": .string(Self.md5(have))])
        }
        let bytes = try context.transport.download(src, become: context.become)
        let got = Self.sha1(bytes)
        var data: [String: Value] = ["dest": .string(local), "checksum": .string(got), "remote_checksum": .string(remote),
                                     "md5sum": .string(Self.md5(bytes)), "remote_md5sum": .null]
        if validateChecksum && got != remote {
            data["file"] = .string(src)
            return .failed("checksum mismatch", data: data)
        }
        do {
            try FileManager.default.createDirectory(atPath: (local as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try bytes.write(to: URL(fileURLWithPath: local), options: .atomic)
        } catch {
            return .failed("Failed to fetch the file: \(error.localizedDescription)", data: data)
        }
        return .changed(data)
    }
}
