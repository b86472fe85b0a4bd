import Foundation

/// `docker_image` (`community.docker.docker_image`) on the node's engine: `source: pull`,
/// `load` (an archive on the node, `load_path`), `local`; `archive_path` saves it, `repository`
/// tags it (and `push` pushes), `state: absent` removes it. `source: build` builds from a context
/// directory on the node with the engine's classic builder, as the collection does through the
/// API; an image already there is not rebuilt unless `force_source`. Returns `image` (inspect
/// output), `actions` and, after a build, `stdout`.
public struct DockerImageModule: Module {
    public static let name = "docker_image"
    public static let aliases = ["community.docker.docker_image"]
    public static let argumentSpec = ArgumentSpec([
        .init("source", choices: ["build", "load", "pull", "local"]),
        .init("build", .dict),
        .init("archive_path"),
        .init("load_path"),
        .init("force_source", .bool, default: false),
        .init("force_absent", .bool, default: false),
        .init("force_tag", .bool, default: false),
        .init("name", required: true),
        .init("pull", .dict),
        .init("push", .bool, default: false),
        .init("repository"),
        .init("state", choices: ["absent", "present"], default: "present"),
        .init("tag", default: "latest"),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    public var name: String
    public var tag: String
    public var source: String?
    public var present: Bool
    var archivePath: String?
    var loadPath: String?
    var forceSource, forceAbsent, forceTag, push: Bool
    var repository: String?
    var platform: String?
    var build: ImageBuild?

    public init(arguments a: ModuleArguments) throws {
        try DockerArgumentChecks.requiredIf(a, [("state", "present", ["source"]), ("source", "build", ["build"]),
                                                ("source", "load", ["load_path"])])
        connection = try DockerConnection(arguments: a)
        (name, tag) = Self.split(name: try a.requiredString("name"), tag: try a.string("tag") ?? "latest")
        guard Self.isValidTag(tag) else { throw ModuleError("\"\(tag)\" is not a valid docker tag!") }
        source = try a.string("source")
        present = try a.string("state") != "absent"
        archivePath = try a.string("archive_path")
        loadPath = try a.string("load_path")
        forceSource = try a.bool("force_source") ?? false
        forceAbsent = try a.bool("force_absent") ?? false
        forceTag = try a.bool("force_tag") ?? false
        push = try a.bool("push") ?? false
        repository = try a.string("repository")
        platform = try a.dict("pull")?["platform"]?.stringValue
        if let b = try a.dict("build") {
            if b["path"] == nil || b["path"]?.isNull == true {
                throw ModuleError(source == "build" ? "If \"source\" is set to \"build\", the \"build.path\" option must be specified."
                                                   : "missing required arguments: path found in build")
            }
            build = try ImageBuild(imageModule: b, name: name, tag: tag)
        }
        if Self.isID(name) && (source == "pull") {
            throw ModuleError("Image name must not be an image ID for source=pull; got: \(name)")
        }
        if let r = repository, Self.isID(r) { throw ModuleError("`repository` must not be an image ID; got: \(r)") }
        if push && repository == nil && Self.isID(name) {
            throw ModuleError("Cannot push an image by ID; specify `repository` to tag and push the image with ID \(name) instead")
        }
    }

    /// `name:tag` as the collection splits it: a tag in the name (after the last `/`) wins.
    public static func split(name: String, tag: String) -> (String, String) {
        if let at = name.firstIndex(of: "@") { return (String(name[..<at]), String(name[name.index(after: at)...])) }
        let last = name.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        if let colon = last.lastIndex(of: ":") {
            let base = name.dropLast(last.count) + last[..<colon]
            return (String(base), String(last[last.index(after: colon)...]))
        }
        return (name, tag)
    }

    public static func isID(_ s: String) -> Bool {
        let hex = s.hasPrefix("sha256:") ? String(s.dropFirst(7)) : s
        return (s.hasPrefix("sha256:") || hex.count == 64) && !hex.isEmpty && hex.allSatisfy(\.isHexDigit)
    }

    static func isValidTag(_ t: String) -> Bool {
        if t.hasPrefix("sha256:") { return true }
        guard let f = t.first, f.isLetter || f.isNumber || f == "_", t.count <= 128 else { return t.isEmpty }
        return t.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
    }

    var reference: String { Self.isID(name) ? name : (tag.hasPrefix("sha256:") ? "\(name)@\(tag)" : "\(name):\(tag)") }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        var actions: [String] = []
        var changed = false
        var stdout: String?
        let found = try cli.inspect("image", reference)
        var image = found ?? .dict([:])
        if !present {
            if found != nil {
                if !context.checkMode {
                    let r = try cli.run(["image", "rm"] + (forceAbsent ? ["--force"] : []) + [reference])
                    if !r.succeeded && !DockerCLI.isNotFound(r.stderrText) {
                        return .failed("Error removing image \(reference) - \(SwarmInfo.excerpt(r.stderrText))")
                    }
                }
                actions.append("Removed image \(reference)")
                changed = true
            }
            return Self.finish(changed, actions, image: .dict([:]))
        }
        if found == nil || forceSource {
            switch source {
            case "build":
                guard let build else { return .failed("If \"source\" is set to \"build\", the \"build.path\" option must be specified.") }
                if Self.isID(name) { return .failed("Image name must not be an image ID for source=build; got: \(name)") }
                try build.checkContext(cli, missing: "Requested build path \(build.path) could not be found or you do not have access.",
                                       missingDockerfile: nil)
                actions.append("Built image \(name):\(tag) from \(build.path)")
                changed = true
                if !context.checkMode {
                    let r = try build.run(cli, buildkit: false)
                    if !r.succeeded {
                        return .failed("Error building \(name) - message: \(SwarmInfo.excerpt(r.stderrText, limit: 4000)), logs: \(SwarmInfo.excerpt(r.stdoutText, limit: 4000))",
                                       data: ["stdout": .string(r.stdoutText), "stderr": .string(r.stderrText)])
                    }
                    stdout = r.stdoutText
                }
            case "load":
                guard let path = loadPath else { return .failed("source is load but all of the following are missing: load_path") }
                guard try cli.context.run("test -f \(Shell.quote(path))").succeeded else {
                    return .failed("Error loading image \(name). Specified path \(path) does not exist.")
                }
                actions.append("Loaded image \(reference) from \(path)")
                changed = true
                if !context.checkMode {
                    let r = try cli.run(["image", "load", "--input", path])
                    let loaded = DockerImageLoadModule.loadedNames(r.stdoutText)
                    if loaded.isEmpty {
                        // A broken archive loads nothing: the collection's words, docker's reason as stdout.
                        return .failed("Detected no loaded images. Archive potentially corrupt?",
                                       data: ["stdout": .string(r.stdoutText + r.stderrText)])
                    }
                    if !r.succeeded { return .failed("Error loading image \(name) - \(SwarmInfo.excerpt(r.stderrText))") }
                    if !loaded.contains(reference) && !loaded.contains(name) {
                        return .failed("The archive did not contain image '\(reference)'. Instead, found \(loaded.map { "'\($0)'" }.joined(separator: ", ")).")
                    }
                }
            case "pull":
                actions.append("Pulled image \(name):\(tag)")
                changed = true
                if !context.checkMode {
                    try cli.must(["image", "pull", "--quiet"] + (platform.map { ["--platform", $0] } ?? []) + [reference],
                                 what: "Error pulling image \(reference)")
                }
            default:
                if found == nil { return .failed("Cannot find the image \(reference) locally.") }
            }
            if !context.checkMode {
                image = try cli.inspect("image", reference) ?? .dict([:])
                if let f = found, f["Id"] == image["Id"] { changed = false }
            }
        }
        if let path = archivePath, image["Id"] != nil {
            let id = image["Id"]?.stringValue ?? ""
            let current = try cli.context.run("tar -xOf \(Shell.quote(path)) manifest.json 2>/dev/null").stdoutText
            // Written again unless the archive holds this image under this name (the collection
            // compares both: the same ID under another name is a change).
            let named = Self.isID(name) || current.contains("\"\(reference)\"")
            if !current.contains(id.replacingOccurrences(of: "sha256:", with: "")) || !named {
                actions.append("Archived image \(reference) to \(path)")
                changed = true
                if !context.checkMode { try cli.must(["image", "save", "--output", path, reference], what: "Error writing image archive \(path)") }
            }
        }
        if let repository {
            let (repo, rtag) = Self.split(name: repository, tag: Self.isID(tag) ? "latest" : tag)
            let tagged = try cli.inspect("image", "\(repo):\(rtag)")
            if forceTag || tagged == nil {
                actions.append("Tagged image \(reference) to \(repo):\(rtag)")
                var retagged = true
                if !context.checkMode {
                    try cli.must(["image", "tag", reference, "\(repo):\(rtag)"], what: "Error: failed to tag image")
                    image = try cli.inspect("image", "\(repo):\(rtag)") ?? image
                    // force_tag onto the image the name already has changes nothing.
                    if let t = tagged, t["Id"] == image["Id"] { retagged = false }
                }
                changed = changed || retagged
            }
            if push {
                let (registry, remote) = DockerImagePushModule.registryAndRemote(repo)
                actions.append("Pushed image \(repo) to \(registry)/\(remote):\(rtag)")
                // Changed when a layer went up (or something before did).
                if context.checkMode { changed = true } else {
                    changed = try DockerImagePushModule.push(cli, repository: repo, tag: rtag, failure: "Error pushing image \(repo):") || changed
                }
            }
        } else if push {
            let (registry, remote) = DockerImagePushModule.registryAndRemote(name)
            actions.append("Pushed image \(name) to \(registry)/\(remote):\(tag)")
            if context.checkMode { changed = true } else {
                changed = try DockerImagePushModule.push(cli, repository: name, tag: tag, failure: "Error pushing image \(name):") || changed
            }
        }
        var result = Self.finish(changed, actions, image: image)
        if let stdout { result.data["stdout"] = .string(stdout) }
        return result
    }

    static func finish(_ changed: Bool, _ actions: [String], image: Value) -> ModuleResult {
        ModuleResult(changed: changed, message: actions.last, data: ["image": image, "actions": .list(actions.map(Value.string))])
    }
}
