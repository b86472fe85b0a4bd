import Foundation

/// `docker_image_push` (`community.docker.docker_image_push`): pushes `name:tag` from the node's
/// engine to its registry with `docker push` (credentials are the node's `docker login`).
/// Changed when the registry took at least one layer. Check mode is not supported, as in the
/// collection. Returns `image` (inspect output) and `actions`.
public struct DockerImagePushModule: Module {
    public static let name = "docker_image_push"
    public static let aliases = ["community.docker.docker_image_push"]
    public static let supportsCheckMode = false
    public static let argumentSpec = ArgumentSpec([.init("name", required: true), .init("tag", default: "latest")]
        + DockerConnection.fields)

    var connection: DockerConnection
    var name, tag: String

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        let given = try a.requiredString("name")
        let givenTag = try a.string("tag") ?? "latest"
        if DockerImageModule.isID(given) { throw ModuleError("Cannot push an image by ID") }
        guard DockerImageModule.isValidTag(givenTag) else { throw ModuleError("\"\(givenTag)\" is not a valid docker tag!") }
        (name, tag) = DockerImageModule.split(name: given, tag: givenTag)
        if DockerImageModule.isID(tag) { throw ModuleError("Cannot push an image by digest") }
        guard !tag.isEmpty, DockerImageModule.isValidTag(tag) else { throw ModuleError("\"\(tag)\" is not a valid docker tag!") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        guard let image = try cli.inspect("image", "\(name):\(tag)") else {
            return .failed("Cannot find image \(name):\(tag)")
        }
        let pushed = try Self.push(cli, repository: name, tag: tag, failure: "Error pushing image \(name):\(tag):")
        return ModuleResult(changed: pushed, message: nil,
                            data: ["image": image, "actions": .list([.string("Pushed image \(name):\(tag)")])])
    }

    /// `docker push REPOSITORY:TAG`; true when a layer was uploaded (docker prints `Pushed` for
    /// it, `Layer already exists` otherwise). The failure says what the registry said, with the
    /// collection's hints for an authentication or a missing repository.
    static func push(_ cli: DockerCLI, repository: String, tag: String, failure: String) throws -> Bool {
        let r = try cli.run(["image", "push", "\(repository):\(tag)"])
        guard r.succeeded else {
            let why = SwarmInfo.excerpt(r.stderrText.isEmpty ? r.stdoutText : r.stderrText, limit: 4000)
            let (registry, remote) = registryAndRemote(repository)
            if why.contains("unauthorized") {
                if why.contains("authentication required") {
                    throw ModuleError("Error pushing image \(registry)/\(remote):\(tag) - \(why). Try logging into \(registry) first.")
                }
                throw ModuleError("Error pushing image \(registry)/\(remote):\(tag) - \(why). Does the repository exist?")
            }
            throw ModuleError("\(failure) \(why)")
        }
        return r.stdoutText.split(whereSeparator: \.isNewline).contains { $0.hasSuffix(": Pushed") }
    }

    /// The registry a repository name belongs to and the name within it: the first part when it
    /// looks like a host (a `.`, a `:` or `localhost`), else Docker Hub (`docker.io`).
    static func registryAndRemote(_ repository: String) -> (String, String) {
        let parts = repository.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0].contains(".") || parts[0].contains(":") || parts[0] == "localhost" else {
            return ("docker.io", repository)
        }
        let host = parts[0] == "index.docker.io" ? "docker.io" : parts[0]
        return (host, parts[1])
    }
}
