import Foundation

/// `docker_image_build` (`community.docker.docker_image_build`): builds `name:tag` from a context
/// directory on the node with BuildKit (`docker buildx build`). With `rebuild: never` (the
/// default) an image of that name is left alone; `always` builds again, and the task is changed
/// whenever it built. Where the node's CLI has no buildx plugin, the build runs on the engine's
/// classic builder, and the options only BuildKit has (`secrets`, `outputs`, several
/// `platform`s) are refused with an error naming them. Returns `image`, `stdout`, `stderr`.
public struct DockerImageBuildModule: Module {
    public static let name = "docker_image_build"
    public static let aliases = ["community.docker.docker_image_build"]
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true), .init("tag", default: "latest"), .init("path", required: true),
        .init("dockerfile"), .init("cache_from", .list), .init("pull", .bool, default: false), .init("network"),
        .init("nocache", .bool, default: false), .init("etc_hosts", .dict), .init("args", .dict), .init("target"),
        .init("platform", .list), .init("shm_size"), .init("labels", .dict),
        .init("rebuild", choices: ["never", "always"], default: "never"),
        .init("secrets", .list), .init("outputs", .list),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    var build: ImageBuild
    var rebuild: Bool

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        let givenName = try a.requiredString("name"), givenTag = try a.string("tag") ?? "latest"
        guard DockerImageModule.isValidTag(givenTag) else { throw ModuleError("\"\(givenTag)\" is not a valid docker tag") }
        if DockerImageModule.isID(givenName) { throw ModuleError("Image name must not be a digest") }
        let (name, tag) = DockerImageModule.split(name: givenName, tag: givenTag)
        if DockerImageModule.isID(tag) || name.contains("@") || givenName.contains("@") {
            throw ModuleError("Image name must not contain a digest, but have a tag")
        }
        build = ImageBuild(name: name, tag: tag, path: try a.requiredString("path"))
        build.dockerfile = try a.string("dockerfile")
        build.cacheFrom = try a.stringList("cache_from") ?? []
        build.pull = try a.bool("pull") ?? false
        build.network = try a.string("network")
        build.nocache = try a.bool("nocache") ?? false
        build.etcHosts = try ImageBuild.strings(try a.dict("etc_hosts"), "etc_hosts")
        build.args = try ImageBuild.strings(try a.dict("args"), "args")
        build.target = try a.string("target")
        build.platforms = try a.stringList("platform") ?? []
        build.shmSize = try ImageBuild.size(try a.string("shm_size"), "shm_size")
        build.labels = try ImageBuild.strings(try a.dict("labels"), "labels")
        rebuild = try a.string("rebuild") == "always"
        for (i, s) in (try DockerArgumentChecks.dictList(a, "secrets") ?? []).enumerated() {
            try Self.secret(s, index: i, into: &build)
        }
        build.outputs = try (DockerArgumentChecks.dictList(a, "outputs") ?? []).map(Self.output)
    }

    /// One `secrets` entry as a `--secret` value; a `type: value` secret travels in an
    /// environment variable of the build (never in argv).
    static func secret(_ s: [String: Value], index: Int, into build: inout ImageBuild) throws {
        let known: Set = ["id", "type", "src", "env", "value"]
        if let k = s.keys.first(where: { !known.contains($0) }) { throw ModuleError("secrets: unknown key '\(k)' (known: id, type, src, env, value)") }
        guard let id = s["id"]?.stringValue else { throw ModuleError("missing required arguments: id found in secrets") }
        guard let type = s["type"]?.stringValue else { throw ModuleError("missing required arguments: type found in secrets") }
        let given = ["src", "env", "value"].filter { s[$0] != nil && s[$0]?.isNull == false }
        if given.count > 1 { throw ModuleError("parameters are mutually exclusive: src|env|value found in secrets") }
        switch type {
        case "file":
            guard let src = s["src"]?.stringValue else { throw ModuleError("type is file but all of the following are missing: src found in secrets") }
            build.secrets.append("id=\(id),type=file,src=\(src)")
        case "env":
            guard let env = s["env"]?.stringValue else { throw ModuleError("type is env but all of the following are missing: env found in secrets") }
            build.secrets.append("id=\(id),type=env,env=\(env)")
        case "value":
            guard let value = s["value"]?.renderedString, s["value"]?.isNull == false else {
                throw ModuleError("type is value but all of the following are missing: value found in secrets")
            }
            let variable = "PROVISION_BUILD_SECRET_\(index)"
            build.secretEnvironment[variable] = value
            build.secrets.append("id=\(id),type=env,env=\(variable)")
        default:
            throw ModuleError("value of type must be one of: file, env, value, got: \(type) found in secrets")
        }
    }

    /// One `outputs` entry as an `--output` value, checked as the collection's suboptions are.
    static func output(_ o: [String: Value]) throws -> String {
        let known: Set = ["type", "dest", "context", "name", "push"]
        if let k = o.keys.first(where: { !known.contains($0) }) { throw ModuleError("outputs: unknown key '\(k)' (known: type, dest, context, name, push)") }
        guard let type = o["type"]?.stringValue else { throw ModuleError("missing required arguments: type found in outputs") }
        let dest = o["dest"]?.stringValue, context = o["context"]?.stringValue, name = o["name"]?.stringValue
        let push = o["push"].map { SwarmInfo.bool($0) } ?? false
        for (a, b, given) in [("dest", "name", dest != nil && name != nil), ("dest", "push", dest != nil && push),
                              ("context", "name", context != nil && name != nil), ("context", "push", context != nil && push)] where given {
            throw ModuleError("parameters are mutually exclusive: \(a)|\(b) found in outputs")
        }
        switch type {
        case "local", "tar", "oci":
            guard let dest else { throw ModuleError("type is \(type) but all of the following are missing: dest found in outputs") }
            return "type=\(type),dest=\(dest)"
        case "docker":
            return (["type=docker"] + (dest.map { ["dest=\($0)"] } ?? []) + (context.map { ["context=\($0)"] } ?? [])).joined(separator: ",")
        case "image":
            return (["type=image"] + (name.map { ["name=\($0)"] } ?? []) + (push ? ["push=true"] : [])).joined(separator: ",")
        default:
            throw ModuleError("value of type must be one of: local, tar, oci, docker, image, got: \(type) found in outputs")
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        let reference = "\(build.name):\(build.tag)"
        let existing = try cli.inspect("image", reference)
        try build.checkContext(cli, missing: "\"\(build.path)\" is not an existing directory",
                               missingDockerfile: build.dockerfilePath.map { "\"\($0)\" is not an existing file" })
        if existing != nil && !rebuild {
            return ModuleResult(changed: false, message: nil, data: ["image": existing ?? .dict([:]), "actions": .list([])])
        }
        let buildkit = try ImageBuild.hasBuildx(cli)
        if !buildkit {
            let only = [("secrets", !build.secrets.isEmpty), ("outputs", !build.outputs.isEmpty),
                        ("platform (more than one)", build.platforms.count > 1)].filter(\.1).map(\.0)
            if !only.isEmpty {
                return .failed("The node's Docker CLI has no buildx plugin, and \(only.joined(separator: ", ")) need BuildKit through buildx; install docker-buildx (or the docker-buildx-plugin package) on the node")
            }
        }
        var data: [String: Value] = ["image": existing ?? .dict([:]), "actions": .list([.string("Built image \(reference) from \(build.path)")])]
        if !context.checkMode {
            let r = try build.run(cli, buildkit: buildkit)
            // buildx logs the build on stderr; the classic builder's log goes there too.
            data["stdout"] = .string(buildkit ? r.stdoutText : "")
            data["stderr"] = .string(buildkit ? r.stderrText : r.stdoutText + r.stderrText)
            guard r.succeeded else { return .failed("Building \(reference) failed", data: data) }
            data["image"] = try cli.inspect("image", reference) ?? .dict([:])
        }
        return ModuleResult(changed: true, message: nil, data: data)
    }
}
