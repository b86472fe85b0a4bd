import Foundation

/// `docker_image` (`community.docker.docker_image`) on the node's engine: `source: pull`,
/// `load` (an archive on the node, `load_path`), `local`; `archive_path` saves it, `repository`
/// tags it (and `push` pushes), `state: absent` removes it. `source: build` is refused: provision
/// has no build context on the node. Returns `image` (inspect output) and `actions`.
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
        if source == "build" && present {
            throw ModuleError("docker_image: source: build is not supported by provision (it drives the docker CLI on the node, with no build context there); build on the controller and ship the image with image_ship, or use source: load")
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
            case "load":
                guard let path = loadPath else { return .failed("source is load but all of the following are missing: load_path") }
                guard try cli.context.run("test -f \(Shell.quote(path))").succeeded else {
                    return .failed("Error loading image \(name). Specified path \(path) does not exist.")
                }
                actions.append("Loaded image \(reference) from \(path)")
                changed = true
                if !context.checkMode {
                    let out = try cli.must(["image", "load", "--input", path], what: "Error loading image \(name)")
                    let loaded = DockerImageLoadModule.loadedNames(out)
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
            if !current.contains(id.replacingOccurrences(of: "sha256:", with: "")) {
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
                changed = true
                if !context.checkMode { try cli.must(["image", "tag", reference, "\(repo):\(rtag)"], what: "Error: failed to tag image") }
            }
            if push {
                if !context.checkMode { try cli.must(["image", "push", "--quiet", "\(repo):\(rtag)"], what: "Error pushing image \(repo):\(rtag)") }
                actions.append("Pushed image \(repo):\(rtag)")
                changed = true
            }
        } else if push {
            if !context.checkMode { try cli.must(["image", "push", "--quiet", reference], what: "Error pushing image \(reference)") }
            actions.append("Pushed image \(reference)")
            changed = true
        }
        return Self.finish(changed, actions, image: image)
    }

    static func finish(_ changed: Bool, _ actions: [String], image: Value) -> ModuleResult {
        ModuleResult(changed: changed, message: actions.last, data: ["image": image, "actions": .list(actions.map(Value.string))])
    }
}
