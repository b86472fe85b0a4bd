import Foundation

/// `image_ship` (provision's own; also `provision.image_ship`): puts an image from the
/// controller on the node without a registry. The image is an image of the controller's own
/// engine (`name`, read with `docker save` once per run) or a `docker save` archive on the
/// controller (`archive`). Each node compares the image ID and its tags with its own and only
/// where they differ is the archive streamed to `docker load` on the node's stdin: no copy is
/// written on the node or the controller. All hosts of the task do this in parallel.
/// Returns `image_id`, `image_names`.
public struct ImageShipModule: Module {
    public static let name = "image_ship"
    public static let aliases = ["provision.image_ship"]
    public static let argumentSpec = ArgumentSpec([
        .init("name"),
        .init("archive"),
    ] + DockerConnection.fields)  // one of name/archive: checked once rendered (`default(omit)`)

    var connection: DockerConnection
    public var imageName: String?
    public var archive: String?

    public init(arguments a: ModuleArguments) throws {
        try DockerArgumentChecks.mutuallyExclusive(a, [["name", "archive"]])
        connection = try DockerConnection(arguments: a)
        imageName = try a.string("name")
        archive = try a.string("archive")
        guard imageName != nil || archive != nil else { throw ModuleError("one of the following is required: name, archive") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let source = try ControllerImages.shared.image(name: imageName, archive: archive.map(context.controllerPath))
        let cli = DockerCLI(context: context, connection: connection)
        let refs = source.names.isEmpty ? [source.id] : source.names
        let probe = try cli.script(refs.map { "echo \"id=$($DOCKER image inspect --format '{{.Id}}' \(Shell.quote($0)) 2>/dev/null)\"" }
            .joined(separator: "\n"))
        let ids = KeyValueReport(parsing: probe.stdoutText).all("id")
        var data: [String: Value] = ["image_id": .string(source.id), "image_names": .list(source.names.map(Value.string))]
        if ids.count == refs.count && ids.allSatisfy({ $0 == source.id }) {
            return .ok(data, message: "\(refs.joined(separator: ", ")) is already \(source.id.prefix(19))")
        }
        if context.checkMode { return .changed(data, message: "would load \(refs.joined(separator: ", "))") }
        let r = try cli.run(["image", "load"], stdin: source.archive, timeout: 1800)
        guard r.succeeded else { return .failed("docker load on \(context.host) failed: \(SwarmInfo.excerpt(r.stderrText))", data: data) }
        let after = try cli.inspect("image", refs[0])
        guard after?["Id"]?.stringValue == source.id else {
            return .failed("after docker load, \(refs[0]) on \(context.host) is \(after?["Id"]?.stringValue ?? "missing"), not \(source.id)", data: data)
        }
        data["bytes"] = .int(source.archive.count)
        return .changed(data, message: "loaded \(refs.joined(separator: ", ")) (\(source.archive.count / 1024) KiB)")
    }
}
