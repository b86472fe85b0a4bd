import Crypto
import Foundation

/// Puts known bytes at a remote path (copy's `content`/`src`, template's rendered text).
///
/// Compares by SHA-256 first: when the remote file already has these bytes nothing is sent,
/// and the task costs one round trip. Owner, group and mode are brought in line either way.
struct ContentDeployment {
    var dest: String
    var content: Data
    /// The source file's name, used when `dest` is a directory or ends with `/`.
    var sourceName: String?
    var attributes: FileAttributes
    var backup = false
    /// false: leave an existing file alone even when its content differs (Ansible's `force: no`).
    var force = true
    var validate: String?

    static func sha1(_ data: Data) -> String {
        Insecure.SHA1.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func md5(_ data: Data) -> String {
        Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    func run(in context: HostContext) throws -> ModuleResult {
        let wantSHA = Self.sha256(content)
        let probe = RemoteFileProbe(path: dest, attributes: attributes, appendName: sourceName, readContent: false)
        let state = try probe.run(in: context)
        // Ansible's copy/template return SHA-1 `checksum`, `md5sum` and the kind in `state`.
        var data: [String: Value] = ["dest": .string(state.path), "checksum": .string(Self.sha1(content)),
                                     "md5sum": .string(Self.md5(content)), "size": .int(content.count),
                                     "state": "file"]
        switch state.kind {
        case .directory:
            return .failed("destination \(state.path) is a directory; give a file path"
                           + (sourceName == nil ? " (content cannot be copied to a directory)" : ""), data: data)
        case .other:
            return .failed("destination \(state.path) exists and is not a regular file", data: data)
        case .file, .missing: break
        }
        let sameContent = state.sha256 == wantSHA
        if sameContent || (state.exists && !force) {
            let attrs = state.attributeChanges
            var r = attrs.isEmpty ? ModuleResult.ok(data) : ModuleResult.changed(data, message: Self.attrMessage(attrs))
            if context.diffMode { r.diffs = state.attributeDiffs }
            if !sameContent { r.message = "destination exists and force is off: left alone" }
            return r
        }
        var diffs: [FileDiff] = []
        var warnings: [String] = []
        if context.diffMode {
            if let d = try diff(state: state, context: context) { diffs.append(d) } else {
                warnings.append("no diff shown for \(state.path): binary or larger than 1 MiB")
            }
            diffs += state.attributeDiffs
        }
        if !context.checkMode {
            var writer = RemoteFileWriter(state: state, attributes: attributes, backup: backup, validate: validate)
            writer.createParents = dest.hasSuffix("/")
            let outcome = try writer.write(content, in: context)
            if let b = outcome.backupFile { data["backup_file"] = .string(b) }
        } else if state.parentMissing && !dest.hasSuffix("/") {
            return .failed("destination directory \((state.path as NSString).deletingLastPathComponent) does not exist",
                           data: data)
        }
        var r = ModuleResult.changed(data, message: state.exists ? "content changed" : "file created", diffs: diffs)
        r.warnings = warnings
        return r
    }

    /// Before/after text of the change, when both sides are text of a sane size.
    private func diff(state: RemoteFileProbe.State, context: HostContext) throws -> FileDiff? {
        let limit = 1 << 20
        guard content.count <= limit, let after = String(data: content, encoding: .utf8) else { return nil }
        var before = ""
        if state.exists {
            let old = try context.transport.download(state.path, become: context.become)
            guard old.count <= limit, let text = String(data: old, encoding: .utf8) else { return nil }
            before = text
        }
        return FileDiff(path: state.path, before: before, after: after)
    }

    static func attrMessage(_ attrs: [String]) -> String {
        "changed " + attrs.joined(separator: ", ")
    }
}
