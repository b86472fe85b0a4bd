import Foundation

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
        let o: ControllerProcess.Output
        do { o = try ControllerProcess.run(argv) } catch { throw ModuleError("\(what): \(error.localizedDescription)") }
        guard o.status == 0 else {
            throw ModuleError("\(what) failed: \(SwarmInfo.excerpt(String(decoding: o.stderr, as: UTF8.self)))")
        }
        return o.stdout
    }
}
