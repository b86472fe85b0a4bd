import Foundation

/// `docker_container_copy_into` (`community.docker.docker_container_copy_into`): writes a file
/// of the managed node (`path`) or given `content` into a container (running or not) at
/// `container_path`, with `mode` and `owner_id`/`group_id` (by default the container user's,
/// asked with `id` in the container). Idempotent as the collection is: the file in the container
/// is fetched (`docker cp CONTAINER:PATH -`) and its type, size, mode, owner and bytes compared;
/// `force: true` always writes, `force: false` writes only where nothing exists. The file goes
/// in as a one-entry tar stream on `docker cp - CONTAINER:DIR`. Returns `container_path`.
public struct DockerContainerCopyIntoModule: Module {
    public static let name = "docker_container_copy_into"
    public static let aliases = ["community.docker.docker_container_copy_into"]
    public static let argumentSpec = ArgumentSpec([
        .init("container", required: true), .init("path"), .init("container_path", required: true),
        .init("follow", .bool, default: false), .init("local_follow", .bool, default: true),
        .init("owner_id", .int), .init("group_id", .int), .init("mode", .any), .init("force", .bool),
        .init("mode_parse", choices: ["legacy", "modern", "octal_string_only"], default: "legacy"),
        .init("content"), .init("content_is_b64", .bool, default: false),
    ] + DockerConnection.fields)

    /// ansible-core's MAX_FILE_SIZE_FOR_DIFF default, which the collection's action plugin passes.
    static let maxDiffSize = 104_448

    var connection: DockerConnection
    var container, containerPath: String
    var path: String?
    var content: Data?
    var follow, localFollow: Bool
    var owner: (uid: Int, gid: Int)?
    var mode: Int?
    var force: Bool?

    public init(arguments a: ModuleArguments) throws {
        try DockerArgumentChecks.mutuallyExclusive(a, [["path", "content"]])
        if a.has("owner_id") != a.has("group_id") { throw ModuleError("parameters are required together: owner_id, group_id") }
        if a.has("content") && !a.has("mode") { throw ModuleError("missing parameter(s) required by 'content': mode") }
        connection = try DockerConnection(arguments: a)
        container = try a.requiredString("container")
        containerPath = Self.normalise(try a.requiredString("container_path"))
        path = try a.string("path")
        if let c = try a.string("content") {
            if try a.bool("content_is_b64") == true {
                guard let d = Data(base64Encoded: c.filter { !$0.isWhitespace }) else {
                    throw ModuleError("Cannot Base64 decode the content option: the text is not Base64")
                }
                content = d
            } else { content = Data(c.utf8) }
        }
        follow = try a.bool("follow") ?? false
        localFollow = try a.bool("local_follow") ?? true
        if let u = try a.int("owner_id"), let g = try a.int("group_id") { owner = (u, g) }
        mode = try Self.parseMode(a.values["mode"], try a.string("mode_parse") ?? "legacy")
        force = try a.bool("force")
        if path == nil && content == nil { throw ModuleError("One of path and content must be supplied") }
    }

