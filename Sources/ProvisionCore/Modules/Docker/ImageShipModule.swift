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

/// Images read on the controller, once per run and path or name, shared by every host's task.
final class ControllerImages: @unchecked Sendable {
    static let shared = ControllerImages()

    struct Image {
        var id: String
        var names: [String]
        var archive: Data
    }

    private let lock = NSLock()
    private var cache: [String: Image] = [:]

    func image(name: String?, archive: String?) throws -> Image {
        let key = name.map { "engine:" + $0 } ?? "file:" + (archive ?? "")
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[key] { return hit }
        let image: Image
        if let name {
            // The ID and tags first, then the archive: both from the controller's engine.
            let info = try Self.run(["docker", "image", "inspect", "--format", "{{json .}}", name],
                                    what: "docker image inspect \(name) on the controller")
            guard let v = Value(jsonText: String(decoding: info, as: UTF8.self)), let id = v["Id"]?.stringValue else {
                throw ModuleError("docker image inspect \(name) on the controller printed no image")
            }
            var names = v["RepoTags"]?.listValue?.compactMap(\.stringValue) ?? []
            if !names.contains(name) && name.contains(":") { names.append(name) }
            let data = try Self.run(["docker", "image", "save", name], what: "docker save \(name) on the controller")
            image = Image(id: id, names: names, archive: data)
        } else if let archive {
            let manifest = try Self.run(["tar", "-xOf", archive, "manifest.json"], what: "reading manifest.json of \(archive)")
            let (id, names) = try Self.parseManifest(manifest)
            do {
                image = Image(id: id, names: names, archive: try Data(contentsOf: URL(fileURLWithPath: archive), options: .mappedIfSafe))
            } catch {
                throw ModuleError("cannot read the image archive \(archive) on the controller: \(error.localizedDescription)")
            }
        } else { throw ModuleError("one of the following is required: name, archive") }
        cache[key] = image
        return image
    }

    /// The image ID and repo tags of the first image of a `docker save` manifest.
    static func parseManifest(_ data: Data) throws -> (String, [String]) {
        guard case .list(let items)? = Value(jsonText: String(decoding: data, as: UTF8.self)), let first = items.first,
              let config = first["Config"]?.stringValue
        else { throw ModuleError("the image archive has no usable manifest.json (is it a docker save archive?)") }
        let hex = (config as NSString).lastPathComponent.replacingOccurrences(of: ".json", with: "")
        let names = first["RepoTags"]?.listValue?.compactMap(\.stringValue) ?? []
        return ("sha256:" + hex, names)
    }

    private static func run(_ argv: [String], what: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { throw ModuleError("\(what): \(error.localizedDescription)") }
        // stderr is drained on its own thread so a chatty tool cannot block on a full pipe.
        let errReader = err.fileHandleForReading
        let errDone = DispatchSemaphore(value: 0)
        let errBox = ErrorBytes()
        DispatchQueue.global().async {
            errBox.data = errReader.readDataToEndOfFile()
            errDone.signal()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        errDone.wait()
        let errData = errBox.data
        guard p.terminationStatus == 0 else {
            throw ModuleError("\(what) failed: \(SwarmInfo.excerpt(String(decoding: errData, as: UTF8.self)))")
        }
        return data
    }
}

/// stderr bytes read on another thread, handed over after a semaphore.
private final class ErrorBytes: @unchecked Sendable {
    var data = Data()
}
