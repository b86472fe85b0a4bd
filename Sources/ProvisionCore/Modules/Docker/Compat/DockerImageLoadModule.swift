import Foundation

/// `docker_image_load` (`community.docker.docker_image_load`): loads every image of an archive
/// on the node (`path`). Returns `image_names` and `images` (inspect output); always changed,
/// as in the collection.
public struct DockerImageLoadModule: Module {
    public static let name = "docker_image_load"
    public static let aliases = ["community.docker.docker_image_load"]
    public static let argumentSpec = ArgumentSpec([.init("path", required: true)] + DockerConnection.fields)
    public static let supportsCheckMode = false

    var connection: DockerConnection
    var path: String

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        path = try a.requiredString("path")
    }

    /// The names and IDs in `docker load`'s output (`Loaded image: x:y`, `Loaded image ID: sha256:…`).
    public static func loadedNames(_ out: String) -> [String] {
        out.split(whereSeparator: \.isNewline).compactMap { line in
            for p in ["Loaded image ID:", "Loaded image:"] where line.hasPrefix(p) {
                return line.dropFirst(p.count).trimmingCharacters(in: .whitespaces)
            }
            return nil
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        if context.checkMode { return ModuleResult(skipped: true, message: "docker_image_load does not support check mode") }
        let cli = DockerCLI(context: context, connection: connection)
        let r = try cli.run(["image", "load", "--input", path])
        guard r.succeeded else { return .failed("Error loading archive \(path) - \(SwarmInfo.excerpt(r.stderrText))", data: ["stdout": .string(r.stdoutText)]) }
        let names = Self.loadedNames(r.stdoutText)
        if names.isEmpty { return .failed("Detected no loaded images. Archive potentially corrupt?", data: ["stdout": .string(r.stdoutText)]) }
        let images = try names.compactMap { try cli.inspect("image", $0) }
        return .changed(["image_names": .list(names.map(Value.string)), "images": .list(images),
                         "stdout": .string(r.stdoutText.trimmingCharacters(in: .newlines))])
    }
}