    /// A link's target as an absolute path (relative ones are relative to the link's directory).
    static func absoluteTarget(_ link: String, from path: String) -> String {
        if link.hasPrefix("/") { return normalise(link) }
        return normalise(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) + "/" + link)
    }

    /// `mode` as `mode_parse` reads it: `legacy` as an integer (a string in decimal, as the
    /// collection always did), `modern` a string in octal, `octal_string_only` only that.
    static func parseMode(_ v: Value?, _ how: String) throws -> Int? {
        guard let v, !v.isNull else { return nil }
        switch (how, v) {
        case ("octal_string_only", .string(let s)), ("modern", .string(let s)):
            guard let n = Int(s, radix: 8) else { throw ModuleError("Error while parsing 'mode': invalid literal for int() with base 8: '\(s)'") }
            return n
        case ("octal_string_only", _):
            throw ModuleError("Error while parsing 'mode': must be an octal string, got \(v.renderedString)")
        case (_, .int(let n)): return n
        case ("legacy", .string(let s)):
            guard let n = Int(s.trimmingCharacters(in: .whitespaces)) else {
                throw ModuleError("Error while parsing 'mode': '\(s)' cannot be converted to an int")
            }
            return n
        default: throw ModuleError("Error while parsing 'mode': \(v.renderedString) is not an integer")
        }
    }

    /// An absolute, normalised path (`a/../b` → `/b`), as the collection makes it.
    static func normalise(_ p: String) -> String {
        var parts: [Substring] = []
        for c in p.split(separator: "/") where c != "." {
            if c == ".." { _ = parts.popLast() } else { parts.append(c) }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// What to write: the file's bytes or a link target, and its mode on the node.
    struct Source { var entry: TarEntry.Kind; var bytes: Data; var linkTarget: String; var mode: Int }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        guard try cli.inspect("container", container) != nil else {
            return .failed("Could not find container \"\(container)\" or resource in it (No such container: \(container))")
        }
        let (uid, gid) = try owner ?? userAndGroup(cli)
        let source = try readSource(context)
        let wantMode = mode ?? source.mode
        var diff: [String: Value] = [:]
        if context.diffMode { Self.describe(&diff, "after", source.entry == .symlink ? Data(source.linkTarget.utf8) : source.bytes,
                                            header: path ?? "dynamically generated", link: source.entry == .symlink) }
        var target = containerPath
        var same = false
        var replacesDirectory = false
        if force == true && !follow {
            if context.diffMode { try describeCurrent(cli, target, &diff) }
        } else {
            let (resolved, current) = try fetch(cli, containerPath, follow: follow)
            target = resolved
            replacesDirectory = current?.kind == .directory
            if let cur = current {
                // The engine's stat names a link's target as an absolute path; so does the diff.
                if context.diffMode { Self.describe(&diff, "before", cur.kind == .symlink ? Data(Self.absoluteTarget(cur.linkName, from: target).utf8) : cur.content,
                                                    header: target, link: cur.kind != .file, kind: cur.kind) }
                if force == false {
                    same = true
                    if context.diffMode { for (f, t) in [("before", "after"), ("before_header", "after_header")] { diff[t] = diff[f] } }
                } else if force == nil {
                    same = source.entry == .symlink
                        ? cur.kind == .symlink && Self.absoluteTarget(cur.linkName, from: target) == source.linkTarget
                        : cur.kind == .file && cur.mode & 0o7777 == wantMode && cur.uid == uid && cur.gid == gid && cur.content == source.bytes
                }
            } else if context.diffMode {
                diff["before_header"] = .string(target)
                diff["before"] = .string("")
            }
        }
        if !same && !context.checkMode {
            if replacesDirectory { try removeDirectory(cli, target) }
            let slash = target.lastIndex(of: "/") ?? target.startIndex
            let dir = String(target[..<slash]).isEmpty ? "/" : String(target[..<slash])
            let entry = TarEntry(name: String(target[target.index(after: slash)...]), kind: source.entry, mode: wantMode,
                                 uid: uid, gid: gid, linkName: source.linkTarget, content: source.bytes)
            try cli.must(["container", "cp", "-", "\(container):\(dir)"], stdin: entry.archive(),
                         what: "Error copying into container \"\(container)\" at \(target)")
        }
        var data: [String: Value] = ["container_path": .string(target)]
        if context.diffMode { data["diff"] = .dict(diff) }
        return ModuleResult(changed: !same, message: nil, data: data)
    }

    /// `docker cp` never puts a file where a directory is (the API call the collection makes
    /// can): the directory goes first, with `rm` in the running container.
    func removeDirectory(_ cli: DockerCLI, _ path: String) throws {
        let r = try cli.run(["container", "exec", container, "rm", "-rf", "--", path])
        guard r.succeeded else {
            throw ModuleError("Cannot replace the directory \(path) in container \"\(container)\" with a file: the docker CLI cannot overwrite a directory, and removing it in the container failed (it must be running and have rm): \(SwarmInfo.excerpt(r.stderrText.isEmpty ? r.stdoutText : r.stderrText))")
        }
    }

    /// The container user's IDs, as the collection asks for them (`id -u && id -g` in it).
    func userAndGroup(_ cli: DockerCLI) throws -> (Int, Int) {
        let r = try cli.run(["container", "exec", container, "/bin/sh", "-c", "id -u && id -g"])
        guard r.succeeded else {
            // The engine's conflict (stopped or paused): the collection's words for both.
            if r.stderrText.contains("is not running") || r.stderrText.contains("is paused") {
                throw ModuleError("Cannot execute command in paused container \"\(container)\"")
            }
            throw ModuleError("Cannot determine the user and group ID in container \"\(container)\" (give owner_id and group_id, or start it): \(SwarmInfo.excerpt(r.stderrText))")
        }
        let lines = r.stdoutText.split(whereSeparator: \.isNewline).map(String.init)
        guard lines.count == 2 else {
            throw ModuleError("Expected two-line output to obtain user and group ID for container \(container), but got \(lines.count) lines:\n\(r.stdoutText)")
        }
        guard let u = Int(lines[0]), let g = Int(lines[1]) else {
            throw ModuleError("Expected two-line output with numeric IDs to obtain user and group ID for container \(container), but got \"\(lines[0])\" and \"\(lines[1])\" instead")
        }
        return (u, g)
    }

    /// `content`, or the managed node's file (a link stays a link with `local_follow: false`).
    func readSource(_ context: HostContext) throws -> Source {
        if let content { return Source(entry: .file, bytes: content, linkTarget: "", mode: mode ?? 0o644) }
        let p = Shell.quote(path ?? "")
        let kind = try context.run("stat \(localFollow ? "-L " : "")-c '%F %a' -- \(p)")
        guard kind.succeeded else { throw ModuleError("Cannot find local file \(path ?? "")") }
        let words = kind.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        let fileMode = Int(words.last ?? "", radix: 8) ?? 0o644
        let type = words.dropLast().joined(separator: " ")
        if type == "symbolic link" {
            let t = try context.run("readlink -- \(p)")
            return Source(entry: .symlink, bytes: Data(), linkTarget: t.stdoutText.trimmingCharacters(in: .newlines), mode: fileMode)
        }
        guard type.hasPrefix("regular") else { throw ModuleError("Local path \(path ?? "") is not a symbolic link or file") }
        let r = try context.run("cat -- \(p)")
        guard r.succeeded else { throw ModuleError("Cannot read local file \(path ?? ""): \(SwarmInfo.excerpt(r.stderrText))") }
        return Source(entry: .file, bytes: r.stdout, linkTarget: "", mode: fileMode)
    }

    /// The object at `path` in the container (nil when there is none), following links there
    /// when asked; returns the path it ended at.
    func fetch(_ cli: DockerCLI, _ start: String, follow: Bool) throws -> (String, TarEntry?) {
        var p = start
        for _ in 0..<40 {
            let r = try cli.run(["container", "cp", "\(container):\(p)", "-"])
            guard r.succeeded else {
                if DockerCLI.isNotFound(r.stderrText) || r.stderrText.contains("Could not find") { return (p, nil) }
                throw ModuleError("Could not find container \"\(container)\" or resource in it (\(SwarmInfo.excerpt(r.stderrText)))")
            }
            guard let e = try TarEntry.first(in: r.stdout) else { return (p, nil) }
            guard follow, e.kind == .symlink else { return (p, e) }
            p = Self.absoluteTarget(e.linkName, from: p)
        }
        throw ModuleError("Too many symbolic links in the container following \(start)")
    }

    /// The diff's `before` for a forced write, which the collection shows too.
    func describeCurrent(_ cli: DockerCLI, _ path: String, _ diff: inout [String: Value]) throws {
        let (_, cur) = try fetch(cli, path, follow: false)
        guard let cur else { diff["before_header"] = .string(path); diff["before"] = .string(""); return }
        Self.describe(&diff, "before", cur.kind == .symlink ? Data(cur.linkName.utf8) : cur.content, header: path,
                      link: cur.kind != .file, kind: cur.kind)
    }

    /// One side of the diff: text, or a marker for binary, large or non-file objects.
    static func describe(_ diff: inout [String: Value], _ side: String, _ bytes: Data, header: String, link: Bool,
                         kind: TarEntry.Kind = .file) {
        let short = side == "before" ? "dst" : "src"
        switch kind {
        case .directory: diff["\(side)_header"] = .string(header); diff[side] = .string("(directory)"); return
        case .other: diff["\(side)_header"] = .string(header); diff[side] = .string("(device)"); return
        default: break
        }
        if !link && bytes.count > maxDiffSize { diff["\(short)_larger"] = .int(maxDiffSize); return }
        if !link && bytes.contains(0) { diff["\(short)_binary"] = .int(1); return }
        diff["\(side)_header"] = .string(header)
        diff[side] = .string(String(decoding: bytes, as: UTF8.self))
    }
}
